import { fromBinary } from "@bufbuild/protobuf";
import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderHeldSchema, OrderReleasedSchema } from "../../gen/orders/v1/events_pb.js";
import { Channel, HistoryEntryKind, OrderStatus, type Order } from "../../gen/orders/v1/order_pb.js";
import { ordersHousekeeping } from "../../src/orders/handler.js";
import { Housekeeping } from "../../src/platform/database/housekeeping.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, outboxOf, placeOrder } from "./support/order-fixtures.js";

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

const hold = (order: Order, reason = "credit check") =>
  clients.orders.holdOrder({ id: order.id, reason }).then(orderOf);

/** A day `days` after today (UTC) as a google.type.Date and as the start of that day. */
function dayFromToday(days: number) {
  const start = new Date(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
  start.setUTCDate(start.getUTCDate() + days);
  return {
    date: { year: start.getUTCFullYear(), month: start.getUTCMonth() + 1, day: start.getUTCDate() },
    start,
  };
}

describe("HoldOrder and ReleaseOrder", () => {
  it.each(PROTOCOLS)("hold, refused fulfilment, release, fulfilment, over %s", async (protocol) => {
    const c = clientsFor(protocol, service.url, tenant.key);
    const placed = await placeOrder(c, customerId);
    const holdUntil = timestampFromDate(new Date(Date.now() + 86_400_000));
    const held = orderOf(
      await c.orders.holdOrder({
        id: placed.id,
        etag: placed.etag,
        requestId: randomUUID(),
        reason: "credit check",
        holdUntil,
      }),
    );
    expect(held).toMatchObject({
      status: OrderStatus.ON_HOLD,
      eventSequence: 2,
      hold: { reason: "credit check", holdUntil },
    });
    expect(held.hold?.holdTime).toEqual(held.updateTime);
    expect(held.history).toEqual([
      expect.objectContaining({
        kind: HistoryEntryKind.STATUS,
        fromStatus: OrderStatus.PLACED,
        toStatus: OrderStatus.ON_HOLD,
        reason: "credit check",
        apiKeyId: tenant.keyId,
      }),
    ]);

    const refused = await rejectionOf(c.orders.fulfillOrder({ id: placed.id }));
    expect(refused).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "ORDER_ON_HOLD",
      metadata: { holdReason: "credit check", holdUntil: timestampDate(holdUntil).toISOString() },
    });

    const released = orderOf(await c.orders.releaseOrder({ id: placed.id, etag: held.etag, reason: "approved" }));
    expect(released).toMatchObject({ status: OrderStatus.PLACED, eventSequence: 3 });
    expect(released.hold).toBeUndefined();
    expect(released.history.at(-1)).toMatchObject({
      fromStatus: OrderStatus.ON_HOLD,
      toStatus: OrderStatus.PLACED,
      reason: "approved",
    });
    expect(orderOf(await c.orders.fulfillOrder({ id: placed.id })).status).toBe(OrderStatus.FULFILLED);

    const events = await outboxOf(service.orm, placed.id);
    expect(events.map((e) => e.type)).toEqual(["order.created", "order.held", "order.released", "order.fulfilled"]);
    const heldEvent = fromBinary(OrderHeldSchema, events[1]?.payload ?? new Uint8Array());
    expect(heldEvent).toMatchObject({
      sequence: 2,
      order: { status: OrderStatus.ON_HOLD },
      change: { reason: "credit check" },
    });
    const releasedEvent = fromBinary(OrderReleasedSchema, events[2]?.payload ?? new Uint8Array());
    expect(releasedEvent).toMatchObject({ sequence: 3, hold: { reason: "credit check", holdUntil } });
    expect(releasedEvent.order?.hold).toBeUndefined();
  });

  it("a retried hold answers as the first and holds once", async () => {
    const placed = await placeOrder(clients, customerId);
    const request = { id: placed.id, reason: "fraud review", requestId: randomUUID() };
    const first = orderOf(await clients.orders.holdOrder(request));
    expect(orderOf(await clients.orders.holdOrder(request))).toEqual(first);
    expect(first.history).toHaveLength(1);
  });

  it("a held order can be canceled, which ends its hold", async () => {
    const held = await hold(await placeOrder(clients, customerId));
    const canceled = orderOf(await clients.orders.cancelOrder({ id: held.id, reason: "fraud" }));
    expect(canceled.status).toBe(OrderStatus.CANCELED);
    expect(canceled.hold).toBeUndefined();
  });

  it("a held order can still be paid", async () => {
    const held = await hold(await placeOrder(clients, customerId));
    const paid = orderOf(await clients.orders.recordPayment({ id: held.id, amount: "10.00" }));
    expect(paid).toMatchObject({ status: OrderStatus.ON_HOLD, paidTotal: "10.00" });
  });
});

describe("refusals", () => {
  it("holding a held order, releasing a placed one, holding a fulfilled one: INVALID_TRANSITION", async () => {
    const held = await hold(await placeOrder(clients, customerId));
    expect(await rejectionOf(hold(held))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_ON_HOLD" },
    });
    const placed = await placeOrder(clients, customerId);
    expect(await rejectionOf(clients.orders.releaseOrder({ id: placed.id }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_PLACED" },
    });
    const fulfilled = orderOf(await clients.orders.fulfillOrder({ id: placed.id }));
    expect(await rejectionOf(hold(fulfilled))).toMatchObject({
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_FULFILLED" },
    });
  });

  it("a hold_until that is not in the future, and a missing reason: INVALID_ARGUMENT", async () => {
    const placed = await placeOrder(clients, customerId);
    const past = timestampFromDate(new Date(Date.now() - 1000));
    expect(await rejectionOf(clients.orders.holdOrder({ id: placed.id, reason: "x", holdUntil: past }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "hold_until", reason: "HOLD_UNTIL_NOT_FUTURE" }],
    });
    expect(await rejectionOf(clients.orders.holdOrder({ id: placed.id }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "reason", reason: "REQUIRED" }],
    });
    // Nothing was written.
    expect(orderOf(await clients.orders.getOrder({ id: placed.id }))).toEqual(placed);
  });

  it("a stale etag: ABORTED; another tenant's order: NOT_FOUND; a viewer key: PERMISSION_DENIED", async () => {
    const placed = await placeOrder(clients, customerId);
    const held = await hold(placed);
    expect(await rejectionOf(clients.orders.releaseOrder({ id: held.id, etag: placed.etag }))).toMatchObject({
      code: Code.Aborted,
      reason: "ETAG_MISMATCH",
    });
    expect(
      await rejectionOf(clients.orders.holdOrder({ id: placed.id, etag: placed.etag, reason: "x" })),
    ).toMatchObject({
      code: Code.Aborted,
      reason: "ETAG_MISMATCH",
    });
    const other = clientsFor("connect-json-http1", service.url, (await service.newTenant()).key);
    expect(await rejectionOf(other.orders.releaseOrder({ id: held.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "ORDER_NOT_FOUND",
    });
    const viewer = clientsFor("connect-json-http1", service.url, (await tenant.issueKey({ role: "viewer" })).key);
    expect(await rejectionOf(viewer.orders.holdOrder({ id: placed.id, reason: "x" }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
    });
  });

  it.each([
    [OrderStatus.ON_HOLD, "import_details.status", "STATUS_NOT_IMPORTABLE"],
    [OrderStatus.PARTIALLY_RETURNED, "import_details.status", "STATUS_NOT_IMPORTABLE"],
    [OrderStatus.RETURNED, "import_details.status", "STATUS_NOT_IMPORTABLE"],
    // Partially fulfilled is importable with the shipments that say which units shipped (import-shipments.test.ts).
    [OrderStatus.PARTIALLY_FULFILLED, "import_details.fulfillments", "REQUIRED"],
  ])("an import cannot start in status %s without what it needs", async (status, field, reason) => {
    const admin = clientsFor("connect-json-http1", service.url, (await tenant.issueKey({ role: "admin" })).key);
    const refused = await rejectionOf(
      admin.orders.createOrder({
        customerId,
        currency: "USD",
        channel: Channel.IMPORT,
        items: [{ sku: "S", name: "S", quantity: 1, unitPrice: "1.00" }],
        importDetails: { status },
      }),
    );
    expect(refused).toMatchObject({ code: Code.InvalidArgument, violations: [{ field, reason }] });
  });
});

describe("hold_until_date at creation (seed 001) and its end by housekeeping", () => {
  it("opens the order on hold until the start of that day, and housekeeping releases it then", async () => {
    const later = dayFromToday(2);
    const { order } = await clients.orders.createOrder({
      customerId,
      currency: "USD",
      items: [{ sku: "S", name: "S", quantity: 1, unitPrice: "5.00" }],
      holdUntilDate: later.date,
    });
    const created = order ?? orderOf({});
    expect(created).toMatchObject({
      status: OrderStatus.ON_HOLD,
      holdUntilDate: later.date,
      hold: { reason: "hold_until_date", holdUntil: timestampFromDate(later.start) },
    });
    expect(await rejectionOf(clients.orders.fulfillOrder({ id: created.id }))).toMatchObject({
      reason: "ORDER_ON_HOLD",
      metadata: { holdReason: "hold_until_date", holdUntil: later.start.toISOString() },
    });

    const housekeeping = new Housekeeping(service.orm, {
      logger: pino({ level: "silent" }),
      tasks: ordersHousekeeping({ orm: service.orm, onCommitted: () => undefined }),
    });
    // A moment before the hold ends nothing happens; at its end the order is released.
    const before = await housekeeping.runOnce(new Date(later.start.getTime() - 1));
    expect(orderOf(await clients.orders.getOrder({ id: created.id })).status).toBe(OrderStatus.ON_HOLD);
    expect(before.tasks.expiredHolds).toBeGreaterThanOrEqual(0);
    const at = await housekeeping.runOnce(later.start);
    expect(at.tasks.expiredHolds).toBeGreaterThanOrEqual(1);
    const released = orderOf(await clients.orders.getOrder({ id: created.id }));
    expect(released).toMatchObject({ status: OrderStatus.PLACED, eventSequence: 2 });
    expect(released.hold).toBeUndefined();
    expect(released.history).toEqual([
      expect.objectContaining({
        fromStatus: OrderStatus.ON_HOLD,
        toStatus: OrderStatus.PLACED,
        reason: "hold_until passed",
        apiKeyId: "",
      }),
    ]);
    const events = await outboxOf(service.orm, created.id);
    expect(events.map((e) => e.type)).toEqual(["order.created", "order.released"]);
    expect(fromBinary(OrderReleasedSchema, events[1]?.payload ?? new Uint8Array()).hold?.reason).toBe(
      "hold_until_date",
    );
    // A second pass finds nothing more to do for it.
    await housekeeping.runOnce(later.start);
    expect(orderOf(await clients.orders.getOrder({ id: created.id })).eventSequence).toBe(2);
  });

  it("housekeeping and a ReleaseOrder at once release the hold once", async () => {
    const housekeeping = new Housekeeping(service.orm, {
      logger: pino({ level: "silent" }),
      tasks: ordersHousekeeping({ orm: service.orm, onCommitted: () => undefined }),
    });
    for (let round = 0; round < 4; round++) {
      const placed = await placeOrder(clients, customerId);
      const holdUntil = new Date(Date.now() + 3_600_000);
      await clients.orders.holdOrder({ id: placed.id, reason: "review", holdUntil: timestampFromDate(holdUntil) });
      const [byHand, byHousekeeping] = await Promise.allSettled([
        clients.orders.releaseOrder({ id: placed.id, reason: "approved" }),
        housekeeping.runOnce(new Date(holdUntil.getTime() + 1)),
      ]);
      expect(byHousekeeping.status).toBe("fulfilled");
      if (byHand.status === "rejected") {
        expect(observedError(byHand.reason)).toMatchObject({ reason: "INVALID_TRANSITION" });
      }
      const released = orderOf(await clients.orders.getOrder({ id: placed.id }));
      expect(released.status).toBe(OrderStatus.PLACED);
      expect((await outboxOf(service.orm, placed.id)).map((e) => e.type)).toEqual([
        "order.created",
        "order.held",
        "order.released",
      ]);
    }
  });

  it("a hold_until_date of today or before places the order as usual", async () => {
    const { order } = await clients.orders.createOrder({
      customerId,
      currency: "USD",
      items: [{ sku: "S", name: "S", quantity: 1, unitPrice: "5.00" }],
      holdUntilDate: dayFromToday(0).date,
    });
    expect(order?.status).toBe(OrderStatus.PLACED);
    expect(order?.hold).toBeUndefined();
  });

  it("a test order's hold is released as a test order's change", async () => {
    const testKey = await tenant.issueKey({ role: "editor", mode: "test" });
    const testClients = clientsFor("connect-json-http1", service.url, testKey.key);
    const later = dayFromToday(3);
    const { order } = await testClients.orders.createOrder({
      customerId,
      currency: "USD",
      items: [{ sku: "S", name: "S", quantity: 1, unitPrice: "5.00" }],
      holdUntilDate: later.date,
    });
    expect(order?.status).toBe(OrderStatus.ON_HOLD);
    const housekeeping = new Housekeeping(service.orm, {
      logger: pino({ level: "silent" }),
      tasks: ordersHousekeeping({ orm: service.orm, onCommitted: () => undefined }),
    });
    await housekeeping.runOnce(later.start);
    expect(orderOf(await testClients.orders.getOrder({ id: order?.id ?? "" })).status).toBe(OrderStatus.PLACED);
  });
});
