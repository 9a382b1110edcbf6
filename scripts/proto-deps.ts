/**
 * Writes buf/validate/validate.proto as .proto source into an output directory
 * (default `.deps/proto`, gitignored), so buf and protobufjs can compile our protos that import it.
 *
 *   node --import tsx scripts/proto-deps.ts [outDir]     (or PROTO_DEPS_OUT=outDir)
 *
 * WHY: no npm package ships validate.proto as source, we may not vendor it, and there is no
 * network or Buf Schema Registry. @bufbuild/protovalidate does ship the file's FileDescriptorProto
 * (embedded in its generated code), so we print that descriptor back to .proto text.
 * No installed library prints a descriptor as source (protobufjs-cli's `pbjs -t proto` is not a
 * dependency and goes through protobufjs' descriptor conversion, which drops custom options),
 * hence the small printer below. It fails loudly on constructs it does not print (proto2 groups,
 * options it cannot name) instead of writing a file that compiles to something else.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createRegistry, getExtension, isFieldSet, isMessage, ScalarType } from "@bufbuild/protobuf";
import type {
  DescEnum,
  DescExtension,
  DescField,
  DescFile,
  DescMessage,
  DescOneof,
  DescService,
  MessageShape,
  Registry,
} from "@bufbuild/protobuf";
import { isReflectList, isReflectMap, isReflectMessage, protoCamelCase, reflect } from "@bufbuild/protobuf/reflect";
import type { ReflectMessage } from "@bufbuild/protobuf/reflect";
import {
  Edition,
  EnumOptionsSchema,
  EnumValueOptionsSchema,
  ExtensionRangeOptionsSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  FileOptionsSchema,
  MessageOptionsSchema,
  MethodOptionsSchema,
  OneofOptionsSchema,
  ServiceOptionsSchema,
} from "@bufbuild/protobuf/wkt";
import { file_buf_validate_validate } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";

type FieldLike = DescField | DescExtension;
type Syntax = "proto2" | "proto3" | "editions";
/** One set member of an options message: a regular field or an extension decoded from unknown fields. */
interface OptionMember {
  name: string;
  field: FieldLike;
  value: unknown;
}

const MAX_FIELD_NUMBER = 536_870_911;
const MAX_ENUM_NUMBER = 2_147_483_647;

const syntaxOf = (file: DescFile): Syntax =>
  file.edition === Edition.EDITION_PROTO2 ? "proto2" : file.edition === Edition.EDITION_PROTO3 ? "proto3" : "editions";

/**
 * A string literal that protoc/buf read back exactly, and protobufjs too unless the text holds both
 * quote characters or control characters other than \n \r \t (its tokenizer turns `\"` into ""
 * and knows no octal escapes), hence the choice of the quote char that needs no escaping.
 */
export function quote(text: string): string {
  const q = text.includes('"') && !text.includes("'") ? "'" : '"';
  let out = q;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === "\\" || ch === q) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += ch; // non-ASCII stays UTF-8: both compilers accept it in string literals
  }
  return out + q;
}

function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    if (b === 0x5c || b === 0x22) out += `\\${String.fromCharCode(b)}`;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, "0")}`;
  }
  return out + '"';
}

function scalarText(type: ScalarType, value: unknown): string {
  switch (type) {
    case ScalarType.STRING:
      return quote(String(value));
    case ScalarType.BYTES:
      return quoteBytes(value instanceof Uint8Array ? value : new Uint8Array());
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE: {
      const n = Number(value);
      return Number.isNaN(n) ? "nan" : n === Infinity ? "inf" : n === -Infinity ? "-inf" : String(n);
    }
    default:
      return String(value); // bool, 32-bit ints, 64-bit ints (bigint or string)
  }
}

function enumText(desc: DescEnum, value: unknown): string {
  return desc.values.find((v) => v.number === value)?.name ?? String(value);
}

/** Set fields of an options (or option value) message, followed by its extensions in wire order. */
function optionMembers(msg: ReflectMessage, registry: Registry): OptionMember[] {
  const members: OptionMember[] = [];
  for (const field of msg.fields) {
    if (msg.isSet(field) && field.name !== "uninterpreted_option")
      members.push({ name: field.name, field, value: msg.get(field) });
  }
  const seen = new Set<number>();
  for (const { no } of msg.getUnknown() ?? []) {
    if (seen.has(no)) continue;
    seen.add(no);
    const ext = registry.getExtensionFor(msg.desc, no);
    if (!ext) throw new Error(`cannot print field ${no} of ${msg.desc.typeName}: no extension registered for it`);
    const raw: unknown = getExtension(msg.message, ext);
    const value = ext.message && isMessage(raw, ext.message) ? reflect(ext.message, raw) : raw;
    // Leading dot: fully qualified, so a field named like the package's first component can't capture it.
    members.push({ name: `(.${ext.typeName})`, field: ext, value });
  }
  return members;
}

/** Text-format value: scalars, enums and `{ ... }` aggregates for messages. */
function valueText(field: FieldLike, value: unknown, registry: Registry, indent: string): string {
  if (isReflectMessage(value)) {
    const inner = indent + "  ";
    const lines: string[] = [];
    for (const m of optionMembers(value, registry)) {
      const name = m.name.startsWith("(") ? `[${m.name.slice(2, -1)}]` : m.name; // text format: [full.name]
      for (const item of elementTexts(m.field, m.value, registry, inner)) lines.push(`${inner}${name}: ${item}`);
    }
    return lines.length ? `{\n${lines.join("\n")}\n${indent}}` : "{}";
  }
  if (field.enum) return enumText(field.enum, value);
  if (field.scalar !== undefined) return scalarText(field.scalar, value);
  throw new Error(`cannot print value of ${field.name}`);
}

/** The text of each element of a value: one for singular fields, one per element or map entry otherwise. */
function elementTexts(field: FieldLike, value: unknown, registry: Registry, indent: string): string[] {
  if (isReflectList(value)) return [...value].map((v) => valueText(field, v, registry, indent));
  if (isReflectMap(value) && field.fieldKind === "map") {
    const inner = indent + "  ";
    return [...value].map(
      ([k, v]) =>
        `{\n${inner}key: ${scalarText(field.mapKey, k)}\n${inner}value: ${valueText(field, v, registry, inner)}\n${indent}}`,
    );
  }
  if (Array.isArray(value)) {
    // A repeated extension: getExtension hands back plain values and messages.
    return value.map((v: unknown) =>
      valueText(field, field.message && isMessage(v, field.message) ? reflect(field.message, v) : v, registry, indent),
    );
  }
  return [valueText(field, value, registry, indent)];
}

/**
 * `name = value` entries for an options message. Singular message values are flattened into
 * dotted paths (`(.buf.validate.field).string.uuid = true`), the way people write them; repeated
 * values get one entry per element with an aggregate for messages (`(x).cel = { ... }`).
 */
function optionEntries(options: ReflectMessage | undefined, registry: Registry, indent: string, prefix = ""): string[] {
  if (!options) return [];
  const entries: string[] = [];
  for (const m of optionMembers(options, registry)) {
    const path = prefix + m.name;
    if (isReflectMessage(m.value) && optionMembers(m.value, registry).length > 0) {
      entries.push(...optionEntries(m.value, registry, indent, `${path}.`));
      continue;
    }
    for (const item of elementTexts(m.field, m.value, registry, indent)) entries.push(`${path} = ${item}`);
  }
  return entries;
}

function reflectOptions<Desc extends DescMessage>(
  schema: Desc,
  options: MessageShape<Desc> | undefined,
): ReflectMessage | undefined {
  return options ? reflect(schema, options) : undefined;
}

/** `[a = 1, b = 2]`, one entry per line when a value spans lines. */
function bracket(entries: string[], indent: string): string {
  if (entries.length === 0) return "";
  if (!entries.some((e) => e.includes("\n"))) return ` [${entries.join(", ")}]`;
  const inner = indent + "  ";
  return ` [\n${entries.map((e) => inner + e.replaceAll("\n", `\n  `)).join(",\n")}\n${indent}]`;
}

function typeText(field: FieldLike): string {
  if (field.fieldKind === "map") {
    const value = field.message
      ? `.${field.message.typeName}`
      : field.enum
        ? `.${field.enum.typeName}`
        : ScalarType[field.scalar].toLowerCase();
    return `map<${ScalarType[field.mapKey].toLowerCase()}, ${value}>`;
  }
  const t = field.proto.type;
  if (
    t === FieldDescriptorProto_Type.MESSAGE ||
    t === FieldDescriptorProto_Type.ENUM ||
    t === FieldDescriptorProto_Type.GROUP
  ) {
    return field.proto.typeName; // fully qualified with a leading dot, so scoping can never pick another type
  }
  return FieldDescriptorProto_Type[t].toLowerCase();
}

function labelText(field: FieldLike, syntax: Syntax): string {
  if (field.fieldKind === "map" || (field.kind === "field" && field.oneof)) return "";
  const { label, proto3Optional } = field.proto;
  if (label === FieldDescriptorProto_Label.REPEATED) return "repeated ";
  if (syntax === "proto2") return label === FieldDescriptorProto_Label.REQUIRED ? "required " : "optional ";
  if (syntax === "proto3") return proto3Optional ? "optional " : "";
  return ""; // editions express presence as a feature option, printed with the other options
}

function defaultText(field: FieldLike): string {
  const { defaultValue, type } = field.proto;
  if (type === FieldDescriptorProto_Type.STRING) return quote(defaultValue);
  if (type === FieldDescriptorProto_Type.BYTES) return `"${defaultValue}"`; // descriptor.proto: bytes defaults are stored C-escaped
  return defaultValue; // numbers, inf/nan, true/false, enum value names
}

function fieldText(field: FieldLike, ctx: PrintContext, indent: string): string {
  const p = field.proto;
  if (p.type === FieldDescriptorProto_Type.GROUP && ctx.syntax === "proto2")
    throw new Error(`group ${field.name}: groups are not supported`);
  const entries: string[] = [];
  if (isFieldSet(p, FieldDescriptorProtoSchema.field.defaultValue)) entries.push(`default = ${defaultText(field)}`);
  // Generated code strips json_name when it is the default; print it only when someone chose it.
  if (isFieldSet(p, FieldDescriptorProtoSchema.field.jsonName) && p.jsonName !== protoCamelCase(p.name)) {
    entries.push(`json_name = ${quote(p.jsonName)}`);
  }
  entries.push(...optionEntries(reflectOptions(FieldOptionsSchema, p.options), ctx.registry, indent));
  return `${indent}${labelText(field, ctx.syntax)}${typeText(field)} ${p.name} = ${p.number}${bracket(entries, indent)};`;
}

interface PrintContext {
  syntax: Syntax;
  registry: Registry;
}

function optionLines(options: ReflectMessage | undefined, ctx: PrintContext, indent: string): string[] {
  return optionEntries(options, ctx.registry, indent).map((e) => `${indent}option ${e};`);
}

/** `1, 5 to 9, 100 to max` from [start, end) ranges (messages) or [start, end] ranges (enums). */
function rangesText(ranges: { start: number; end: number }[], endExclusive: boolean, max: number): string {
  return ranges
    .map(({ start, end }) => {
      const last = endExclusive ? end - 1 : end;
      return start === last ? `${start}` : `${start} to ${last === max ? "max" : last}`;
    })
    .join(", ");
}

function reservedLines(
  ranges: { start: number; end: number }[],
  names: string[],
  endExclusive: boolean,
  max: number,
  ctx: PrintContext,
  indent: string,
): string[] {
  const lines: string[] = [];
  if (ranges.length) lines.push(`${indent}reserved ${rangesText(ranges, endExclusive, max)};`);
  // proto2/proto3 quote reserved names; editions write them as identifiers.
  if (names.length)
    lines.push(`${indent}reserved ${names.map((n) => (ctx.syntax === "editions" ? n : quote(n))).join(", ")};`);
  return lines;
}

function enumLines(desc: DescEnum, ctx: PrintContext, indent: string): string[] {
  const inner = indent + "  ";
  const p = desc.proto;
  return [
    `${indent}enum ${desc.name} {`,
    ...optionLines(reflectOptions(EnumOptionsSchema, p.options), ctx, inner),
    ...desc.values.map((v) => {
      const entries = optionEntries(reflectOptions(EnumValueOptionsSchema, v.proto.options), ctx.registry, inner);
      return `${inner}${v.name} = ${v.number}${bracket(entries, inner)};`;
    }),
    ...reservedLines(p.reservedRange, p.reservedName, false, MAX_ENUM_NUMBER, ctx, inner),
    `${indent}}`,
  ];
}

function oneofLines(oneof: DescOneof, ctx: PrintContext, indent: string): string[] {
  const inner = indent + "  ";
  return [
    `${indent}oneof ${oneof.name} {`,
    ...optionLines(reflectOptions(OneofOptionsSchema, oneof.proto.options), ctx, inner),
    ...oneof.fields.map((f) => fieldText(f, ctx, inner)),
    `${indent}}`,
  ];
}

/** Extensions grouped into `extend` blocks, one block per run of the same extendee. */
function extendLines(extensions: DescExtension[], ctx: PrintContext, indent: string): string[] {
  const lines: string[] = [];
  let open: string | undefined;
  for (const ext of extensions) {
    if (ext.proto.extendee !== open) {
      if (open !== undefined) lines.push(`${indent}}`);
      open = ext.proto.extendee;
      lines.push(`${indent}extend ${open} {`);
    }
    lines.push(fieldText(ext, ctx, indent + "  "));
  }
  if (open !== undefined) lines.push(`${indent}}`);
  return lines;
}

function messageLines(desc: DescMessage, ctx: PrintContext, indent: string): string[] {
  const inner = indent + "  ";
  const p = desc.proto;
  const extensionRanges = p.extensionRange.map((r) => {
    const entries = optionEntries(reflectOptions(ExtensionRangeOptionsSchema, r.options), ctx.registry, inner);
    return `${inner}extensions ${rangesText([r], true, MAX_FIELD_NUMBER)}${bracket(entries, inner)};`;
  });
  return [
    `${indent}message ${desc.name} {`,
    ...optionLines(reflectOptions(MessageOptionsSchema, p.options), ctx, inner),
    ...desc.members.flatMap((m) => (m.kind === "oneof" ? oneofLines(m, ctx, inner) : [fieldText(m, ctx, inner)])),
    ...desc.nestedEnums.flatMap((e) => enumLines(e, ctx, inner)),
    ...desc.nestedMessages.flatMap((m) => messageLines(m, ctx, inner)),
    ...extendLines(desc.nestedExtensions, ctx, inner),
    ...extensionRanges,
    ...reservedLines(p.reservedRange, p.reservedName, true, MAX_FIELD_NUMBER, ctx, inner),
    `${indent}}`,
  ];
}

function serviceLines(desc: DescService, ctx: PrintContext): string[] {
  const methods = desc.methods.flatMap((m) => {
    const input = `${m.proto.clientStreaming ? "stream " : ""}.${m.input.typeName}`;
    const output = `${m.proto.serverStreaming ? "stream " : ""}.${m.output.typeName}`;
    const opts = optionLines(reflectOptions(MethodOptionsSchema, m.proto.options), ctx, "    ");
    const head = `  rpc ${m.name}(${input}) returns (${output})`;
    return opts.length ? [`${head} {`, ...opts, "  }"] : [`${head};`];
  });
  return [
    `service ${desc.name} {`,
    ...optionLines(reflectOptions(ServiceOptionsSchema, desc.proto.options), ctx, "  "),
    ...methods,
    "}",
  ];
}

/** All files `file` depends on, itself included: the registry that names every option it uses. */
function withDependencies(file: DescFile, seen = new Map<string, DescFile>()): DescFile[] {
  if (!seen.has(file.name)) {
    seen.set(file.name, file);
    for (const dep of file.dependencies) withDependencies(dep, seen);
  }
  return [...seen.values()];
}

/** Prints a file descriptor as .proto source that compiles back to the same descriptor. */
export function printProtoFile(file: DescFile, header: string[] = []): string {
  const ctx: PrintContext = { syntax: syntaxOf(file), registry: createRegistry(...withDependencies(file)) };
  const p = file.proto;
  const publicDeps = new Set(p.publicDependency);
  const weakDeps = new Set(p.weakDependency);
  const sections: string[][] = [
    header.map((h) => `// ${h}`.trimEnd()),
    [
      ctx.syntax === "editions"
        ? `edition = "${Edition[file.edition].replace("EDITION_", "")}";`
        : `syntax = "${ctx.syntax}";`,
    ],
    p.package ? [`package ${p.package};`] : [],
    p.dependency.map((d, i) => `import ${publicDeps.has(i) ? "public " : weakDeps.has(i) ? "weak " : ""}${quote(d)};`),
    optionLines(reflectOptions(FileOptionsSchema, p.options), ctx, ""),
    ...file.enums.map((e) => enumLines(e, ctx, "")),
    ...file.messages.map((m) => messageLines(m, ctx, "")),
    extendLines(file.extensions, ctx, ""),
    ...file.services.map((s) => serviceLines(s, ctx)),
  ];
  return (
    sections
      .filter((s) => s.length > 0)
      .map((s) => s.join("\n"))
      .join("\n\n") + "\n"
  );
}

/** The .proto files we produce, each from a descriptor an installed npm package ships. */
const DEPENDENCY_FILES: { file: DescFile; source: string }[] = [
  { file: file_buf_validate_validate, source: "@bufbuild/protovalidate" },
];

/**
 * .proto sources that npm packages do ship: copied as they are, under the
 * path other protos import them by (grpc-health-check keeps health.proto
 * under proto/health/v1, but its canonical name is grpc/health/v1/health.proto).
 */
const SHIPPED_FILES: { pkg: string; from: string; to: string }[] = [
  { pkg: "google-proto-files", from: "google/rpc/error_details.proto", to: "google/rpc/error_details.proto" },
  { pkg: "google-proto-files", from: "google/rpc/status.proto", to: "google/rpc/status.proto" },
  { pkg: "google-proto-files", from: "google/type/date.proto", to: "google/type/date.proto" },
  { pkg: "grpc-health-check", from: "proto/health/v1/health.proto", to: "grpc/health/v1/health.proto" },
  {
    pkg: "@grpc/reflection",
    from: "build/proto/grpc/reflection/v1/reflection.proto",
    to: "grpc/reflection/v1/reflection.proto",
  },
];

const NODE_MODULES = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules");

async function packageVersion(name: string): Promise<string> {
  // The package's "exports" hides package.json, so find it from the resolved entry point.
  let dir = dirname(fileURLToPath(import.meta.resolve(name)));
  for (;;) {
    const pkg: unknown = JSON.parse(await readFile(join(dir, "package.json"), "utf8").catch(() => "{}"));
    if (typeof pkg === "object" && pkg !== null && "name" in pkg && pkg.name === name && "version" in pkg)
      return String(pkg.version);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json of ${name} not found`);
    dir = parent;
  }
}

export const DEFAULT_OUT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", ".deps", "proto");

/** Writes every dependency .proto under outDir; rewrites a file only when its text changed. */
export async function writeProtoDeps(outDir: string = DEFAULT_OUT_DIR): Promise<{ path: string; changed: boolean }[]> {
  const results: { path: string; changed: boolean }[] = [];
  for (const { file, source } of DEPENDENCY_FILES) {
    const text = printProtoFile(file, [
      `Code generated by scripts/proto-deps.ts from ${source}@${await packageVersion(source)}. DO NOT EDIT.`,
      "Printed from the FileDescriptorProto embedded in that package's generated code: every",
      "declaration and option (including the (predefined).cel rules) is kept, but the embedded",
      "descriptor has no source comments, so the upstream documentation comments are absent.",
    ]);
    results.push(await writeIfChanged(join(resolve(outDir), file.proto.name), text));
  }
  for (const { pkg, from, to } of SHIPPED_FILES) {
    const text = await readFile(join(NODE_MODULES, pkg, from), "utf8");
    results.push(await writeIfChanged(join(resolve(outDir), to), text));
  }
  return results;
}

async function writeIfChanged(path: string, text: string): Promise<{ path: string; changed: boolean }> {
  const current = await readFile(path, "utf8").catch(() => undefined);
  if (current !== text) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  }
  return { path, changed: current !== text };
}

if (import.meta.main) {
  const outDir = process.argv[2] ?? process.env.PROTO_DEPS_OUT ?? DEFAULT_OUT_DIR;
  for (const { path, changed } of await writeProtoDeps(outDir)) {
    console.log(`${changed ? "wrote" : "up to date"} ${path}`);
  }
}
