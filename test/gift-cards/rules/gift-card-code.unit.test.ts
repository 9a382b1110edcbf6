import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  generateGiftCardCode,
  giftCardCodeHash,
  lastCharactersOf,
  normalizeGiftCardCode,
} from "../../../src/gift-cards/rules/gift-card-code.js";

const TENANT = "00000000-0000-4000-8000-000000000001";
const OTHER_TENANT = "00000000-0000-4000-8000-000000000002";

describe("generateGiftCardCode", () => {
  it("draws 16 characters without look-alikes in four groups of four", () => {
    for (let i = 0; i < 200; i += 1) {
      const code = generateGiftCardCode();
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
      expect(normalizeGiftCardCode(code)).toHaveLength(16);
    }
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[IO01]/);
    expect(new Set(CODE_ALPHABET).size).toBe(32);
  });

  it("draws every character of the alphabet and (practically) never the same code twice", () => {
    const codes = Array.from({ length: 2_000 }, generateGiftCardCode);
    expect(new Set(codes).size).toBe(codes.length);
    const seen = new Set(codes.join("").replaceAll("-", "").split(""));
    expect([...seen].sort().join("")).toBe(CODE_ALPHABET.split("").sort().join(""));
  });
});

describe("normalizeGiftCardCode", () => {
  it("drops hyphens and white space and upper-cases ASCII letters", () => {
    expect(normalizeGiftCardCode("abcd-efgh jklm\tnpqr")).toBe("ABCDEFGHJKLMNPQR");
    expect(normalizeGiftCardCode(" --Ab12-- ")).toBe("AB12");
    expect(normalizeGiftCardCode("---")).toBe("");
  });

  it("changes the case of ASCII letters only, so no other character turns into a code's letters", () => {
    expect(normalizeGiftCardCode("straße")).toBe("STRAßE");
    expect(normalizeGiftCardCode("ﬁx")).toBe("ﬁX");
  });

  it("is idempotent and ignores how a code is grouped or cased", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{8,20}$/), fc.array(fc.nat(30)), (code, cuts) => {
        const grouped = code
          .split("")
          .map((c, i) => (cuts.includes(i) ? `-${c.toLowerCase()}` : c))
          .join("");
        const normalized = normalizeGiftCardCode(code);
        expect(normalizeGiftCardCode(grouped)).toBe(normalized);
        expect(normalizeGiftCardCode(normalized)).toBe(normalized);
      }),
    );
  });
});

describe("giftCardCodeHash and lastCharactersOf", () => {
  it("hashes the normalized code per tenant: hex SHA-256, never the code itself", () => {
    const hash = giftCardCodeHash(TENANT, "ABCDEFGHJKLMNPQR");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain("ABCDEFGHJKLMNPQR".toLowerCase());
    expect(giftCardCodeHash(TENANT, "ABCDEFGHJKLMNPQR")).toBe(hash);
    expect(giftCardCodeHash(OTHER_TENANT, "ABCDEFGHJKLMNPQR")).not.toBe(hash);
    expect(giftCardCodeHash(TENANT, "ABCDEFGHJKLMNPQS")).not.toBe(hash);
  });

  it("keeps the last four characters of the normalized code", () => {
    expect(lastCharactersOf("ABCDEFGHJKLMNPQR")).toBe("NPQR");
  });
});
