import type { EntityManager } from "@mikro-orm/postgresql";
import { idempotencyRecordInsert, type NewIdempotencyRow } from "../../platform/idempotency/idempotency.js";
import { NOTIFY_RELAYS_SQL, outboxEventInsert, type NewOutboxEventRow } from "../../platform/outbox/outbox-store.js";
import type { AddressRecord } from "../../customers/public.js";
import type { FulfillmentRecord, OrderMetadata, OrderTags } from "../entities/json-types.js";
import { nativePool, Parameters, query } from "../../platform/database/query.js";

/** The `orders` row of a new order, in entity property names. */
export interface NewOrderRow {
  id: string;
  tenantId: string;
  orderNumber: string;
  customerId: string;
  status: string;
  paymentStatus: string;
  currency: string;
  channel: string;
  propertyId: string | null;
  subtotal: string;
  shippingTotal: string;
  discountTotal: string;
  taxTotal: string;
  total: string;
  shippingAddress: AddressRecord | null;
  billingAddress: AddressRecord | null;
  customerNote: string | null;
  internalNote: string | null;
  metadata: OrderMetadata;
  requestId: string | null;
  createdAt: Date;
  updatedAt: Date;
  tags: OrderTags;
  // Other than "0" / null only for an import (orders/rules/order-import.ts).
  paidTotal: string;
  refundedTotal: string;
  fulfillment: FulfillmentRecord | null;
  placedAt: Date | null;
}

/** An `order_history_entries` row of a new order: only imports start with history (orders/rules/order-import.ts). */
export interface NewHistoryEntryRow {
  id: string;
  position: number;
  kind: "status" | "payment";
  fromStatus: string | null;
  toStatus: string | null;
  fromPaymentStatus: string | null;
  toPaymentStatus: string | null;
  amount: string | null;
  reason: string | null;
  apiKeyId: string;
  createdAt: Date;
}

export interface NewOrderLineRow {
  id: string;
  position: number;
  sku: string;
  name: string;
  description: string | null;
  quantity: number;
  unitPrice: string;
  taxAmount: string | null;
  lineTotal: string;
  productId: string | null;
  variantId: string | null;
}

export interface NewOrderRows {
  order: NewOrderRow;
  lines: readonly NewOrderLineRow[];
  event: NewOutboxEventRow;
  idempotency?: NewIdempotencyRow;
  history?: readonly NewHistoryEntryRow[];
}

/**
 * Writes a new order, its lines, its outbox event and, for a call with a request_id, its
 * idempotency record as ONE statement of data-modifying CTEs, which also wakes the relays
 * (pg_notify is delivered on commit). A single statement is its own transaction: all rows or none,
 * exactly like the unit of work it replaces, but in one round trip instead of seven (begin, four
 * inserts, notify, commit) and without the unit of work's change-set bookkeeping, which the bench
 * profile showed as the largest single cost of CreateOrder.
 *
 * The idempotency record comes first so that a concurrent duplicate of a call with a request_id
 * fails on its primary key and is answered as a replay. The idempotency record and the outbox row are
 * written by the platform's own statements (idempotency.ts, outbox-store.ts), as CTEs of this one.
 */
export async function insertNewOrder(em: EntityManager, rows: NewOrderRows): Promise<void> {
  const params = new Parameters();
  const values = (row: readonly unknown[]) => params.row(row);
  const ctes: string[] = [];
  const { order, lines, event, idempotency } = rows;
  if (idempotency) ctes.push(`new_idempotency_record as (${idempotencyRecordInsert(params, idempotency)})`);
  ctes.push(
    `new_order as (insert into orders (id, tenant_id, order_number, customer_id, status, payment_status, currency, channel, property_id, subtotal, shipping_total, discount_total, tax_total, total, shipping_address, billing_address, customer_note, internal_note, metadata, request_id, created_at, updated_at, tags, paid_total, refunded_total, fulfillment, placed_at) values ${values(
      [
        order.id,
        order.tenantId,
        order.orderNumber,
        order.customerId,
        order.status,
        order.paymentStatus,
        order.currency,
        order.channel,
        order.propertyId,
        order.subtotal,
        order.shippingTotal,
        order.discountTotal,
        order.taxTotal,
        order.total,
        json(order.shippingAddress),
        json(order.billingAddress),
        order.customerNote,
        order.internalNote,
        json(order.metadata),
        order.requestId,
        order.createdAt,
        order.updatedAt,
        json(order.tags),
        order.paidTotal,
        order.refundedTotal,
        json(order.fulfillment),
        order.placedAt,
      ],
    )})`,
  );
  if (lines.length > 0) {
    const lineValues = lines.map((line) =>
      values([
        line.id,
        order.id,
        order.tenantId,
        line.position,
        line.sku,
        line.name,
        line.description,
        line.quantity,
        line.unitPrice,
        line.taxAmount,
        line.lineTotal,
        line.productId,
        line.variantId,
      ]),
    );
    ctes.push(
      `new_lines as (insert into order_lines (id, order_id, tenant_id, position, sku, name, description, quantity, unit_price, tax_amount, line_total, product_id, variant_id) values ${lineValues.join(", ")})`,
    );
  }
  if (rows.history && rows.history.length > 0) {
    const entryValues = rows.history.map((entry) =>
      values([
        entry.id,
        order.id,
        order.tenantId,
        entry.position,
        entry.kind,
        entry.fromStatus,
        entry.toStatus,
        entry.fromPaymentStatus,
        entry.toPaymentStatus,
        entry.amount,
        entry.reason,
        entry.apiKeyId,
        entry.createdAt,
      ]),
    );
    ctes.push(
      `new_history as (insert into order_history_entries (id, order_id, tenant_id, position, kind, from_status, to_status, from_payment_status, to_payment_status, amount, reason, api_key_id, created_at) values ${entryValues.join(", ")})`,
    );
  }
  ctes.push(`new_event as (${outboxEventInsert(params, event)})`);
  await query(await nativePool(em), `with ${ctes.join(",\n")}\n${NOTIFY_RELAYS_SQL}`, params.values);
}

/** jsonb columns take the JSON text (pg would send an array as a PostgreSQL array). */
function json(value: object | null): string | null {
  return value === null ? null : JSON.stringify(value);
}
