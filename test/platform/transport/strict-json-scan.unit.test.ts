import { fromJsonString, toJsonString, type DescMessage } from "@bufbuild/protobuf";
import { Int32ValueSchema, StructSchema } from "@bufbuild/protobuf/wkt";
import { assert, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../../gen/google/rpc/error_details_pb.js";
import { CreateOrderRequestSchema, ListOrdersRequestSchema } from "../../../gen/orders/v1/orders_service_pb.js";
import { ERROR_LIMITS } from "../../../src/platform/transport/error-details.js";
import {
  MAX_JSON_DEPTH,
  strictJsonDecoder,
  strictJsonError,
  strictJsonProblems,
} from "../../../src/platform/transport/strict-json.js";

// The scanner behind strict JSON decoding (src/transport/strict-json.ts), without a server: its rules at the edges,
// and that no input makes it throw, hang or cost more than a pass over the text.

const problems = (text: string, schema: DescMessage = CreateOrderRequestSchema) =>
  strictJsonProblems(schema, text)?.violations.map((v) => `${v.field} ${v.reason}`);

const quantity = (value: string) => `{"items":[{"sku":"A","quantity":${value}}]}`;

describe("integer values", () => {
  it.each(["8", "-8", "0", "-0", "8.0", "8.000", "8e0", "8E+0", "80e-1", "0.8e1", "0e5", "1e400", "2147483648"])(
    "%s is a proto3 JSON integer, quoted or not (range is the decoder's to check)",
    (value) => {
      expect(problems(quantity(value))).toBeUndefined();
      expect(problems(quantity(`"${value}"`))).toBeUndefined();
    },
  );

  it.each(["8.5", "0.5e1x", "1.0000000000000001", "85e-1", "1e-1"])("%s is not an integer", (value) => {
    const quotedProblems = problems(quantity(`"${value}"`));
    expect(quotedProblems).toEqual(["items[0].quantity INVALID_JSON_INTEGER"]);
  });

  it("checks unquoted numbers for integrality too; their grammar is JSON.parse's", () => {
    expect(problems(quantity("1.0000000000000001"))).toEqual(["items[0].quantity INVALID_JSON_INTEGER"]);
    expect(problems(quantity("8.5"))).toEqual(["items[0].quantity INVALID_JSON_INTEGER"]);
    // Not JSON: left for JSON.parse to report.
    expect(problems(quantity("+5"))).toBeUndefined();
    expect(problems(quantity("0x10"))).toBeUndefined();
  });

  it.each([
    "0x10",
    "0X10",
    "0b11",
    "0o7",
    "+5",
    "08",
    "-08",
    "8.",
    ".5",
    "-",
    "",
    " 8",
    "8 ",
    "1_000",
    "Infinity",
    "NaN",
    "８",
  ])('"%s" is refused as an integer string', (value) => {
    expect(problems(quantity(JSON.stringify(value)))).toEqual(["items[0].quantity INVALID_JSON_INTEGER"]);
  });

  it("reads escapes before judging a string", () => {
    expect(problems(quantity(`"\\u0038"`))).toBeUndefined();
    expect(problems(quantity(`"\\u0030x10"`))).toEqual(["items[0].quantity INVALID_JSON_INTEGER"]);
  });

  it("checks integer fields of nested messages and wrappers, and leaves strings and enums alone", () => {
    expect(problems(`{"pageSize":"0x10"}`, ListOrdersRequestSchema)).toEqual(["page_size INVALID_JSON_INTEGER"]);
    expect(problems(`{"sku":"0x10","channel":"0x10","orderNumber":"+5"}`)).toBeUndefined();
    expect(strictJsonProblems(Int32ValueSchema, `"0x10"`)?.violations[0]?.reason).toBe("INVALID_JSON_INTEGER");
    expect(strictJsonProblems(Int32ValueSchema, `"16"`)).toBeUndefined();
  });
});

describe("keys", () => {
  it("finds duplicates at every depth, by field for messages and by text elsewhere", () => {
    expect(problems(`{"customerId":"a","customer_id":"b"}`)).toEqual(["customer_id DUPLICATE_JSON_KEY"]);
    expect(problems(`{"items":[{"sku":"a"},{"sku":"a","name":"x","sku":"b"}]}`)).toEqual([
      "items[1].sku DUPLICATE_JSON_KEY",
    ]);
    expect(problems(`{"metadata":{"a":"1","b":"2","a":"3"}}`)).toEqual([`metadata["a"] DUPLICATE_JSON_KEY`]);
    expect(problems(`{"x":[{"y":[{"z":1,"z":2}]}]}`)).toEqual(["x[0].y[0].z DUPLICATE_JSON_KEY"]);
    expect(strictJsonProblems(StructSchema, `{"a":{"b":1,"b":1}}`)?.violations[0]?.field).toBe("a.b");
  });

  it("does not confuse a key with the same text in another object, or a value with a key", () => {
    expect(problems(`{"metadata":{"sku":"sku"},"items":[{"sku":"metadata"},{"sku":"x"}],"x":{"metadata":1}}`)).toBe(
      undefined,
    );
    expect(problems(`{"customerNote":"\\"customerNote\\":1,","internalNote":"a\\\\"}`)).toBeUndefined();
  });

  it('refuses "__proto__" wherever JavaScript would drop it, written plainly or with escapes', () => {
    expect(problems(`{"metadata":{"__proto__":"x"}}`)).toEqual([`metadata["__proto__"] RESERVED_JSON_KEY`]);
    expect(problems(`{"metadata":{"\\u005f_proto__":"x"}}`)).toEqual([`metadata["__proto__"] RESERVED_JSON_KEY`]);
    expect(strictJsonProblems(StructSchema, `{"__proto__":{"polluted":true}}`)?.violations[0]?.reason).toBe(
      "RESERVED_JSON_KEY",
    );
    // What protobuf-es does with it, for the record: the pair is gone.
    expect(toJsonString(StructSchema, fromJsonString(StructSchema, `{"__proto__":"x","a":"b"}`))).toBe(`{"a":"b"}`);
  });
});

describe("bounds", () => {
  it("refuses nesting deeper than MAX_JSON_DEPTH, and accepts it up to there", () => {
    const nested = (depth: number) => `{"x":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
    expect(problems(nested(MAX_JSON_DEPTH))).toBeUndefined();
    expect(strictJsonProblems(CreateOrderRequestSchema, nested(MAX_JSON_DEPTH + 1))?.violations[0]?.reason).toBe(
      "JSON_TOO_DEEP",
    );
  });

  it("keeps the first violations and counts the rest, which the error reports as omittedViolations", () => {
    const body = `{"x":{${Array.from({ length: 5000 }, () => `"k":1`).join(",")}}}`;
    const report = strictJsonProblems(CreateOrderRequestSchema, body);
    expect(report?.violations).toHaveLength(ERROR_LIMITS.violations);
    expect(report?.total).toBe(4999);
    assert.isDefined(report);
    const error = strictJsonError(report);
    expect(error.findDetails(ErrorInfoSchema)[0]?.metadata).toEqual({
      omittedViolations: String(4999 - ERROR_LIMITS.violations),
    });
  });

  it("scans 4 MiB bodies of the worst shapes in one pass", () => {
    const size = 4 * 1024 * 1024;
    const bodies = [
      `{"x":${"[".repeat(size)}`,
      `{"x":"${"\\\\".repeat(size / 2)}"}`,
      `{"x":{${`"k":1,`.repeat(size / 6)}"k":1}}`,
      `{"items":[${`{"sku":"A","quantity":"8"},`.repeat(size / 27)}{}]}`,
      `{"x":${"1".repeat(size)}}`,
    ];
    for (const body of bodies) {
      const started = performance.now();
      strictJsonProblems(CreateOrderRequestSchema, body);
      // A pass over 4 MiB takes tens of milliseconds; anything quadratic would take minutes.
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });

  it("never throws, for random and mangled inputs", () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = `{}[]:,"\\ ab01-+.eE_xu\u0000\uD800`;
    const valid = `{"customerId":"c","items":[{"sku":"A","quantity":"8","unitPrice":"1.00"}],"metadata":{"a":"b"}}`;
    for (let round = 0; round < 20_000; round++) {
      let text: string;
      if (round % 2 === 0) {
        text = Array.from({ length: random(40) }, () => alphabet[random(alphabet.length)]).join("");
      } else {
        const at = random(valid.length);
        text = valid.slice(0, at) + (alphabet[random(alphabet.length)] ?? "") + valid.slice(at + random(3));
      }
      const report = strictJsonProblems(CreateOrderRequestSchema, text);
      if (report === undefined) continue;
      // Whatever it refuses, it names a reason for.
      for (const v of report.violations) expect(v.reason).toMatch(/^[A-Z_]+$/);
    }
  });
});

describe("strictJsonDecoder", () => {
  it("decodes UTF-8 as connect-es does (byte order mark dropped) and returns the text unchanged", () => {
    const decoder = strictJsonDecoder(CreateOrderRequestSchema);
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"customerNote":"Grüße"}`)]);
    expect(decoder.decode(bytes)).toBe(`{"customerNote":"Grüße"}`);
    expect(decoder.decode(Buffer.from("not json"))).toBe("not json");
  });

  it("throws INVALID_ARGUMENT with the violations as details", () => {
    const decoder = strictJsonDecoder(CreateOrderRequestSchema);
    expect(() => decoder.decode(Buffer.from(quantity(`"0x10"`)))).toThrow(/items\[0\]\.quantity: must be a decimal/);
  });
});
