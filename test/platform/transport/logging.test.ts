import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsFor } from "../../support/clients.js";
import { createCustomerId, seedOrderRequest } from "../../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split("\n").filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService({}, pino({ level: "info" }, sink));
  tenant = await service.newTenant();
});
afterAll(() => ifSetUp(service)?.shutdown());

describe("request logs", () => {
  it("write one JSON line per call with procedure, code, duration and tenant, and never the key or the body", async () => {
    const clients = clientsFor("connect-json-http1", service.url, tenant.key);
    const customerId = await createCustomerId(clients);
    await clients.orders.createOrder({ ...seedOrderRequest(customerId), customerNote: "secret-note-text" });
    await clients.orders.getOrder({ id: crypto.randomUUID() }).catch(() => undefined);

    const rpcLines = lines.filter((l) => l.msg === "rpc");
    expect(rpcLines.map((l) => [l.procedure, l.code])).toEqual([
      ["orders.v1.CustomersService/CreateCustomer", "ok"],
      ["orders.v1.OrdersService/CreateOrder", "ok"],
      ["orders.v1.OrdersService/GetOrder", "not_found"],
    ]);
    for (const line of rpcLines) {
      expect(line.tenantId).toBe(tenant.tenantId);
      expect(typeof line.durationMs).toBe("number");
    }
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(tenant.key);
    expect(everything).not.toContain("secret-note-text");
  });
});
