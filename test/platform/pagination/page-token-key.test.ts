import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/platform/config/config.js";
import { PAGE_TOKEN_KEY_NAME, storedSecret } from "../../../src/platform/pagination/page-token-key.js";
import { clientsFor } from "../../support/clients.js";
import { Code, rejectionOf } from "../../support/errors.js";
import { createCustomerId } from "../../support/fixtures.js";
import { startTestService, type TestService } from "../../support/service.js";
import { placeOrder } from "../../orders/support/order-fixtures.js";

/**
 * Page tokens are signed with a server key (issue 9). Replicas must agree on it, whether it is configured
 * (PAGE_TOKEN_SECRET) or not (generated once and kept in the database), and a replica with another key
 * must refuse the others' tokens.
 */

const SECRET = "a-page-token-secret-of-32-characters-or-more";
const OTHER_SECRET = "another-page-token-secret-of-32-characters";

let services: TestService[] = [];
beforeAll(async () => {
  services = await Promise.all([
    startTestService(),
    startTestService(),
    startTestService({ pageTokenSecret: SECRET }),
    startTestService({ pageTokenSecret: SECRET }),
    startTestService({ pageTokenSecret: OTHER_SECRET }),
  ]);
});
afterAll(() => Promise.all(services.map((s) => s.shutdown())));

/** A tenant with 3 orders, and a second-page token from `issuer`; then the same call on `reader`. */
async function continueElsewhere(issuer: TestService, reader: TestService) {
  const tenant = await issuer.newTenant();
  const first = clientsFor("grpc-http2", issuer.url, tenant.key);
  const customerId = await createCustomerId(first);
  for (let i = 0; i < 3; i++) await placeOrder(first, customerId);
  const page = await first.orders.listOrders({ pageSize: 2 });
  expect(page.nextPageToken).not.toBe("");
  return clientsFor("connect-json-http1", reader.url, tenant.key).orders.listOrders({
    pageSize: 2,
    pageToken: page.nextPageToken,
  });
}

describe("the page-token key", () => {
  it("without PAGE_TOKEN_SECRET is generated once and kept in the database, so replicas agree", async () => {
    const [a, b] = services;
    if (!a || !b) throw new Error("services did not start");
    expect((await continueElsewhere(a, b)).orders).toHaveLength(1);
    expect((await continueElsewhere(b, a)).orders).toHaveLength(1);
  });

  it("is PAGE_TOKEN_SECRET when set, the same on every replica that has it", async () => {
    const [, , c, d] = services;
    if (!c || !d) throw new Error("services did not start");
    expect((await continueElsewhere(c, d)).orders).toHaveLength(1);
  });

  it("refuses a token signed with another key as INVALID_PAGE_TOKEN", async () => {
    const [a, , c, , e] = services;
    if (!a || !c || !e) throw new Error("services did not start");
    for (const [issuer, reader] of [
      [c, e],
      [a, c],
      [c, a],
    ] as const) {
      expect(await rejectionOf(continueElsewhere(issuer, reader))).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }],
      });
    }
  });

  it("is stored once even when replicas start together", async () => {
    const [a] = services;
    if (!a) throw new Error("services did not start");
    const name = `test-${crypto.randomUUID()}`;
    const secrets = await Promise.all(Array.from({ length: 5 }, () => storedSecret(a.orm, name)));
    expect(secrets[0]).toHaveLength(32);
    for (const secret of secrets) expect(secret.equals(secrets[0] as Buffer)).toBe(true);
    expect((await storedSecret(a.orm, name)).equals(secrets[0] as Buffer)).toBe(true);
    expect((await storedSecret(a.orm, PAGE_TOKEN_KEY_NAME)).equals(secrets[0] as Buffer)).toBe(false);
  });
});

describe("PAGE_TOKEN_SECRET", () => {
  it("is optional", () => {
    expect(loadConfig({}).pageTokenSecret).toBeUndefined();
    expect(loadConfig({ PAGE_TOKEN_SECRET: "" }).pageTokenSecret).toBeUndefined();
    expect(loadConfig({ PAGE_TOKEN_SECRET: SECRET }).pageTokenSecret).toBe(SECRET);
  });

  it("must be at least 32 characters when set", () => {
    expect(() => loadConfig({ PAGE_TOKEN_SECRET: "short" })).toThrow(/PAGE_TOKEN_SECRET/);
  });
});
