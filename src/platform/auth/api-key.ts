import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * API keys look like `sk_live_<lookup id>_<secret>` (or `sk_test_...`).
 *
 * The lookup id is stored in clear so the key's row can be found with an index;
 * the whole key is stored only as a SHA-256 hash. Keys carry 256 bits of
 * randomness, so a fast hash is enough (a slow password hash guards low-entropy
 * secrets, which these are not), and comparison is constant-time.
 */
export type KeyMode = "live" | "test";

const KEY_PATTERN = /^sk_(live|test)_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  mode: KeyMode;
  lookupId: string;
}

export interface NewApiKey extends ParsedApiKey {
  /** The key itself: shown once to its owner, never stored. */
  key: string;
  secretHash: string;
}

export function generateApiKey(mode: KeyMode): NewApiKey {
  const lookupId = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  const key = `sk_${mode}_${lookupId}_${secret}`;
  return { key, mode, lookupId, secretHash: hashApiKey(key) };
}

/** Returns undefined for anything that is not shaped like one of our keys. */
export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(key);
  if (!match) return undefined;
  return { mode: match[1] as KeyMode, lookupId: match[2] as string };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function apiKeyMatchesHash(key: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKey(key), "hex");
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
