import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { fieldViolation, type FieldViolation } from "../../money/field-violation.js";

/**
 * Every string of a request ends up in a PostgreSQL text or jsonb column, and PostgreSQL cannot store
 * U+0000 in either (text: "invalid byte sequence", jsonb: "unsupported Unicode escape sequence").
 * Protobuf allows it, in binary and as "\u0000" in JSON, so the service refuses it up front as
 * INVALID_ARGUMENT instead of failing at INSERT time with INTERNAL. (Broken Unicode cannot arrive:
 * the JSON decoder rejects unpaired surrogates and the binary decoder replaces invalid UTF-8.)
 */
export const UNSTORABLE_TEXT_REASON = "INVALID_CHARACTERS";

export function unstorableText(schema: DescMessage, message: object): FieldViolation[] {
  const violations: FieldViolation[] = [];
  visitMessage(schema, message, "", violations);
  return violations;
}

function visitMessage(schema: DescMessage, message: object, path: string, out: FieldViolation[]): void {
  for (const field of schema.fields) {
    const value = fieldValue(field, message);
    if (value === undefined || value === null) continue;
    const at = path === "" ? field.name : `${path}.${field.name}`;
    switch (field.fieldKind) {
      case "scalar":
        if (field.scalar === ScalarType.STRING) check(value, at, out);
        break;
      case "message":
        visitMessage(field.message, value, at, out);
        break;
      case "list":
        (value as unknown[]).forEach((item, index) => {
          if (field.listKind === "message") visitMessage(field.message, item as object, `${at}[${index}]`, out);
          else if (field.listKind === "scalar" && field.scalar === ScalarType.STRING)
            check(item, `${at}[${index}]`, out);
        });
        break;
      case "map":
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          const entry = `${at}[${JSON.stringify(key)}]`;
          if (field.mapKey === ScalarType.STRING) check(key, entry, out, "key");
          if (field.mapKind === "message") visitMessage(field.message, item as object, entry, out);
          else if (field.mapKind === "scalar" && field.scalar === ScalarType.STRING) check(item, entry, out);
        }
        break;
      case "enum":
        break;
    }
  }
}

/** The value of a field on a protobuf-es message object, including members of a oneof. */
function fieldValue(field: DescField, message: object): unknown {
  if (field.oneof === undefined) return Reflect.get(message, field.localName);
  const oneof: unknown = Reflect.get(message, field.oneof.localName);
  if (typeof oneof !== "object" || oneof === null) return undefined;
  return Reflect.get(oneof, "case") === field.localName ? Reflect.get(oneof, "value") : undefined;
}

function check(value: unknown, field: string, out: FieldViolation[], part: "value" | "key" = "value"): void {
  if (typeof value !== "string" || !value.includes("\u0000")) return;
  out.push(
    fieldViolation(
      field,
      UNSTORABLE_TEXT_REASON,
      `${part === "key" ? "key must" : "must"} not contain NUL (U+0000) characters`,
    ),
  );
}
