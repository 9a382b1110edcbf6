import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  create,
  getOption,
  hasOption,
  ScalarType,
  type DescField,
  type DescFile,
  type DescMessage,
} from "@bufbuild/protobuf";
import {
  isReflectMessage,
  pathToString,
  reflect,
  reflectList,
  reflectMap,
  type ReflectMessage,
} from "@bufbuild/protobuf/reflect";
import { createValidator } from "@bufbuild/protovalidate";
import {
  field as fieldRulesOption,
  FieldRulesSchema,
  message as messageRulesOption,
  oneof as oneofRulesOption,
  predefined as predefinedOption,
  type FieldRules,
  type Rule,
} from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { LineItemInputSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { isCanonicalAmount } from "../../src/money/money.js";

/**
 * Every protovalidate rule of the contract must tell a person what to type (issue 11, section 6): the
 * violation's message is what every client shows next to the field (the server returns it as the
 * BadRequest field violation's description, see src/platform/transport/interceptors/validation.ts).
 *
 * What counts as a rule with a human message:
 * - A CEL rule (`(buf.validate.field).cel`, `(buf.validate.message).cel`, and the `(buf.validate.predefined).cel`
 *   of a predefined rule the contract defines) needs `id` and `message`. The message must not quote the rule: no
 *   regex or CEL syntax (^ $ \ ` and `this.`/`rules.`), since quoting the rule is exactly what a person cannot read.
 *   `cel_expression` (the id-less, message-less shorthand) is refused: its violation message is the expression.
 * - A standard rule has a fixed message that protovalidate writes and we cannot change. It may stand alone only if
 *   that message states the limit in plain words, as listed in PLAIN_STANDARD_RULES below. Every other standard
 *   rule is refused until someone reads its fixed message and lists it here with the reason: in particular
 *   `string.pattern` ("does not match regex pattern `^[A-Z]{3}$`"), `string.in`/`const`/`prefix`/... (they quote
 *   the rule's values as syntax) and the byte-length rules (a person counts characters, not UTF-8 bytes). Write such
 *   a rule as a CEL rule with an id and a message instead (see the amounts in orders_service.proto).
 * - `(buf.validate.oneof).required` is refused ("exactly one field is required in oneof" names a protobuf construct);
 *   `(buf.validate.message).oneof` names the fields ("one of sku, variant_id must be set") and may stand.
 *
 * Every CEL rule id also has examples below (values it must refuse and accept, checked through the validator), and
 * its field violation reason is listed in docs/errors.md: the id is what clients branch on, so it is documented.
 */
const PLAIN_STANDARD_RULES = new Map<string, string>([
  ["required", `"value is required"`],
  ["string.min_len", `"must be at least 1 characters": a count of characters is what a person sees`],
  ["string.max_len", `"must be at most 200 characters"`],
  ["string.len", `"must be 3 characters"`],
  ["string.email", `"must be a valid email address" ("value is empty, which is not a valid email address")`],
  ["string.uuid", `"must be a valid UUID": ids are copied, not typed, and the field names the id it wants`],
  ...["int32", "int64", "uint32", "uint64", "sint32", "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64"].flatMap(
    (type) =>
      ["gt", "gte", "lt", "lte"].map((bound): [string, string] => [
        `${type}.${bound}`,
        `"must be greater than 0 and less than or equal to 1000000"`,
      ]),
  ),
  [
    "enum.defined_only",
    `"value must be one of the defined enum values": a person picks an enum from a list and cannot send an undefined ` +
      `number; only a program built against a newer contract can, and the message is for its developer`,
  ],
  ["repeated.min_items", `"must contain at least 1 item(s)"`],
  ["repeated.max_items", `"must contain no more than 500 item(s)"`],
  ["repeated.unique", `"repeated value must contain unique items"`],
  ["map.min_pairs", `"map must be at least 1 entries"`],
  ["map.max_pairs", `"map must be at most 50 entries"`],
  ...["gt", "gte", "lt", "lte"].map((bound): [string, string] => [
    `timestamp.${bound}`,
    `"must be greater than or equal to 1970-01-01T00:00:00Z and less than or equal to ...": the bounds in the ` +
      `RFC 3339 form the field is written in; the reason TIMESTAMP_GTE_LTE is documented in the contract, so these ` +
      `stay standard rules`,
  ]),
]);

/** Values each CEL rule id must refuse and accept, on every string field that carries it. */
const EXAMPLES: Record<string, { refused: string[]; accepted: string[] }> = {
  invalid_decimal: {
    refused: ["1.5.0", "-1", "+1", "12,50", "1,000", " 1", "1 ", "1e3", "01", "1.", ".5", "1.23456", "1".repeat(16)],
    accepted: ["0", "0.5", "12.50", "289.5", "0.0001", `${"9".repeat(15)}.9999`],
  },
  invalid_currency_code: { refused: ["usd", "US", "USDX", "U$D", " USD"], accepted: ["USD", "JPY", "KWD"] },
  invalid_country_code: { refused: ["us", "USA", "U", "D E"], accepted: ["US", "DE"] },
  invalid_sku: {
    refused: [" A-1", "A-1 ", "A\t1", "A\n1", "A\u200b1", "\u00a0A", "A\u20281"],
    accepted: ["A-1", "INJ-6.7-CR", "A 1", "Größe XL/Rot", "x".repeat(128)],
  },
  invalid_tax_category: {
    refused: ["Standard", "-x", "_x", "a b", "x".repeat(33), "ä"],
    accepted: ["standard", "reduced", "zero", "food_7", "x".repeat(32)],
  },
  invalid_region_code: {
    refused: ["ny", "NYC1", "N-Y", " NY", "NY ", "Ü"],
    accepted: ["NY", "BY", "75", "2A", "N"],
  },
  invalid_postal_code_prefix: {
    refused: ["", "   ", "10-001", "12345678901", "ü1", "1\t0"],
    accepted: ["100", "sw1a", "SW1A 1", " 1 0 ", "1234567890"],
  },
  invalid_tax_rate: {
    refused: ["1.5", "2", "-0.1", "+0.1", ".5", "0.", "00.1", "0.0000001", "1.000001", "1e-2", "0,5", " 0.1", "8.875"],
    accepted: ["0", "0.04", "0.040000", "0.08875", "0.000001", "1", "1.000000"],
  },
  invalid_order_number: {
    refused: ["-1", ".a", "_a", "a b", "a/b", "x".repeat(65), "ü"],
    accepted: ["A-1", "1001", "po_2024.01", "x".repeat(64)],
  },
  invalid_gift_card_code: {
    refused: [
      "ABCD-EFG",
      "--------",
      "ABCD EFGH",
      "ABCD*EFGH",
      "ÄBCDEFGH",
      "x".repeat(65),
      `${"-".repeat(57)}ABCDEFGH`,
    ],
    accepted: ["ABCD-EFGH-JKLM-NPQR", "abcd1234", "-a-b-c-d-e-f-g-h-", "x".repeat(64)],
  },
  invalid_promotion_code: {
    refused: ["", "ab", "a b", "SUMMER!", "SUMMER.10", "ÄBC", " ABC", "x".repeat(65)],
    accepted: ["SUMMER-10", "abc", "free_ship", "2024", "x".repeat(64)],
  },
};

const GEN_DIR = fileURLToPath(new URL("../../gen/orders/", import.meta.url));
const ERRORS_DOC = fileURLToPath(new URL("../../docs/errors.md", import.meta.url));

/** Every file of the contract, read from its generated code (gen/ is checked to be fresh by .ci/run). */
async function contractFiles(): Promise<DescFile[]> {
  const files: DescFile[] = [];
  for (const entry of await readdir(GEN_DIR, { recursive: true })) {
    if (!entry.endsWith("_pb.ts")) continue;
    const module = (await import(join(GEN_DIR, entry))) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (typeof value === "object" && value !== null && "kind" in value && value.kind === "file")
        files.push(value as DescFile);
    }
  }
  return files;
}

function allMessages(messages: readonly DescMessage[]): DescMessage[] {
  return messages.flatMap((m) => [m, ...allMessages(m.nestedMessages)]);
}

/** One rule found in the contract: where, what, and the CEL rule itself when it is one. */
interface FoundRule {
  /** e.g. "orders.v1.LineItemInput.unit_price" or "orders.v1.Order.metadata (values)". */
  at: string;
  /** Standard rule id ("string.max_len"), or "cel", "cel_expression", "oneof.required", "message.oneof". */
  kind: string;
  cel?: Rule;
  /** The field whose rules hold it, and whether it applies to the field or its repeated items or map keys or values. */
  place?: RulePlace;
}

interface RulePlace {
  field: DescField;
  within: "field" | "items" | "keys" | "values";
}

/** Rule types whose members hold the rules of the elements: a repeated field's items, a map's keys and values. */
const NESTED_RULES: Record<string, ("items" | "keys" | "values")[]> = { repeated: ["items"], map: ["keys", "values"] };

/** The rules of one field's FieldRules, recursing into repeated items and map keys and values. */
function fieldRules(at: string, rules: FieldRules, files: DescFile[], place: RulePlace): FoundRule[] {
  const found: FoundRule[] = [];
  if (rules.required) found.push({ at, kind: "required", place });
  for (const cel of rules.cel) found.push({ at, kind: "cel", cel, place });
  for (const expression of rules.celExpression) found.push({ at, kind: `cel_expression ${expression}`, place });
  const reflected = reflect(FieldRulesSchema, rules);
  const typeOneof = FieldRulesSchema.oneofs.find((o) => o.name === "type");
  const ruleType = typeOneof && reflected.oneofCase(typeOneof);
  if (ruleType?.fieldKind !== "message") return found;
  const type = ruleType.name; // "string", "int32", "repeated", ...
  const typeRules: ReflectMessage = reflected.get(ruleType);
  for (const member of typeRules.fields) {
    if (!typeRules.isSet(member)) continue;
    const within = NESTED_RULES[type]?.find((name) => name === member.name);
    if (within) {
      const nested = typeRules.get(member);
      if (isReflectMessage(nested, FieldRulesSchema))
        found.push(...fieldRules(`${at} (${within})`, nested.message as FieldRules, files, { ...place, within }));
      continue;
    }
    found.push({ at, kind: `${type}.${member.name}`, place });
  }
  // Predefined rules: extensions of the rule message the contract defines, each with its own CEL rules.
  for (const unknown of typeRules.getUnknown() ?? []) {
    const extension = files
      .flatMap((file) => [...file.extensions, ...allMessages(file.messages).flatMap((m) => m.nestedExtensions)])
      .find((ext) => ext.extendee.typeName === typeRules.desc.typeName && ext.number === unknown.no);
    if (!extension || !hasOption(extension, predefinedOption)) {
      found.push({ at, kind: `unknown predefined rule ${typeRules.desc.typeName} field ${unknown.no}`, place });
      continue;
    }
    for (const cel of getOption(extension, predefinedOption).cel) found.push({ at, kind: "cel", cel, place });
  }
  return found;
}

function rulesOfContract(files: DescFile[]): FoundRule[] {
  const found: FoundRule[] = [];
  for (const message of files.flatMap((file) => allMessages(file.messages))) {
    if (hasOption(message, messageRulesOption)) {
      const rules = getOption(message, messageRulesOption);
      for (const cel of rules.cel) found.push({ at: message.typeName, kind: "cel", cel });
      for (const expression of rules.celExpression)
        found.push({ at: message.typeName, kind: `cel_expression ${expression}` });
      if (rules.oneof.length > 0) found.push({ at: message.typeName, kind: "message.oneof" });
    }
    for (const oneof of message.oneofs) {
      if (hasOption(oneof, oneofRulesOption) && getOption(oneof, oneofRulesOption).required)
        found.push({ at: `${message.typeName}.${oneof.name}`, kind: "oneof.required" });
    }
    for (const field of message.fields) {
      if (hasOption(field, fieldRulesOption))
        found.push(
          ...fieldRules(`${message.typeName}.${field.name}`, getOption(field, fieldRulesOption), files, {
            field,
            within: "field",
          }),
        );
    }
  }
  return found;
}

/** Why a rule lacks a message a person understands, or undefined when it has one. */
function problemOf(rule: FoundRule): string | undefined {
  if (rule.kind === "message.oneof" || PLAIN_STANDARD_RULES.has(rule.kind)) return undefined;
  if (rule.kind !== "cel" || !rule.cel)
    return `${rule.kind}: its fixed message is not written for people; write it as a CEL rule with an id and a message`;
  const { id, message } = rule.cel;
  if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$/.test(id)) return `CEL rule id "${id}" is not a lower_snake name`;
  if (message.trim() === "") return `CEL rule ${id} has no message`;
  if (/[\\^$`]|\bthis\.|\brules\./.test(message)) return `CEL rule ${id}'s message quotes the rule: "${message}"`;
  return undefined;
}

/**
 * How to put a string where a rule applies: the field itself, one repeated item, or one map key or value (the other
 * half of the entry is a string too, "A"). Undefined for anything but strings.
 */
function stringSetter(place: RulePlace): ((message: ReflectMessage, text: string) => void) | undefined {
  const { field, within } = place;
  const isString = (scalar: ScalarType | undefined) => scalar === ScalarType.STRING;
  if (within === "field" && field.fieldKind === "scalar" && isString(field.scalar))
    return (message, text) => message.set(field, text);
  if (within === "items" && field.fieldKind === "list" && isString(field.scalar))
    return (message, text) => message.set(field, reflectList(field, [text]));
  if ((within === "keys" || within === "values") && field.fieldKind === "map") {
    if (!isString(field.mapKey) || field.mapKind !== "scalar" || !isString(field.scalar)) return undefined;
    return (message, text) => message.set(field, reflectMap(field, within === "keys" ? { [text]: "A" } : { A: text }));
  }
  return undefined;
}

/** The field violation reason a rule id becomes (as the validation interceptor spells it). */
const reasonOf = (id: string) => id.toUpperCase().replace(/[^A-Z0-9]+/g, "_");

describe("every protovalidate rule of the contract has a message for people", async () => {
  const files = await contractFiles();
  const rules = rulesOfContract(files);
  const celRules = rules.filter((r): r is FoundRule & { cel: Rule } => r.cel !== undefined);

  it("finds the contract and its rules", () => {
    expect(files.map((f) => f.name)).toContain("orders/v1/orders_service");
    expect(rules.length).toBeGreaterThan(50);
    // Rules on repeated items and map entries are found too.
    expect(rules.map((r) => `${r.at}: ${r.kind}`)).toEqual(
      expect.arrayContaining([
        "orders.v1.Order.tags (items): string.max_len",
        "orders.v1.Order.metadata (keys): string.min_len",
        "orders.v1.Order.create_time: timestamp.gte",
        "orders.v1.AddCartLinesRequest.items: repeated.min_items",
        "orders.v1.LineItemInput.quantity: int32.gt",
      ]),
    );
    expect(celRules.map((r) => r.at)).toContain("orders.v1.LineItemInput.unit_price");
  });

  it("has no rule whose violation would show the rule instead of words", () => {
    const problems = rules.flatMap((rule) => {
      const problem = problemOf(rule);
      return problem ? [`${rule.at}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  it("documents the field violation reason of each CEL rule id in docs/errors.md", async () => {
    const doc = await readFile(ERRORS_DOC, "utf8");
    const undocumented = [...new Set(celRules.map((r) => r.cel.id))].filter(
      (id) => !doc.includes(`\`${reasonOf(id)}\``),
    );
    expect(undocumented).toEqual([]);
  });

  it("has examples for every CEL rule id, and each rule refuses and accepts them with its message", () => {
    const validator = createValidator();
    const missing = [...new Set(celRules.map((r) => r.cel.id))].filter((id) => !(id in EXAMPLES));
    expect(missing, "add values the rule refuses and accepts to EXAMPLES").toEqual([]);
    let checked = 0;
    for (const { at, cel, place } of celRules) {
      const examples = EXAMPLES[cel.id];
      if (!examples) continue;
      const set = place && stringSetter(place);
      expect(set, `${at}: a CEL rule on something else than strings; add a case for it`).toBeDefined();
      if (!place || !set) continue;
      // Validate the field's message with the value in place; look at that field's violations of this rule only.
      const violationsOf = (text: string) => {
        const message = reflect(place.field.parent);
        set(message, text);
        const result = validator.validate(place.field.parent, message.message);
        if (result.kind === "error") throw result.error;
        return result.kind === "valid"
          ? []
          : result.violations
              .filter((v) => v.ruleId === cel.id && pathToString(v.field).startsWith(place.field.name))
              .map((v) => ({ ruleId: v.ruleId, message: v.message }));
      };
      for (const text of examples.refused)
        expect(violationsOf(text), `${at} = ${JSON.stringify(text)}`).toEqual([
          { ruleId: cel.id, message: cel.message },
        ]);
      for (const text of examples.accepted) expect(violationsOf(text), `${at} = ${JSON.stringify(text)}`).toEqual([]);
      checked++;
    }
    expect(checked).toBe(celRules.length);
  });
});

describe("the contract's amount rule (invalid_decimal)", () => {
  it("accepts exactly the amounts the service reads (AMOUNT_PATTERN), over every short string of amount-like characters", () => {
    const validator = createValidator();
    const alphabet = ["0", "1", "9", ".", "-", "+", "e", ",", " "];
    let texts = [""];
    const all: string[] = [];
    for (let length = 1; length <= 4; length++) {
      texts = texts.flatMap((prefix) => alphabet.map((c) => prefix + c));
      all.push(...texts);
    }
    all.push("1".repeat(15), "1".repeat(16), "1.2345", "1.23456", `${"9".repeat(15)}.9999`);
    const disagreements = all.filter((text) => {
      const result = validator.validate(
        LineItemInputSchema,
        create(LineItemInputSchema, { sku: "A", name: "A", unitPrice: text }),
      );
      return (result.kind === "valid") !== isCanonicalAmount(text);
    });
    expect(disagreements).toEqual([]);
  });
});
