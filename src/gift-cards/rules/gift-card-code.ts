import { createHash, randomInt } from "node:crypto";

/**
 * Gift card codes. A code is a secret like a password: the service keeps only `giftCardCodeHash` of it
 * and shows it once. Buyers type codes, so they are compared by their letters and digits only, in upper
 * case ("abcd efgh-jklm npqr" is "ABCDEFGHJKLMNPQR"): `normalizeGiftCardCode` is that comparison, and
 * the one orders use to tell two codes of a request apart.
 */

/** 32 characters without look-alikes (no I, O, 0, 1): each drawn character carries 5 bits. */
export const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Characters of a drawn code (16 x 5 = 80 random bits), shown in groups of 4. */
export const GENERATED_CODE_LENGTH = 16;
const GROUP = 4;

/** How many characters of the normalized code the service keeps in clear, to tell cards apart on screen. */
export const LAST_CHARACTERS = 4;

/**
 * A new code from the CSPRNG: GENERATED_CODE_LENGTH characters of CODE_ALPHABET, uniform (randomInt
 * rejects the biased draws), grouped by hyphens: "ABCD-EFGH-JKLM-NPQR".
 */
export function generateGiftCardCode(): string {
  const characters = Array.from(
    { length: GENERATED_CODE_LENGTH },
    () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)],
  );
  const groups: string[] = [];
  for (let at = 0; at < characters.length; at += GROUP) groups.push(characters.slice(at, at + GROUP).join(""));
  return groups.join("-");
}

/**
 * The code as codes are compared: hyphens and white space dropped, ASCII letters in upper case. Only
 * ASCII letters change case: "ß" stays "ß" (and so matches no code, since codes are ASCII), where
 * toUpperCase would make it "SS".
 */
export function normalizeGiftCardCode(code: string): string {
  return code.replace(/[\s-]+/g, "").replace(/[a-z]/g, (letter) => letter.toUpperCase());
}

/**
 * What the database keeps of a code: SHA-256 of the tenant and the normalized code, in hex. A fast hash
 * is enough for drawn codes (80 random bits, as API keys are hashed: platform/auth/api-key.ts); the
 * tenant in the input keeps one code of two tenants from hashing alike. A pepper would add nothing: the
 * service's secrets live in the same database (service_secrets) as these hashes.
 */
export function giftCardCodeHash(tenantId: string, normalizedCode: string): string {
  return createHash("sha256").update(`${tenantId}:${normalizedCode}`).digest("hex");
}

/** The last characters of the normalized code, shown instead of it ("NPQR"). */
export function lastCharactersOf(normalizedCode: string): string {
  return normalizedCode.slice(-LAST_CHARACTERS);
}
