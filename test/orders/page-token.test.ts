import { describe, expect, it } from "vitest";
import { decodePageToken, encodePageToken, listingFingerprint } from "../../src/orders/page-token.js";

const cursor = { createTime: "2026-11-22T10:02:23.957123Z", id: "1e07c186-4a5b-4c6d-8e9f-0a1b2c3d4e5f" };

describe("page tokens", () => {
  it("round-trip the cursor for the same listing", () => {
    const fingerprint = listingFingerprint({ tenant: "t", status: "placed", customer: undefined });
    expect(decodePageToken(encodePageToken(cursor, fingerprint), fingerprint)).toEqual({ ok: true, cursor });
  });

  it("fingerprint the listing regardless of key order, and tell filters apart", () => {
    expect(listingFingerprint({ a: "1", b: "2" })).toBe(listingFingerprint({ b: "2", a: "1" }));
    expect(listingFingerprint({ a: "1", b: undefined })).not.toBe(listingFingerprint({ a: "1", b: "" }));
    expect(listingFingerprint({ tenant: "t1" })).not.toBe(listingFingerprint({ tenant: "t2" }));
  });

  it("refuse a token of another listing", () => {
    const token = encodePageToken(cursor, listingFingerprint({ status: "placed" }));
    expect(decodePageToken(token, listingFingerprint({ status: "canceled" }))).toEqual({
      ok: false,
      reason: "PAGE_TOKEN_FILTERS_CHANGED",
    });
  });

  it.each([
    ["not base64 JSON", "!!!"],
    ["JSON of the wrong shape", Buffer.from('{"v":1}').toString("base64url")],
    [
      "another version",
      Buffer.from(JSON.stringify({ v: 2, t: cursor.createTime, i: cursor.id, f: "0".repeat(32) })).toString(
        "base64url",
      ),
    ],
    [
      "a time without microseconds",
      Buffer.from(JSON.stringify({ v: 1, t: "2026-11-22T10:02:23Z", i: cursor.id, f: "0".repeat(32) })).toString(
        "base64url",
      ),
    ],
    [
      "SQL in the id",
      Buffer.from(JSON.stringify({ v: 1, t: cursor.createTime, i: "x' or 1=1 --", f: "0".repeat(32) })).toString(
        "base64url",
      ),
    ],
    ["null", Buffer.from("null").toString("base64url")],
  ])("refuse %s", (_, token) => {
    expect(decodePageToken(token, "0".repeat(32))).toEqual({ ok: false, reason: "INVALID_PAGE_TOKEN" });
  });
});
