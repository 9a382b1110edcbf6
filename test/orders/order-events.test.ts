import { fromBinary, type DescMessage } from "@bufbuild/protobuf";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  OrderCanceledSchema,
  OrderCreatedSchema,
  OrderDeliveredSchema,
  OrderFulfilledSchema,
  OrderPaidSchema,
  OrderPaymentVoidedSchema,
  OrderRefundedSchema,
  OrderUpdatedSchema,
} from "../../gen/orders/v1/events_pb.js";
import { HistoryEntryKind, PaymentStatus, type Order } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { countStored, readStored, type StoredEvent } from "../support/stream-reader.js";
import { waitFor } from "../support/wait-for.js";
import { givePayments, orderOf, paymentRecord, placeOrder } from "./support/order-fixtures.js";

let service: TestService;
let nc: NatsConnection;

beforeAll(async () => {
  service = await startTestService();
  nc = await connect({ servers: inject("natsUrl") });
});
afterAll(async () => {
  await ifSetUp(nc)?.close();
  await ifSetUp(service)?.shutdown();
});

const SCHEMAS: Record<string, DescMessage> = {
  "order.created": OrderCreatedSchema,
  "order.fulfilled": OrderFulfilledSchema,
  "order.delivered": OrderDeliveredSchema,
  "order.canceled": OrderCanceledSchema,
  "order.paid": OrderPaidSchema,
  "order.refunded": OrderRefundedSchema,
  "order.updated": OrderUpdatedSchema,
  "order.payment_voided": OrderPaymentVoidedSchema,
};

interface DecodedEvent {
  stored: StoredEvent;
  type: string;
  sequence: number;
  payload: { eventId: string; tenantId: string; sequence: number; order?: Order } & Record<string, unknown>;
}

/**
 * The tenant's events on subjects `filter` in the stream once the relay has published every outbox row
 * of the tenant, each decoded with the schema its ce-type names.
 */
async function tenantEvents(tenant: TestTenant, filter: string): Promise<DecodedEvent[]> {
  const connection = service.orm.em.fork().getConnection();
  await waitFor("every outbox row published", async () => {
    const [row] = await connection.execute<{ n: string }[]>(
      "select count(*) as n from outbox_events where tenant_id = ? and published_at is null",
      [tenant.tenantId],
    );
    return Number(row?.n) === 0;
  });
  const stored = await readStored(nc, filter);
  return stored.map((event) => {
    const type = event.headers["ce-type"] ?? "";
    const schema = SCHEMAS[type];
    if (!schema) throw new Error(`unknown event type ${type}`);
    const payload = fromBinary(schema, event.data) as unknown as DecodedEvent["payload"];
    return { stored: event, type, sequence: Number(event.headers["ce-sequence"]), payload };
  });
}

// A test key's orders (docs/test-mode.md) publish the same events, on orders.test.<tenant>.<event>.
describe.each(["live", "test"] as const)("order events of %s orders in the stream", (mode) => {
  let tenant: TestTenant;
  let clients: Clients;
  let customerId: string;
  const root = () => (mode === "test" ? `orders.test.${tenant.tenantId}` : `orders.${tenant.tenantId}`);
  const otherRoot = () => (mode === "test" ? `orders.${tenant.tenantId}` : `orders.test.${tenant.tenantId}`);

  beforeAll(async () => {
    tenant = await service.newTenant({ mode });
    clients = clientsFor("grpc-http2", service.url, tenant.key);
    customerId = await createCustomerId(clients);
  });

  it("every change publishes its event exactly once, numbered 1, 2, 3... per order in payload and ce-sequence", async () => {
    const a = await placeOrder(clients, customerId, "10.00");
    const b = await placeOrder(clients, customerId, "5.00");
    const paidRequest = { id: a.id, amount: "3.33", requestId: crypto.randomUUID() };
    await clients.orders.recordPayment(paidRequest);
    await clients.orders.recordPayment(paidRequest); // a retry: no second event
    await clients.orders.cancelOrder({ id: b.id, reason: "out of stock" });
    await clients.orders.fulfillOrder({ id: a.id, carrier: "UPS" });
    await clients.orders.recordPayment({ id: a.id, amount: "6.67" });
    await clients.orders.updateOrder({
      order: { id: a.id, internalNote: "gift" },
      updateMask: { paths: ["internal_note"] },
    });
    await clients.orders.deliverOrder({ id: a.id });
    const last = orderOf(await clients.orders.refundOrder({ id: a.id, amount: "1.00", reason: "late" }));
    // A refused change publishes nothing.
    await clients.orders.cancelOrder({ id: a.id }).catch(() => undefined);

    const events = await tenantEvents(tenant, `${root()}.>`);
    expect(events).toHaveLength(9);
    expect(await countStored(nc, `${otherRoot()}.>`)).toBe(0);
    expect(new Set(events.map((e) => e.payload.eventId)).size).toBe(9);

    const byOrder = (id: string) =>
      events.filter((e) => e.payload.order?.id === id).sort((x, y) => x.sequence - y.sequence);
    const ofA = byOrder(a.id);
    expect(ofA.map((e) => [e.sequence, e.type])).toEqual([
      [1, "order.created"],
      [2, "order.paid"],
      [3, "order.fulfilled"],
      [4, "order.paid"],
      [5, "order.updated"],
      [6, "order.delivered"],
      [7, "order.refunded"],
    ]);
    expect(byOrder(b.id).map((e) => [e.sequence, e.type])).toEqual([
      [1, "order.created"],
      [2, "order.canceled"],
    ]);

    for (const event of events) {
      const { stored, payload, sequence, type } = event;
      expect(stored.subject).toBe(`${root()}.${type.slice("order.".length)}`);
      expect(stored.headers).toMatchObject({
        "Nats-Msg-Id": payload.eventId,
        "ce-id": payload.eventId,
        "ce-subject": payload.order?.id,
        "ce-tenantid": tenant.tenantId,
        "ce-sequence": String(sequence).padStart(10, "0"),
        "content-type": "application/protobuf",
      });
      expect(payload.sequence).toBe(sequence);
      expect(payload.order?.eventSequence).toBe(sequence);
      expect(payload.tenantId).toBe(tenant.tenantId);
      expect(payload.order?.isTest).toBe(mode === "test");
    }

    // The last event carries the order exactly as the call answered, and the change it made.
    const refunded = ofA.at(-1);
    expect(refunded?.payload.order).toEqual(last);
    expect(refunded?.payload.change).toMatchObject({
      kind: HistoryEntryKind.PAYMENT,
      toPaymentStatus: PaymentStatus.PARTIALLY_REFUNDED,
      amount: "1.00",
      reason: "late",
    });
    expect(byOrder(b.id)[1]?.payload.change).toMatchObject({ reason: "out of stock" });
    expect(ofA[4]?.payload.updateMask).toMatchObject({ paths: ["internal_note"] });
  });
});

describe("payment events in the stream", () => {
  it("a capture publishes order.paid and a void order.payment_voided, each with its PAYMENT history entry", async () => {
    const tenant = await service.newTenant();
    const c = clientsFor("grpc-http2", service.url, tenant.key);
    const buyer = await createCustomerId(c);
    const [toCapture, toVoid] = [paymentRecord({ amount: "10.00" }), paymentRecord({ amount: "5.00" })];
    const a = await givePayments(service.orm, c, await placeOrder(c, buyer, "10.00"), [toCapture]);
    const b = await givePayments(service.orm, c, await placeOrder(c, buyer, "5.00"), [toVoid]);
    const captured = orderOf(await c.orders.capturePayment({ id: a.id, paymentId: toCapture.id, amount: "4.00" }));
    const voided = orderOf(await c.orders.voidPayment({ id: b.id, paymentId: toVoid.id, reason: "declined" }));

    const events = await tenantEvents(tenant, `orders.${tenant.tenantId}.>`);
    const last = (id: string) =>
      events.filter((e) => e.payload.order?.id === id).sort((x, y) => y.sequence - x.sequence)[0];
    expect(last(a.id)).toMatchObject({ type: "order.paid", sequence: 2 });
    expect(last(a.id)?.stored.subject).toBe(`orders.${tenant.tenantId}.paid`);
    expect(last(a.id)?.payload.order).toEqual(captured);
    expect(last(a.id)?.payload.change).toMatchObject({
      kind: HistoryEntryKind.PAYMENT,
      toPaymentStatus: PaymentStatus.PARTIALLY_PAID,
      amount: "4.00",
      paymentMethod: "card",
      gatewayReference: toCapture.gatewayReference,
    });
    expect(last(b.id)).toMatchObject({ type: "order.payment_voided", sequence: 2 });
    expect(last(b.id)?.stored.subject).toBe(`orders.${tenant.tenantId}.payment_voided`);
    expect(last(b.id)?.stored.headers).toMatchObject({ "ce-type": "order.payment_voided", "ce-subject": b.id });
    expect(last(b.id)?.payload.order).toEqual(voided);
    expect(last(b.id)?.payload.change).toMatchObject({
      kind: HistoryEntryKind.PAYMENT,
      fromPaymentStatus: PaymentStatus.AUTHORIZED,
      toPaymentStatus: PaymentStatus.UNPAID,
      amount: "5.00",
      reason: "declined",
      gatewayReference: toVoid.gatewayReference,
    });
  });
});
