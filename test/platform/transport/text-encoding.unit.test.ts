import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { getTextEncoding } from "@bufbuild/protobuf/wire";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TaxLineSchema } from "../../../gen/orders/v1/order_pb.js";
import { encodeUtf8, useBufferTextEncoding } from "../../../src/platform/transport/text-encoding.js";

const textEncoder = new TextEncoder();

describe("protobuf-es strings through Buffer.from (platform/transport/text-encoding.ts)", () => {
  it("gives the bytes TextEncoder gives for any string, lone surrogates included", () => {
    for (const unit of ["binary", "grapheme", "binary-ascii"] as const) {
      fc.assert(
        fc.property(fc.string({ unit, maxLength: 300 }), (text) => {
          expect(Array.from(encodeUtf8(text))).toEqual(Array.from(textEncoder.encode(text)));
        }),
      );
    }
    expect(Array.from(encodeUtf8("a\uD800b\uDFFF"))).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62, 0xef, 0xbf, 0xbd]);
  });

  it("is what protobuf-es encodes with once configured, keeping its own decoding and UTF-8 check", () => {
    const line = create(TaxLineSchema, { displayName: "Sales tax – NYC ✓", rate: "0.08875", amount: "1.07" });
    const library = getTextEncoding();
    const withTextEncoder = toBinary(TaxLineSchema, line);
    useBufferTextEncoding();
    useBufferTextEncoding();
    const configured = getTextEncoding();
    expect(configured.encodeUtf8).toBe(encodeUtf8);
    expect(configured.decodeUtf8).toBe(library.decodeUtf8);
    expect(configured.checkUtf8).toBe(library.checkUtf8);
    const bytes = toBinary(TaxLineSchema, line);
    expect(Array.from(bytes)).toEqual(Array.from(withTextEncoder));
    expect(fromBinary(TaxLineSchema, bytes)).toEqual(line);
  });
});
