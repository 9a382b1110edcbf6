import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsFor, PROTOCOLS } from "../../support/clients.js";
import { Code, rejectionOf } from "../../support/errors.js";
import { createCustomerId } from "../../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

let service: TestService;
let tenant: TestTenant;
let customerId: string;

beforeAll(async () => {
  service = await startTestService({ maxRequestBytes: 64 * 1024, maxTimeoutMs: 2_000 });
  tenant = await service.newTenant();
  customerId = await createCustomerId(clientsFor("grpc-http2", service.url, tenant.key));
});
afterAll(() => ifSetUp(service)?.shutdown());

describe("request limits", () => {
  it.each(PROTOCOLS)("a body over MAX_REQUEST_BYTES is RESOURCE_EXHAUSTED over %s", async (protocol) => {
    const clients = clientsFor(protocol, service.url, tenant.key);
    const huge = "x".repeat(2000);
    const items = Array.from({ length: 100 }, () => ({ sku: "S", name: huge }));
    const error = await rejectionOf(clients.orders.createOrder({ customerId, items }));
    expect(error.code).toBe(Code.ResourceExhausted);
    expect(error.message).toMatch(/exceeds|limit|max/i);
  });

  it("a deadline longer than MAX_TIMEOUT_MS is refused, a shorter one is honoured", async () => {
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    const error = await rejectionOf(clients.orders.getOrder({ id: customerId }, { timeoutMs: 60_000 }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.message).toMatch(/timeout/i);
    expect((await rejectionOf(clients.orders.getOrder({ id: customerId }, { timeoutMs: 1_000 }))).code).toBe(
      Code.NotFound,
    );
  });
});
