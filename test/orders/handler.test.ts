import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

// The OrdersService routes in memory (createRouterTransport) with the server's interceptors: the
// handler, its use cases and the database, without sockets. The transports have their own tests.
let service: InMemoryService;
let key: string;

beforeAll(async () => {
  service = await buildInMemoryService();
  ({ key } = await service.newTenant());
});
afterAll(() => ifSetUp(service)?.close());

describe("OrdersService in memory", () => {
  it("creates an order priced by the server and reads it back", async () => {
    const clients = service.clients(key);
    const customerId = await createCustomerId(clients);
    const { order } = await clients.orders.createOrder(seedOrderRequest(customerId));
    expect(order).toMatchObject({
      customerId,
      status: OrderStatus.PLACED,
      paymentStatus: PaymentStatus.UNPAID,
      currency: "USD",
      subtotal: "2316.00",
      total: "2316.00",
    });
    expect(order?.items.map((item) => item.lineTotal)).toEqual(["2316.00"]);

    const read = await clients.orders.getOrder({ id: order?.id ?? "" });
    expect(read.order).toEqual(order);
  });

  it("answers an unknown order with NOT_FOUND and its ErrorInfo", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const error = await rejectionOf(service.clients(key).orders.getOrder({ id }));
    expect(error).toMatchObject({ code: Code.NotFound, reason: "ORDER_NOT_FOUND", metadata: { orderId: id } });
  });

  it("refuses a call without a key before the handler runs", async () => {
    const error = await rejectionOf(service.clients(undefined).orders.getOrder({ id: "x" }));
    expect(error).toMatchObject({ code: Code.Unauthenticated, reason: "INVALID_API_KEY" });
  });

  it("refuses a viewer's CreateOrder with the role it needs", async () => {
    const viewer = await service.newTenant("viewer");
    const error = await rejectionOf(service.clients(viewer.key).orders.createOrder(seedOrderRequest("x")));
    expect(error).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
      metadata: { requiredRole: "editor", role: "viewer" },
    });
  });
});
