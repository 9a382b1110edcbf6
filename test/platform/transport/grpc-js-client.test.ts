import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grpcJsClients, statusDetails, type GrpcJsClients } from "../../support/grpc-js.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

let service: TestService;
let tenant: TestTenant;
let client: GrpcJsClients;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  client = grpcJsClients(`127.0.0.1:${service.port}`);
});
afterAll(async () => {
  ifSetUp(client)?.close();
  await ifSetUp(service)?.shutdown();
});

describe("a @grpc/grpc-js client built from the .proto files", () => {
  it("creates a customer and the seed 000 order over HTTP/2", async () => {
    const { customer } = (await client.call(
      "CustomersService",
      "CreateCustomer",
      { email: `grpc-${Date.now()}@example.com`, name: "G" },
      tenant.key,
    )) as {
      customer: { id: string };
    };
    const { order } = (await client.call(
      "OrdersService",
      "CreateOrder",
      {
        customer_id: customer.id,
        currency: "USD",
        channel: "CHANNEL_B2B_PORTAL",
        items: [{ sku: "INJ-6.7-CR", name: "6.7L Common-Rail Injector", quantity: 8, unit_price: "289.50" }],
      },
      tenant.key,
    )) as { order: Record<string, unknown> };
    expect(order).toMatchObject({
      subtotal: "2316.00",
      total: "2316.00",
      status: "ORDER_STATUS_PLACED",
      payment_status: "PAYMENT_STATUS_UNPAID",
    });
  });

  it("sees INVALID_ARGUMENT with google.rpc.BadRequest in grpc-status-details-bin", async () => {
    const error = (await client
      .call(
        "OrdersService",
        "CreateOrder",
        { customer_id: crypto.randomUUID(), items: [{ sku: "", name: "x" }] },
        tenant.key,
      )
      .catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.INVALID_ARGUMENT);
    const { badRequest } = statusDetails(error);
    expect(badRequest?.fieldViolations.map((v) => [v.field, v.reason])).toEqual([
      ["items[0]", "ITEM_REFERENCE_REQUIRED"],
    ]);
  });

  it("sees NOT_FOUND with google.rpc.ErrorInfo", async () => {
    const error = (await client
      .call(
        "OrdersService",
        "CreateOrder",
        { customer_id: crypto.randomUUID(), items: [{ sku: "s", name: "x" }] },
        tenant.key,
      )
      .catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(statusDetails(error).errorInfo).toMatchObject({ reason: "CUSTOMER_NOT_FOUND", domain: "orderspine" });
  });

  it("sees UNAUTHENTICATED without a key", async () => {
    const error = (await client
      .call("OrdersService", "GetOrder", { id: crypto.randomUUID() })
      .catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).toBe(grpc.status.UNAUTHENTICATED);
  });
});
