import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsFor } from "../../support/clients.js";
import { createCustomerId } from "../../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

const run = promisify(execFile);

/** `buf curl` knows nothing of our protos: everything it sends it learns from server reflection. */
async function bufCurl(...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run("node_modules/.bin/buf", ["curl", ...args]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

let service: TestService;
let tenant: TestTenant;
let customerId: string;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  customerId = await createCustomerId(clientsFor("grpc-http2", service.url, tenant.key));
});
afterAll(() => ifSetUp(service)?.shutdown());

describe("buf curl with server reflection", () => {
  it.each([
    ["grpc", ["--protocol", "grpc", "--http2-prior-knowledge"]],
    ["grpcweb", ["--protocol", "grpcweb"]],
    ["connect", ["--protocol", "connect"]],
  ])("creates an order over %s", async (_name, protocolFlags) => {
    const response = await bufCurl(
      ...protocolFlags,
      "-H",
      `Authorization: Bearer ${tenant.key}`,
      "-d",
      JSON.stringify({
        customer_id: customerId,
        items: [{ sku: "INJ-6.7-CR", name: "Injector", quantity: 8, unit_price: "289.50" }],
      }),
      `${service.url}/orders.v1.OrdersService/CreateOrder`,
    );
    expect(response).toMatchObject({ order: { subtotal: "2316.00", total: "2316.00", status: "ORDER_STATUS_PLACED" } });
  });

  it("lists the services and answers health checks", async () => {
    const { stdout } = await run("node_modules/.bin/buf", [
      "curl",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      "--list-methods",
      service.url,
    ]);
    expect(stdout.split("\n")).toEqual(
      expect.arrayContaining([
        "orders.v1.OrdersService/CreateOrder",
        "orders.v1.CustomersService/CreateCustomer",
        "grpc.health.v1.Health/Check",
      ]),
    );
    expect(
      await bufCurl("--protocol", "grpc", "--http2-prior-knowledge", `${service.url}/grpc.health.v1.Health/Check`),
    ).toEqual({ status: "SERVING" });
  });
});
