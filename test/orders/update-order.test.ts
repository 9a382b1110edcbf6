import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderStatus } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, placeOrder } from "./support/order-fixtures.js";

let service: TestService;
let tenant: TestTenant;
let clients: Clients;
let customerId: string;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  clients = clientsFor("grpc-http2", service.url, tenant.key);
  customerId = await createCustomerId(clients);
});
afterAll(() => ifSetUp(service)?.shutdown());

const home = { name: "Ada", line1: "2 New Rd", city: "Bristol", postalCode: "BS1 1AA", country: "GB" };

describe("UpdateOrder", () => {
  it.each(PROTOCOLS)("sets exactly the masked fields and leaves the rest, over %s", async (protocol) => {
    const c = clientsFor(protocol, service.url, tenant.key);
    const order = await placeOrder(c, customerId);
    const updated = orderOf(
      await c.orders.updateOrder({
        order: {
          id: order.id,
          etag: order.etag,
          customerNote: "ring twice",
          internalNote: "VIP",
          metadata: { crm: "42" },
          tags: ["rush", "gift"],
          shippingAddress: home,
          billingAddress: home,
          // not in the mask: ignored
          total: "0.01",
          currency: "EUR",
        },
        updateMask: { paths: ["customer_note", "internal_note", "metadata", "tags", "shipping_address"] },
      }),
    );
    expect(updated).toMatchObject({
      customerNote: "ring twice",
      internalNote: "VIP",
      metadata: { crm: "42" },
      tags: ["rush", "gift"],
      shippingAddress: home,
      total: "10.00",
      currency: "USD",
      eventSequence: 2,
      history: [],
    });
    expect(updated.billingAddress).toEqual(order.billingAddress);
    expect(updated.etag).not.toBe(order.etag);
    expect(orderOf(await c.orders.getOrder({ id: order.id }))).toEqual(updated);
  });

  it("clears a masked field left empty", async () => {
    const { order: created } = await clients.orders.createOrder({
      customerId,
      items: [{ sku: "A", name: "A", unitPrice: "1.00" }],
      customerNote: "note",
      tags: ["a"],
      metadata: { k: "v" },
      shippingAddress: home,
    });
    const order = orderOf({ order: created });
    expect(order.tags).toEqual(["a"]);
    const cleared = orderOf(
      await clients.orders.updateOrder({
        order: { id: order.id },
        updateMask: { paths: ["customer_note", "tags", "metadata", "shipping_address"] },
      }),
    );
    expect(cleared).toMatchObject({ customerNote: "", tags: [], metadata: {} });
    expect(cleared.shippingAddress).toBeUndefined();
  });

  it("names every path that cannot be updated, and changes nothing", async () => {
    const order = await placeOrder(clients, customerId);
    const error = await rejectionOf(
      clients.orders.updateOrder({
        order: { id: order.id, customerNote: "x" },
        updateMask: { paths: ["customer_note", "status", "total"] },
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
        { field: "update_mask.paths[2]", reason: "NOT_UPDATABLE" },
      ],
    });
    expect(error.message).toContain('"status" cannot be updated');
    expect(error.message).toContain('"total" cannot be updated');
    expect(orderOf(await clients.orders.getOrder({ id: order.id }))).toEqual(order);
  });

  it("refuses nested paths and wildcards, an empty mask and a missing id", async () => {
    const order = await placeOrder(clients, customerId);
    for (const path of ["shipping_address.city", "*", "metadata.crm"]) {
      expect(
        await rejectionOf(clients.orders.updateOrder({ order: { id: order.id }, updateMask: { paths: [path] } })),
      ).toMatchObject({
        violations: [{ field: "update_mask.paths[0]", reason: "NOT_UPDATABLE" }],
      });
    }
    expect(
      await rejectionOf(clients.orders.updateOrder({ order: { id: order.id }, updateMask: { paths: [] } })),
    ).toMatchObject({
      violations: [{ field: "update_mask", reason: "REQUIRED" }],
    });
    expect(await rejectionOf(clients.orders.updateOrder({ order: {}, updateMask: { paths: ["tags"] } }))).toMatchObject(
      {
        violations: [{ field: "order.id", reason: "INVALID_UUID" }],
      },
    );
  });

  it("applies the contract's limits to the new values", async () => {
    const order = await placeOrder(clients, customerId);
    const tooLong = await rejectionOf(
      clients.orders.updateOrder({
        order: { id: order.id, customerNote: "x".repeat(2001), tags: ["a", "a"] },
        updateMask: { paths: ["customer_note"] },
      }),
    );
    expect(tooLong.code).toBe(Code.InvalidArgument);
    expect(tooLong.violations.map((v) => v.field).sort()).toEqual(["order.customer_note", "order.tags"]);
    const badCountry = await rejectionOf(
      clients.orders.updateOrder({
        order: { id: order.id, billingAddress: { ...home, country: "ZZ" } },
        updateMask: { paths: ["billing_address"] },
      }),
    );
    expect(badCountry).toMatchObject({
      violations: [{ field: "order.billing_address.country", reason: "UNKNOWN_COUNTRY" }],
    });
  });

  it("refuses address changes once the order is fulfilled (ADDRESS_LOCKED) but still takes notes", async () => {
    const order = await placeOrder(clients, customerId);
    await clients.orders.fulfillOrder({ id: order.id });
    const error = await rejectionOf(
      clients.orders.updateOrder({
        order: { id: order.id, shippingAddress: home },
        updateMask: { paths: ["shipping_address"] },
      }),
    );
    expect(error).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "ADDRESS_LOCKED",
      metadata: { currentStatus: "ORDER_STATUS_FULFILLED" },
    });
    const noted = orderOf(
      await clients.orders.updateOrder({
        order: { id: order.id, internalNote: "shipped late" },
        updateMask: { paths: ["internal_note"] },
      }),
    );
    expect(noted).toMatchObject({ status: OrderStatus.FULFILLED, internalNote: "shipped late" });
  });

  it("refuses address changes of a canceled order too", async () => {
    const order = await placeOrder(clients, customerId);
    await clients.orders.cancelOrder({ id: order.id });
    expect(
      await rejectionOf(
        clients.orders.updateOrder({
          order: { id: order.id, billingAddress: home },
          updateMask: { paths: ["billing_address"] },
        }),
      ),
    ).toMatchObject({ reason: "ADDRESS_LOCKED", metadata: { currentStatus: "ORDER_STATUS_CANCELED" } });
  });

  it("accepts the mask as Connect JSON writes it (camelCase, comma-separated)", async () => {
    const order = await placeOrder(clients, customerId);
    const response = await fetch(`${service.url}/orders.v1.OrdersService/UpdateOrder`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tenant.key}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        order: { id: order.id, customerNote: "hi", tags: ["x"] },
        updateMask: "customerNote,tags",
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { order: { customerNote: string; tags: string[] } };
    expect(body.order).toMatchObject({ customerNote: "hi", tags: ["x"] });
  });

  it("a retry with the same request_id answers the same and publishes once", async () => {
    const order = await placeOrder(clients, customerId);
    const request = {
      order: { id: order.id, customerNote: "once" },
      updateMask: { paths: ["customer_note"] },
      requestId: crypto.randomUUID(),
    };
    const first = await clients.orders.updateOrder(request);
    const again = await clients.orders.updateOrder(request);
    expect(again).toEqual(first);
    expect(orderOf(await clients.orders.getOrder({ id: order.id })).eventSequence).toBe(2);
  });
});
