import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import type { FuzzCase } from "./cases.js";
import type { RawRequest } from "./raw-client.js";
import { ADMIN_KEY_PLACEHOLDER, KEY_PLACEHOLDER } from "./requests.js";

/** Where failing fuzz inputs are kept; test/transport/fuzz-regressions.test.ts replays every file in `npm test`. */
export const REGRESSIONS_DIR = resolve(import.meta.dirname, "../../regressions");

/** One saved input: enough to send it again byte for byte against any Orderspine. */
export interface RegressionCase {
  category: string;
  description: string;
  /** What the service answered when the case was found (a verdict label such as "connect:internal"). */
  observed: string;
  /** Seed and index in the run that found it (reproduces the whole run up to it). */
  seed: number;
  index: number;
  /** The customer id the body refers to; the replay creates a customer with this id. */
  customerId: string;
  /**
   * The orders of the run the body names (FulfillOrder, DeliverOrder or GetOrder of an order created for
   * the fuzzer): a replay that should reach the database creates orders with these ids first.
   */
  orderIds?: string[];
  request: {
    transport: RawRequest["transport"];
    method: string;
    path: string;
    /** The API key appears as {{KEY}}. */
    headers: Record<string, string>;
    /** gzip, then base64: bodies with megabytes of repetition stay small in git. */
    bodyGzipBase64: string;
    abortAfterBytes?: number;
  };
}

export function saveRegression(
  fuzzCase: FuzzCase,
  found: { observed: string; seed: number; index: number; customerId: string; orderIds?: string[] },
): string {
  const request = {
    transport: fuzzCase.transport,
    method: fuzzCase.method,
    path: fuzzCase.path,
    headers: fuzzCase.headers,
    bodyGzipBase64: gzipSync(fuzzCase.body).toString("base64"),
    ...(fuzzCase.abortAfterBytes === undefined ? {} : { abortAfterBytes: fuzzCase.abortAfterBytes }),
  };
  const saved: RegressionCase = { category: fuzzCase.category, description: fuzzCase.description, ...found, request };
  const digest = createHash("sha256").update(JSON.stringify(request)).digest("hex").slice(0, 12);
  mkdirSync(REGRESSIONS_DIR, { recursive: true });
  const file = join(REGRESSIONS_DIR, `${fuzzCase.category}-${digest}.json`);
  writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);
  return file;
}

export function loadRegressions(): { file: string; regression: RegressionCase }[] {
  return readdirSync(REGRESSIONS_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({
      file: name,
      regression: JSON.parse(readFileSync(join(REGRESSIONS_DIR, name), "utf8")) as RegressionCase,
    }));
}

/** The request of a saved case, with the given keys in place of {{KEY}} and {{ADMIN_KEY}}. */
export function regressionRequest(regression: RegressionCase, key: string, adminKey = key): RawRequest {
  const { bodyGzipBase64, ...rest } = regression.request;
  return withKey({ ...rest, body: gunzipSync(Buffer.from(bodyGzipBase64, "base64")) }, key, adminKey);
}

/**
 * Puts the tenant's key where a case has the {{KEY}} placeholder, and its admin key where it has
 * {{ADMIN_KEY}} (imports need one; without one given, the editor key stands in and the call is refused).
 */
export function withKey(request: RawRequest, key: string, adminKey = key): RawRequest {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      value.replaceAll(ADMIN_KEY_PLACEHOLDER, adminKey).replaceAll(KEY_PLACEHOLDER, key),
    ]),
  );
  return { ...request, headers };
}
