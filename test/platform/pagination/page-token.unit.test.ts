import { describe, expect, it } from "vitest";
import { isCursorTime, PageTokens } from "../../../src/platform/pagination/page-token.js";

const cursor = { createTime: "2026-11-22T10:02:23.957123Z", id: "1e07c186-4a5b-4c6d-8e9f-0a1b2c3d4e5f" };
const tokens = new PageTokens(Buffer.alloc(32, 7));
const otherKey = new PageTokens(Buffer.alloc(32, 8));

/** A token as a client could build one: any payload, with the signature of some key (or none). */
function tokenOf(payload: unknown, signedBy?: PageTokens, fingerprint = "0".repeat(32)): string {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  if (!signedBy) return body;
  // Take a real signature of this key and put it on another payload: what an edit does.
  const signature = signedBy.encode(cursor, fingerprint).split(".")[1];
  return `${body}.${signature}`;
}

describe("page tokens", () => {
  it("round-trip the cursor for the same listing", () => {
    const fingerprint = tokens.fingerprint({ tenant: "t", status: "placed", customer: undefined });
    expect(tokens.decode(tokens.encode(cursor, fingerprint), fingerprint)).toEqual({ ok: true, cursor });
  });

  it("fingerprint the listing regardless of key order, tell filters apart, and depend on the key", () => {
    expect(tokens.fingerprint({ a: "1", b: "2" })).toBe(tokens.fingerprint({ b: "2", a: "1" }));
    expect(tokens.fingerprint({ a: "1", b: undefined })).not.toBe(tokens.fingerprint({ a: "1", b: "" }));
    expect(tokens.fingerprint({ tenant: "t1" })).not.toBe(tokens.fingerprint({ tenant: "t2" }));
    expect(tokens.fingerprint({ tenant: "t1" })).not.toBe(otherKey.fingerprint({ tenant: "t1" }));
  });

  it("refuse a token of another listing", () => {
    const token = tokens.encode(cursor, tokens.fingerprint({ status: "placed" }));
    expect(tokens.decode(token, tokens.fingerprint({ status: "canceled" }))).toEqual({
      ok: false,
      reason: "PAGE_TOKEN_FILTERS_CHANGED",
    });
  });

  it("refuse a token signed with another key", () => {
    const fingerprint = tokens.fingerprint({ tenant: "t" });
    expect(tokens.decode(otherKey.encode(cursor, fingerprint), fingerprint)).toEqual({
      ok: false,
      reason: "INVALID_PAGE_TOKEN",
    });
  });

  it("refuse an edited token, whatever was edited", () => {
    const fingerprint = tokens.fingerprint({ tenant: "t" });
    const [payload = "", signature = ""] = tokens.encode(cursor, fingerprint).split(".");
    const json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    for (const change of [{ t: "2026-11-22T10:02:23.957124Z" }, { i: crypto.randomUUID() }, { f: "1".repeat(32) }]) {
      const edited = Buffer.from(JSON.stringify({ ...json, ...change })).toString("base64url");
      expect(tokens.decode(`${edited}.${signature}`, fingerprint)).toEqual({ ok: false, reason: "INVALID_PAGE_TOKEN" });
    }
    expect(tokens.decode(`${payload}.${signature.slice(0, -2)}`, fingerprint)).toEqual({
      ok: false,
      reason: "INVALID_PAGE_TOKEN",
    });
  });

  it("refuse a key shorter than 32 bytes", () => {
    expect(() => new PageTokens(Buffer.alloc(31))).toThrow(/32 bytes/);
  });

  it.each([
    ["not base64 JSON", "!!!"],
    ["an unsigned token (version 1)", tokenOf({ v: 1, t: cursor.createTime, i: cursor.id, f: "0".repeat(32) })],
    ["JSON of the wrong shape", tokenOf({ v: 2 }, tokens)],
    ["another version", tokenOf({ v: 3, t: cursor.createTime, i: cursor.id, f: "0".repeat(32) }, tokens)],
    ["three parts", `${tokens.encode(cursor, "0".repeat(32))}.x`],
    ["null", tokenOf(null, tokens)],
  ])("refuse %s", (_, token) => {
    expect(tokens.decode(token, "0".repeat(32))).toEqual({ ok: false, reason: "INVALID_PAGE_TOKEN" });
  });
});

describe("cursor times", () => {
  it.each([
    "2026-11-22T10:02:23.957123Z",
    "2024-02-29T00:00:00.000000Z",
    "2000-02-29T23:59:59.999999Z",
    "0001-01-01T00:00:00.000000Z",
    "9999-12-31T23:59:59.999999Z",
  ])("take %s", (time) => {
    expect(isCursorTime(time)).toBe(true);
  });

  it.each([
    ["a day February does not have", "2024-02-30T00:00:00.000000Z"],
    ["February 29th of a common year", "2023-02-29T00:00:00.000000Z"],
    ["February 29th of 1900", "1900-02-29T00:00:00.000000Z"],
    ["April 31st", "2026-04-31T00:00:00.000000Z"],
    ["month 13", "2026-13-01T00:00:00.000000Z"],
    ["month 0", "2026-00-01T00:00:00.000000Z"],
    ["day 0", "2026-01-00T00:00:00.000000Z"],
    ["hour 24", "2026-01-01T24:00:00.000000Z"],
    ["minute 60", "2026-01-01T00:60:00.000000Z"],
    ["a leap second", "2016-12-31T23:59:60.000000Z"],
    ["year 0", "0000-01-01T00:00:00.000000Z"],
    ["no microseconds", "2026-11-22T10:02:23Z"],
    ["an offset", "2026-11-22T10:02:23.957123+01:00"],
  ])("refuse %s", (_, time) => {
    expect(isCursorTime(time)).toBe(false);
  });
});
