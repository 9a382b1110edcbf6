import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { create, createFileRegistry, createRegistry, fromBinary, getExtension, toJson } from "@bufbuild/protobuf";
import type { DescFile, Registry } from "@bufbuild/protobuf";
import { embedFileDesc } from "@bufbuild/protobuf/codegenv2";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, FileOptionsSchema } from "@bufbuild/protobuf/wkt";
import type { FileDescriptorProto, FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { WireType } from "@bufbuild/protobuf/wire";
import { loadSync } from "@grpc/proto-loader";
import { loadProtosWithOptionsSync } from "@grpc/proto-loader/build/src/util.js";
import { file_buf_validate_validate, predefined } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import protobuf from "protobufjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { printProtoFile, quote } from "../../scripts/proto-deps.js";

const REPO = resolve(import.meta.dirname, "../..");
const BUF = join(REPO, "node_modules/.bin/buf");
const GOOGLE_PROTOS = join(REPO, "node_modules/google-proto-files");
const execFileAsync = promisify(execFile);

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cmd: string, args: string[], cwd = REPO, env: NodeJS.ProcessEnv = process.env): Promise<RunResult> {
  try {
    const { stdout, stderr } = await execFileAsync(cmd, args, { cwd, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (
      error instanceof Error &&
      "code" in error &&
      typeof error.code === "number" &&
      "stdout" in error &&
      "stderr" in error
    ) {
      return { code: error.code, stdout: String(error.stdout), stderr: String(error.stderr) };
    }
    throw error;
  }
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
}

/** `buf build` of a directory into a FileDescriptorSet (imports included, no source info). */
async function bufImage(dir: string, out: string): Promise<FileDescriptorSet> {
  const result = await run(BUF, ["build", dir, "-o", out, "--exclude-source-info"]);
  expect(result.stderr).toBe("");
  return fromBinary(FileDescriptorSetSchema, await readFile(out));
}

function fileNamed(set: FileDescriptorSet, name: string): FileDescriptorProto {
  const file = set.file.find((f) => f.name === name);
  if (!file) throw new Error(`${name} not in image`);
  return file;
}

const SAMPLE_PROTO = `syntax = "proto3";

package orders.v1;

import "buf/validate/validate.proto";

message SampleLine {
  string sku = 1 [(buf.validate.field).string.min_len = 1];
}

message SampleRequest {
  option (buf.validate.message).cel = {
    id: "sample.lines_or_note"
    message: "lines or note is required"
    expression: "size(this.lines) > 0 || this.note != ''"
  };

  string customer_id = 1 [(buf.validate.field).string.uuid = true];
  repeated SampleLine lines = 2 [(buf.validate.field).repeated = {min_items: 1, max_items: 500}];
  map<string, string> attributes = 3 [(buf.validate.field).map = {
    max_pairs: 16
    keys: {string: {min_len: 1, max_len: 64}}
    values: {string: {max_len: 256}}
  }];
  string note = 4;
}
`;

// The deps module keeps upstream's one lint exception: package buf.validate has no version suffix.
const BUF_YAML = `version: v2
modules:
  - path: deps
    lint:
      use: [STANDARD]
      except: [PACKAGE_VERSION_SUFFIX]
      # copied as shipped by their packages; only the printed validate.proto is ours to hold to STANDARD
      ignore: [deps/google, deps/grpc]
  - path: sample
    lint:
      use: [STANDARD]
`;

describe("scripts/proto-deps.ts", () => {
  let work: string;
  let deps: string;
  let validateProto: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "proto-deps-"));
    deps = join(work, "deps");
    validateProto = join(deps, "buf/validate/validate.proto");
    await writeFiles(work, { "buf.yaml": BUF_YAML, "sample/orders/v1/sample.proto": SAMPLE_PROTO });
    const result = await run(process.execPath, ["--import", "tsx", "scripts/proto-deps.ts", deps]);
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")).toContain(`wrote ${validateProto}`);
    // The protos npm packages ship as source are staged beside it under their canonical paths.
    for (const shipped of [
      "google/rpc/error_details.proto",
      "google/rpc/status.proto",
      "grpc/health/v1/health.proto",
      "grpc/reflection/v1/reflection.proto",
    ]) {
      expect(result.stdout.split("\n")).toContain(`wrote ${join(deps, shipped)}`);
    }
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("leaves an up-to-date file untouched (output dir from PROTO_DEPS_OUT this time)", async () => {
    const before = await stat(validateProto);
    const result = await run(process.execPath, ["--import", "tsx", "scripts/proto-deps.ts"], REPO, {
      ...process.env,
      PROTO_DEPS_OUT: deps,
    });
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .split("\n")
        .filter(Boolean)
        .every((line) => line.startsWith("up to date ")),
    ).toBe(true);
    expect((await stat(validateProto)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(validateProto, "utf8")).toMatch(
      /^\/\/ Code generated by scripts\/proto-deps\.ts from @bufbuild\/protovalidate@1\.3\.0\. DO NOT EDIT\./,
    );
  });

  it("compiles back to exactly the descriptor @bufbuild/protovalidate ships", async () => {
    const rebuilt = fileNamed(await bufImage(deps, join(work, "deps.binpb")), "buf/validate/validate.proto");
    const registry = createRegistry(file_buf_validate_validate);
    // The shipped copy had default json_names stripped by protoc-gen-es; strip them from ours the same way.
    const comparable = (proto: FileDescriptorProto, reg: Registry) => {
      const stripped = embedFileDesc(proto).proto();
      stripped.dependency = [...proto.dependency];
      return toJson(FileDescriptorProtoSchema, stripped, { registry: reg });
    };
    expect(comparable(rebuilt, registry)).toEqual(comparable(file_buf_validate_validate.proto, registry));
  });

  it("lets buf build and lint a proto that uses the protovalidate annotations", async () => {
    expect(await run(BUF, ["build"], work)).toMatchObject({ code: 0, stderr: "" });
    expect(await run(BUF, ["lint"], work)).toMatchObject({ code: 0, stdout: "", stderr: "" });
  });

  it("lets buf lint reject misapplied rules, so buf understands them", async () => {
    await writeFiles(work, {
      "sample/orders/v1/bad.proto": `syntax = "proto3";
package orders.v1;
import "buf/validate/validate.proto";
message Bad {
  int32 count = 1 [(buf.validate.field).string.uuid = true];
  string text = 2 [(buf.validate.field).cel = {id: "bad", expression: "this +"}];
}
`,
    });
    try {
      const result = await run(BUF, ["lint"], work);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toContain('Field "count" is of type int32 but has (buf.validate.field).string rules');
      expect(result.stdout).toContain('(buf.validate.field).cel.expression on field "text" fails to compile');
    } finally {
      await rm(join(work, "sample/orders/v1/bad.proto"));
    }
  });

  it("loads with @grpc/proto-loader, using its built-in google/protobuf files", () => {
    const definition = loadSync("orders/v1/sample.proto", { includeDirs: [join(work, "sample"), deps] });
    expect(Object.keys(definition)).toEqual(
      expect.arrayContaining(["orders.v1.SampleRequest", "buf.validate.FieldRules"]),
    );
  });

  it("keeps the annotations on fields and messages as proto-loader's protobufjs root parses them", () => {
    // loadSync's PackageDefinition drops custom options, so look at the Root proto-loader builds.
    const root = loadProtosWithOptionsSync("orders/v1/sample.proto", {
      keepCase: true,
      includeDirs: [join(work, "sample"), deps, GOOGLE_PROTOS],
    });
    const request = root.lookupType("orders.v1.SampleRequest");
    expect(request.fields["customer_id"]?.options).toEqual({ "(buf.validate.field).string.uuid": true });
    expect(request.fields["lines"]?.options).toEqual({
      "(buf.validate.field).repeated.min_items": 1,
      "(buf.validate.field).repeated.max_items": 500,
    });
    expect(request.fields["attributes"]?.parsedOptions).toEqual([
      {
        "(buf.validate.field)": {
          map: { max_pairs: 16, keys: { string: { min_len: 1, max_len: 64 } }, values: { string: { max_len: 256 } } },
        },
      },
    ]);
    expect(request.parsedOptions).toEqual([
      {
        "(buf.validate.message)": {
          cel: {
            id: "sample.lines_or_note",
            message: "lines or note is required",
            expression: "size(this.lines) > 0 || this.note != ''",
          },
        },
      },
    ]);
  });

  it("gives protobufjs every predefined CEL rule unchanged (quotes and backslashes included)", () => {
    const root = loadProtosWithOptionsSync("buf/validate/validate.proto", {
      keepCase: true,
      includeDirs: [deps, GOOGLE_PROTOS],
    });
    let compared = 0;
    for (const message of file_buf_validate_validate.messages) {
      for (const field of message.fields) {
        if (!field.proto.options) continue;
        const expected = getExtension(field.proto.options, predefined).cel.map(({ id, message: text, expression }) => ({
          id,
          expression,
          ...(text ? { message: text } : {}),
        }));
        const parsed: unknown = root.lookupType(message.typeName).fields[field.name]?.parsedOptions;
        expect(parsed).toEqual([
          { "(.buf.validate.predefined)": { cel: expected.length === 1 ? expected[0] : expected } },
        ]);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

const FIXTURES: Record<string, string> = {
  "fx/p2.proto": `syntax = "proto2";
package fx.p2;
import "google/protobuf/descriptor.proto";
import public "fx/p3.proto";
option java_package = "fx.p2";
option optimize_for = SPEED;
extend google.protobuf.FieldOptions { optional string label = 50001; repeated int32 tags = 50002; optional Shape shape = 50003; }
extend google.protobuf.MessageOptions { optional Shape default_shape = 50004; optional fx.p3.Three three = 50005; }
enum Shape { option allow_alias = true; SHAPE_UNSPECIFIED = 0; SHAPE_ROUND = 1; SHAPE_CIRCLE = 1 [deprecated = true]; SHAPE_NEG = -3; reserved 10 to 20, 30, 40 to max; reserved "OLD"; }
message Everything {
  option (default_shape) = SHAPE_ROUND;
  option (three) = { maybe: "x" unpacked: [1, 2] m { key: "k" value: "\\001" } e: E_UNSPECIFIED };
  option deprecated = true;
  required int64 id = 1 [json_name = "ID", (label) = "it's \\"quoted\\"\\n\\ttab", (tags) = 1, (tags) = 2];
  optional string name = 2 [default = "a \\"b\\" 'c' \\\\ d"];
  optional bytes blob = 3 [default = "\\001\\377x\\""];
  optional double ratio = 4 [default = -inf];
  optional float f = 5 [default = nan];
  optional Shape shape = 6 [default = SHAPE_ROUND, (fx.p2.shape) = SHAPE_NEG];
  optional bool flag = 7 [default = true, deprecated = true];
  repeated int32 packed_ints = 8 [packed = true];
  map<string, Nested> by_name = 9;
  map<int32, Shape> by_num = 10;
  optional uint64 big = 11 [default = 18446744073709551615];
  optional int64 as_string = 12 [jstype = JS_STRING];
  oneof choice { string a = 20; Nested b = 21; }
  message Nested {
    enum Kind { KIND_UNSPECIFIED = 0; }
    optional Kind kind = 1;
    extend Everything { optional int32 nested_ext = 1001; }
  }
  extensions 1000 to 1999, 5000;
  extensions 10000 to max;
  reserved 100, 200 to 299;
  reserved "gone", "old_name";
}
service Svc {
  option deprecated = true;
  rpc Unary(Everything) returns (Everything);
  rpc Stream(stream Everything) returns (stream .fx.p2.Everything) { option idempotency_level = NO_SIDE_EFFECTS; }
}
`,
  "fx/p3.proto": `syntax = "proto3";
package fx.p3;
message Three {
  optional string maybe = 1;
  string plain = 2;
  repeated int32 unpacked = 3 [packed = false];
  map<string, bytes> m = 4;
  oneof o { int32 x = 5; string y = 6; }
  enum E { E_UNSPECIFIED = 0; }
  E e = 7;
}
`,
  "fx/ed.proto": `edition = "2023";
package fx.ed;
option features.field_presence = IMPLICIT;
message Ed {
  string a = 1;
  int32 b = 2 [features.field_presence = EXPLICIT, default = 5];
  Ed child = 3 [features.message_encoding = DELIMITED];
  int32 req = 4 [features.field_presence = LEGACY_REQUIRED];
  repeated int32 r = 5 [features.repeated_field_encoding = EXPANDED];
  reserved old, older;
}
enum Open { OPEN_UNSPECIFIED = 0; }
enum Closed { option features.enum_type = CLOSED; CLOSED_ZERO = 0; }
`,
};

describe("printProtoFile", () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "proto-print-"));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it("round-trips proto2, proto3 and editions files through buf", async () => {
    await writeFiles(join(work, "original"), { "buf.yaml": "version: v2\n", ...FIXTURES });
    const original = await bufImage(join(work, "original"), join(work, "original.binpb"));
    const registry = createFileRegistry(original);
    const reprinted: Record<string, string> = {};
    for (const name of Object.keys(FIXTURES)) {
      const file = registry.getFile(name);
      if (!file) throw new Error(`${name} missing from registry`);
      reprinted[name] = printProtoFile(file);
    }
    await writeFiles(join(work, "reprinted"), { "buf.yaml": "version: v2\n", ...reprinted });
    const rebuilt = await bufImage(join(work, "reprinted"), join(work, "reprinted.binpb"));
    for (const name of Object.keys(FIXTURES)) {
      const json = (set: FileDescriptorSet) => toJson(FileDescriptorProtoSchema, fileNamed(set, name), { registry });
      expect(json(rebuilt), name).toEqual(json(original));
    }
  });

  it.each([`say "hi"`, "it's", "back\\slash\nnew line\ttab", "ünïcode ✓"])(
    "quotes %j so protobufjs reads it back",
    (text) => {
      const parsed = protobuf.parse(`syntax = "proto3"; package t; message M { string s = 1 [(o) = ${quote(text)}]; }`);
      expect(parsed.root.lookupType("t.M").fields["s"]?.options).toEqual({ "(o)": text });
    },
  );

  it("refuses proto2 groups rather than printing them wrongly", async () => {
    await writeFiles(join(work, "group"), {
      "buf.yaml": "version: v2\n",
      "g.proto": 'syntax = "proto2";\npackage g;\nmessage M { optional group Item = 1 { optional int32 n = 2; } }\n',
    });
    const file = createFileRegistry(await bufImage(join(work, "group"), join(work, "group.binpb"))).getFile("g.proto");
    expect(() => printProtoFile(file as DescFile)).toThrow("group item: groups are not supported");
  });

  it("refuses an option it cannot name", () => {
    const options = create(FileOptionsSchema);
    options.$unknown = [{ no: 50_000, wireType: WireType.Varint, data: new Uint8Array([1]) }];
    const proto = create(FileDescriptorProtoSchema, { name: "x.proto", syntax: "proto3", package: "x", options });
    const file = createFileRegistry(proto, () => undefined).getFile("x.proto");
    expect(() => printProtoFile(file as DescFile)).toThrow(
      "cannot print field 50000 of google.protobuf.FileOptions: no extension registered for it",
    );
  });
});
