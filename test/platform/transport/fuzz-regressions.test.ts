import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Customer } from "../../../src/customers/entities/customer.js";
import { RawClient } from "../../faults/support/fuzz/raw-client.js";
import { loadRegressions, regressionRequest } from "../../faults/support/fuzz/regressions.js";
import { judge } from "../../faults/support/fuzz/verdict.js";
import { clientsFor } from "../../support/clients.js";
import { seedOrderRequest } from "../../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

/**
 * Every input the fault suite's fuzzer (npm run test:faults) ever caught the service failing on is
 * kept in test/faults/regressions/ and sent again here, byte for byte, on every `npm test`.
 */
const regressions = loadRegressions();

let service: TestService;
let tenant: TestTenant;
let adminKey: string;
let client: RawClient;
/** The saved cases' order ids (orders of the run that found them) and the orders standing in for them here. */
const standIns = new Map<string, string>();

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  // The saved bodies name the customer of the run that found them; give this tenant a customer with that id.
  const em = service.orm.em.fork();
  for (const customerId of new Set(regressions.map((r) => r.regression.customerId))) {
    em.create(Customer, {
      id: customerId,
      tenant: tenant.tenantId,
      email: `fuzz-${customerId}@example.com`,
      name: "Fuzz Buyer",
    });
  }
  await em.flush();
  adminKey = (await tenant.issueKey({ role: "admin" })).key;
  // Lifecycle cases (FulfillOrder, DeliverOrder, GetOrder) name orders of their run: each gets an order of
  // this tenant, whose id replaces it in the body (same length, so binary framing stays valid).
  const orders = clientsFor("connect-json-http1", service.url, tenant.key).orders;
  for (const regression of regressions)
    for (const orderId of regression.regression.orderIds ?? [])
      if (!standIns.has(orderId)) {
        const { order } = await orders.createOrder(seedOrderRequest(regression.regression.customerId));
        standIns.set(orderId, order?.id ?? "");
      }
  client = new RawClient(service.url, 10_000);
});
afterAll(async () => {
  ifSetUp(client)?.close();
  await ifSetUp(service)?.shutdown();
});

describe("fuzz regressions", () => {
  it("has saved cases to replay", () => {
    expect(regressions.length).toBeGreaterThan(0);
  });

  it.each(regressions.map(({ file, regression }) => [file, regression.description, regression] as const))(
    "%s (%s) is answered, and not with INTERNAL",
    async (_file, _description, regression) => {
      const saved = regressionRequest(regression, tenant.key, adminKey);
      let body = Buffer.from(saved.body).toString("latin1");
      for (const [orderId, standIn] of standIns) body = body.replaceAll(orderId, standIn);
      const request = { ...saved, body: Buffer.from(body, "latin1") };
      const verdict = judge(request, await client.send(request));
      expect({ internal: verdict.internal, hung: verdict.hung, message: verdict.message }).toMatchObject({
        internal: false,
        hung: false,
      });
    },
  );
});
