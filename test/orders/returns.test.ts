import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderReturnReceivedSchema, OrderReturnRequestedSchema } from "../../gen/orders/v1/events_pb.js";
import { HistoryEntryKind, OrderStatus, PaymentStatus, ReturnState, type Order } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { BROOKLYN, setUpNewYorkShop } from "../support/new-york-shop.js";
import { shippedNewYorkOrder as newYorkOrder } from "./support/new-york-order.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, outboxOf } from "./support/order-fixtures.js";

let service: TestService;
let tenant: TestTenant;
let clients: Clients;
let groundId: string;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
  clients = clientsFor("grpc-http2", service.url, tenant.key);
  groundId = await setUpNewYorkShop(clients);
});
afterAll(() => ifSetUp(service)?.shutdown());

const shippedNewYorkOrder = (c: Clients = clients, pay = true) => newYorkOrder(c, groundId, pay);

const ids = (order: Order) => order.items.map((item) => item.id) as [string, string];

describe("RequestReturn and ReceiveReturn", () => {
  it.each(PROTOCOLS)("one discounted, taxed mug back, then the rest with shipping, over %s", async (protocol) => {
    const c = clientsFor(protocol, service.url, tenant.key);
    const shipped = await shippedNewYorkOrder(c);
    const [mug, tee] = ids(shipped);
    const requested = orderOf(
      await c.orders.requestReturn({
        id: shipped.id,
        etag: shipped.etag,
        requestId: crypto.randomUUID(),
        lines: [{ lineId: mug, quantity: 1 }],
        reason: "chipped",
      }),
    );
    expect(requested.status).toBe(OrderStatus.FULFILLED);
    expect(requested.refundedTotal).toBe("0.00");
    const [first] = requested.returns;
    expect(first).toMatchObject({
      state: ReturnState.REQUESTED,
      lines: [{ lineId: mug, quantity: 1, amount: "39.20", restock: false }],
      reason: "chipped",
      refundShipping: false,
      shippingAmount: "0.00",
      refundAmount: "39.20",
      refundedAmount: "",
    });
    expect(requested.history.at(-1)).toMatchObject({
      fromStatus: OrderStatus.FULFILLED,
      toStatus: OrderStatus.FULFILLED,
      reason: "chipped",
    });

    const received = orderOf(
      await c.orders.receiveReturn({
        id: shipped.id,
        returnId: first?.id ?? "",
        lines: [{ lineId: mug, restock: true }],
      }),
    );
    expect(received).toMatchObject({
      status: OrderStatus.PARTIALLY_RETURNED,
      paymentStatus: PaymentStatus.PARTIALLY_REFUNDED,
      refundedTotal: "39.20",
      returns: [{ state: ReturnState.RECEIVED, refundedAmount: "39.20", lines: [{ restock: true }] }],
    });
    expect(received.returns[0]?.receiveTime).toBeDefined();
    expect(received.history.slice(-2)).toEqual([
      expect.objectContaining({
        kind: HistoryEntryKind.PAYMENT,
        toPaymentStatus: PaymentStatus.PARTIALLY_REFUNDED,
        amount: "39.20",
        reason: "return: chipped",
        paymentMethod: "card",
      }),
      expect.objectContaining({
        kind: HistoryEntryKind.STATUS,
        fromStatus: OrderStatus.FULFILLED,
        toStatus: OrderStatus.PARTIALLY_RETURNED,
      }),
    ]);
    expect(received.payments[0]?.refundedAmount).toBe("39.20");

    // The rest, with the shipping: the order's whole total comes back, to the cent.
    const rest = orderOf(
      await c.orders.requestReturn({
        id: shipped.id,
        lines: [
          { lineId: mug, quantity: 1 },
          { lineId: tee, quantity: 1 },
        ],
        refundShipping: true,
      }),
    );
    expect(rest.returns[1]).toMatchObject({
      lines: [
        { lineId: mug, amount: "39.19" },
        { lineId: tee, amount: "19.60" },
      ],
      refundShipping: true,
      shippingAmount: "9.78",
      refundAmount: "68.57",
    });
    const all = orderOf(await c.orders.receiveReturn({ id: shipped.id, returnId: rest.returns[1]?.id ?? "" }));
    expect(all).toMatchObject({
      status: OrderStatus.RETURNED,
      paymentStatus: PaymentStatus.REFUNDED,
      refundedTotal: "107.77",
    });
    expect(orderOf(await c.orders.getOrder({ id: shipped.id }))).toEqual(all);

    const events = await outboxOf(service.orm, shipped.id);
    expect(events.map((e) => e.type).slice(2)).toEqual([
      "order.return_requested",
      "order.return_received",
      "order.return_requested",
      "order.return_received",
    ]);
    const requestedEvent = fromBinary(OrderReturnRequestedSchema, events[2]?.payload ?? new Uint8Array());
    expect(requestedEvent.orderReturn).toEqual(first);
    const receivedEvent = fromBinary(OrderReturnReceivedSchema, events[3]?.payload ?? new Uint8Array());
    expect(receivedEvent.orderReturn).toEqual(received.returns[0]);
    expect(receivedEvent.change).toEqual(received.history.at(-1));
  });

  it("a gift card paid order: the return's refund goes back onto the card, in its ledger", async () => {
    const { giftCard } = await clients.giftCards.issueGiftCard({ initialBalance: "200.00", currency: "USD" });
    const { order } = await clients.orders.createOrder({
      email: "buyer@example.com",
      currency: "USD",
      items: [
        { sku: "MUG", name: "Mug", quantity: 2, unitPrice: "40.00" },
        { sku: "TEE", name: "Tee", quantity: 1, unitPrice: "20.00" },
      ],
      shippingAddress: BROOKLYN,
      shippingMethod: { id: groundId },
      couponCodes: ["SPRING10"],
      giftCardCodes: [giftCard?.code ?? ""],
    });
    const shipped = orderOf(await clients.orders.fulfillOrder({ id: orderOf({ order }).id }));
    expect(shipped).toMatchObject({ paidTotal: "107.77", paymentStatus: PaymentStatus.PAID });
    const [mug] = ids(shipped);
    const requested = orderOf(
      await clients.orders.requestReturn({ id: shipped.id, lines: [{ lineId: mug, quantity: 1 }], reason: "chipped" }),
    );
    const received = orderOf(
      await clients.orders.receiveReturn({ id: shipped.id, returnId: requested.returns[0]?.id ?? "" }),
    );
    expect(received).toMatchObject({
      refundedTotal: "39.20",
      payments: [{ method: "GIFT_CARD", refundedAmount: "39.20" }],
    });
    expect(received.history.at(-2)).toMatchObject({ paymentMethod: "GIFT_CARD", amount: "39.20" });
    const card = await clients.giftCards.getGiftCard({ id: giftCard?.id ?? "" });
    expect(card.giftCard?.balance).toBe("131.43");
    const { transactions } = await clients.giftCards.listGiftCardTransactions({ giftCardId: giftCard?.id ?? "" });
    expect(transactions.at(-1)).toMatchObject({ amount: "39.20", orderId: shipped.id });
  });

  it("an unpaid order's return refunds nothing and records 0", async () => {
    const shipped = await shippedNewYorkOrder(clients, false);
    const [, tee] = ids(shipped);
    const requested = orderOf(
      await clients.orders.requestReturn({ id: shipped.id, lines: [{ lineId: tee, quantity: 1 }] }),
    );
    const received = orderOf(
      await clients.orders.receiveReturn({ id: shipped.id, returnId: requested.returns[0]?.id ?? "" }),
    );
    expect(received).toMatchObject({
      status: OrderStatus.PARTIALLY_RETURNED,
      paymentStatus: PaymentStatus.UNPAID,
      refundedTotal: "0.00",
      returns: [{ refundAmount: "19.60", refundedAmount: "0.00" }],
    });
    expect(received.history.at(-1)?.kind).toBe(HistoryEntryKind.STATUS);
  });

  it("a delivered order can be returned; shipping is refunded only once", async () => {
    const shipped = await shippedNewYorkOrder();
    await clients.orders.deliverOrder({ id: shipped.id });
    const [mug, tee] = ids(shipped);
    const first = orderOf(
      await clients.orders.requestReturn({
        id: shipped.id,
        lines: [{ lineId: tee, quantity: 1 }],
        refundShipping: true,
      }),
    );
    expect(first.status).toBe(OrderStatus.DELIVERED);
    expect(first.returns[0]).toMatchObject({ shippingAmount: "9.78", refundAmount: "29.38" });
    const second = orderOf(
      await clients.orders.requestReturn({
        id: shipped.id,
        lines: [{ lineId: mug, quantity: 2 }],
        refundShipping: true,
      }),
    );
    expect(second.returns[1]).toMatchObject({ refundShipping: false, shippingAmount: "0.00", refundAmount: "78.39" });
  });
});

describe("refusals", () => {
  it("returning more than shipped, an unknown line, a line twice: INVALID_ARGUMENT, nothing written", async () => {
    const { order } = await clients.orders.createOrder({
      email: "buyer@example.com",
      currency: "USD",
      items: [
        { sku: "MUG", name: "Mug", quantity: 2, unitPrice: "40.00" },
        { sku: "TEE", name: "Tee", quantity: 1, unitPrice: "20.00" },
      ],
    });
    const placed = orderOf({ order });
    const [mug, tee] = ids(placed);
    // Nothing shipped: not returnable at all.
    expect(
      await rejectionOf(clients.orders.requestReturn({ id: placed.id, lines: [{ lineId: mug, quantity: 1 }] })),
    ).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INVALID_TRANSITION",
      metadata: { currentStatus: "ORDER_STATUS_PLACED" },
    });
    await clients.orders.fulfillOrder({ id: placed.id });
    await clients.orders.requestReturn({ id: placed.id, lines: [{ lineId: mug, quantity: 1 }] });
    const before = orderOf(await clients.orders.getOrder({ id: placed.id }));
    const refused = await rejectionOf(
      clients.orders.requestReturn({
        id: placed.id,
        lines: [
          { lineId: mug, quantity: 2 },
          { lineId: crypto.randomUUID(), quantity: 1 },
          { lineId: tee, quantity: 1 },
          { lineId: tee, quantity: 1 },
        ],
      }),
    );
    expect(refused).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "lines[0].quantity", reason: "QUANTITY_EXCEEDS_RETURNABLE" },
        { field: "lines[1].line_id", reason: "LINE_NOT_FOUND" },
        { field: "lines[3].line_id", reason: "DUPLICATE_LINE" },
      ],
    });
    expect(await rejectionOf(clients.orders.requestReturn({ id: placed.id, lines: [] }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "lines" }],
    });
    expect(orderOf(await clients.orders.getOrder({ id: placed.id }))).toEqual(before);
  });

  it("an unknown return is NOT_FOUND, a received one FAILED_PRECONDITION, a foreign line INVALID_ARGUMENT", async () => {
    const shipped = await shippedNewYorkOrder();
    const [mug, tee] = ids(shipped);
    expect(
      await rejectionOf(clients.orders.receiveReturn({ id: shipped.id, returnId: crypto.randomUUID() })),
    ).toMatchObject({ code: Code.NotFound, reason: "RETURN_NOT_FOUND" });
    const requested = orderOf(
      await clients.orders.requestReturn({ id: shipped.id, lines: [{ lineId: mug, quantity: 1 }] }),
    );
    const returnId = requested.returns[0]?.id ?? "";
    expect(
      await rejectionOf(
        clients.orders.receiveReturn({
          id: shipped.id,
          returnId,
          lines: [
            { lineId: tee, restock: true },
            { lineId: mug, restock: true },
            { lineId: mug, restock: false },
          ],
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "lines[0].line_id", reason: "RETURN_LINE_NOT_FOUND" },
        { field: "lines[2].line_id", reason: "DUPLICATE_LINE" },
      ],
    });
    expect(orderOf(await clients.orders.getOrder({ id: shipped.id }))).toEqual(requested);
    await clients.orders.receiveReturn({ id: shipped.id, returnId });
    expect(await rejectionOf(clients.orders.receiveReturn({ id: shipped.id, returnId }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "RETURN_ALREADY_RECEIVED",
      metadata: { returnId },
    });
  });

  it("a retried receipt refunds once; a stale etag is ABORTED; a viewer key may not", async () => {
    const shipped = await shippedNewYorkOrder();
    const [mug] = ids(shipped);
    const requested = orderOf(
      await clients.orders.requestReturn({ id: shipped.id, lines: [{ lineId: mug, quantity: 2 }] }),
    );
    const receipt = { id: shipped.id, returnId: requested.returns[0]?.id ?? "", requestId: crypto.randomUUID() };
    expect(await rejectionOf(clients.orders.receiveReturn({ ...receipt, etag: shipped.etag }))).toMatchObject({
      code: Code.Aborted,
      reason: "ETAG_MISMATCH",
    });
    const first = orderOf(await clients.orders.receiveReturn(receipt));
    expect(orderOf(await clients.orders.receiveReturn(receipt))).toEqual(first);
    expect(first.refundedTotal).toBe("78.39");
    const viewer = clientsFor("connect-json-http1", service.url, (await tenant.issueKey({ role: "viewer" })).key);
    expect(
      await rejectionOf(viewer.orders.requestReturn({ id: shipped.id, lines: [{ lineId: mug, quantity: 1 }] })),
    ).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
  });
});

describe("concurrent returns of one order", () => {
  it("two receipts of one return: one refunds, the other is RETURN_ALREADY_RECEIVED; the money moves once", async () => {
    for (let round = 0; round < 4; round++) {
      const shipped = await shippedNewYorkOrder();
      const [mug] = ids(shipped);
      const requested = orderOf(
        await clients.orders.requestReturn({ id: shipped.id, lines: [{ lineId: mug, quantity: 1 }] }),
      );
      const receipt = { id: shipped.id, returnId: requested.returns[0]?.id ?? "" };
      const json = clientsFor("connect-json-http1", service.url, tenant.key);
      const results = await Promise.allSettled([
        clients.orders.receiveReturn(receipt),
        json.orders.receiveReturn(receipt),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const loser = results.find((r) => r.status === "rejected");
      expect(observedError(loser?.reason)).toMatchObject({ reason: "RETURN_ALREADY_RECEIVED" });
      const final = orderOf(await clients.orders.getOrder({ id: shipped.id }));
      expect(final).toMatchObject({ refundedTotal: "39.20", payments: [{ refundedAmount: "39.20" }] });
      expect(final.history.filter((h) => h.kind === HistoryEntryKind.PAYMENT)).toHaveLength(1);
    }
  });

  it("two requests for the same units: one is accepted, the other exceeds what is returnable", async () => {
    const shipped = await shippedNewYorkOrder();
    const [mug] = ids(shipped);
    const request = { id: shipped.id, lines: [{ lineId: mug, quantity: 2 }] };
    const json = clientsFor("connect-json-http1", service.url, tenant.key);
    const results = await Promise.allSettled([
      clients.orders.requestReturn(request),
      json.orders.requestReturn(request),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const loser = results.find((r) => r.status === "rejected");
    expect(observedError(loser?.reason)).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "lines[0].quantity", reason: "QUANTITY_EXCEEDS_RETURNABLE" }],
    });
    expect(orderOf(await clients.orders.getOrder({ id: shipped.id })).returns).toHaveLength(1);
  });
});
