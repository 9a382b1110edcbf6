import type { EntityManager } from "@mikro-orm/postgresql";
import { idempotencyRecordInsert, type NewIdempotencyRow } from "../../platform/idempotency/idempotency.js";
import { NOTIFY_RELAYS_SQL, outboxEventInsert, type NewOutboxEventRow } from "../../platform/outbox/outbox-store.js";
import type { AddressRecord } from "../../customers/public.js";
import { unlimitedRedemptionsPart, type RedemptionsOfOrder } from "../../promotions/public.js";
import { STOCK_TRACKED, untrackedCondition } from "../../inventory/public.js";
import { refuseUnless } from "../../platform/database/refusal.js";
import type {
  AdjustmentRecord,
  CustomFields,
  FulfillmentRecord,
  OrderFulfillmentRecord,
  HoldRecord,
  OrderMetadata,
  OrderTags,
  PaymentRecord,
  ShippingLineRecord,
  TaxLineRecord,
} from "../entities/json-types.js";
import { Parameters, query } from "../../platform/database/query.js";
import { insertedColumns, insertInto } from "../../platform/database/entity-insert.js";
import type { ItemSize } from "../../platform/database/group-commit.js";
import { OrderSchema } from "../entities/order.js";
import { OutboxEventSchema } from "../../platform/outbox/entities/outbox-event.js";
import { IdempotencyRecordSchema } from "../../platform/idempotency/entities/idempotency-record.js";
import { OrderLineSchema } from "../entities/order-line.js";
import { OrderHistoryEntrySchema } from "../entities/order-history-entry.js";

/** The `orders` row of a new order, in entity property names. */
export interface NewOrderRow {
  id: string;
  tenantId: string;
  orderNumber: string;
  /** null for a guest order. */
  customerId: string | null;
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
  /** Only an import starts with shipments (orders/rules/imported-fulfillments.ts); `[]` for every other order. */
  fulfillments: OrderFulfillmentRecord[];
  placedAt: Date | null;
  email: string | null;
  poNumber: string | null;
  customerReference: string | null;
  /** "YYYY-MM-DD" */
  requestedShipDate: string | null;
  holdUntilDate: string | null;
  shipByDate: string | null;
  requestedShippingService: string | null;
  customFields: CustomFields | null;
  locale: string | null;
  privateMetadata: OrderMetadata;
  companyId: string | null;
  marketId: string | null;
  salesChannelId: string | null;
  preferredStockLocationId: string | null;
  includedTaxTotal: string;
  additionalTaxTotal: string;
  /** "client" | "server" */
  taxSource: string;
  taxZoneId: string | null;
  shippingLine: ShippingLineRecord | null;
  adjustments: AdjustmentRecord[];
  payments: PaymentRecord[];
  isTest: boolean;
  /** Issue 14: a hold_until_date after the day of creation holds the order (rules/holds.ts). */
  hold: HoldRecord | null;
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
  paymentMethod: string | null;
  gatewayReference: string | null;
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
  metadata: OrderMetadata;
  privateMetadata: OrderMetadata;
  /** The catalog's snapshot (null for a custom line). */
  requestedSku: string | null;
  taxCategory: string | null;
  weightGrams: number | null;
  discountTotal: string;
  taxLines: TaxLineRecord[];
  /** The line's stock reservation (issue 14 §1): null / 0 / 0 until CreateOrder's reserving path sets it. */
  stockLocationId: string | null;
  reservedQuantity: number;
  backorderedQuantity: number;
}

export interface NewOrderRows {
  order: NewOrderRow;
  lines: readonly NewOrderLineRow[];
  event: NewOutboxEventRow;
  idempotency?: NewIdempotencyRow;
  history?: readonly NewHistoryEntryRow[];
  /**
   * Uses of promotions without limits, counted in the same statement (promotions' unlimitedRedemptionsPart): the
   * statement is refused, nothing written, when one of them has a limit or is inactive as it runs
   * (isRefusal(error, PROMOTION_LIMITED)).
   */
  unlimitedPromotionUses?: Pick<RedemptionsOfOrder, "buyer" | "redemptions">;
  /**
   * Catalog variants of lines written without reserving stock: the statement is refused, nothing written, when one
   * of them is tracked as it runs (isRefusal(error, STOCK_TRACKED)); the order must then reserve (create-order.ts).
   */
  unreservedVariantIds?: readonly string[];
}

/**
 * Writes a new order, its lines, its outbox event and, for a call with a request_id, its
 * idempotency record as ONE statement of data-modifying CTEs, which also wakes the relays
 * (pg_notify is delivered on commit). A single statement is its own transaction: all rows or none,
 * exactly like the unit of work it replaces, but in one round trip instead of seven (begin, four
 * inserts, notify, commit) and without the unit of work's change-set bookkeeping, which the bench
 * profile showed as the largest single cost of CreateOrder (docs/performance.md measures both).
 *
 * Every INSERT is generated from the entities (platform/database/entity-insert.ts): a property added
 * to Order, OrderLine or OrderHistoryEntry is written with no edit here, and a column nobody writes
 * and nothing defaults throws before the statement is sent.
 *
 * The idempotency record comes first so that a concurrent duplicate of a call with a request_id
 * fails on its primary key and is answered as a replay. The idempotency record and the outbox row are
 * written by the platform's own statements (idempotency.ts, outbox-store.ts), as CTEs of this one.
 */
export async function insertNewOrder(em: EntityManager, rows: NewOrderRows): Promise<void> {
  await insertNewOrders(em, [rows]);
}

/**
 * insertNewOrder for a batch of orders (group commit, docs/performance.md): the same statement with every order's
 * rows in each INSERT's VALUES and one pg_notify, so the batch is one round trip and one commit. All of its orders
 * or none: a batch that fails is written again order by order (platform/database/group-commit.ts), so one order's
 * taken number or request_id never fails the others. The uses of promotions without limits are counted for all
 * the batch's orders together, in one update per promotion (one statement may update a row only once).
 */
export async function insertNewOrders(em: EntityManager, orders: readonly NewOrderRows[]): Promise<void> {
  const params = new Parameters();
  const ctes: string[] = [];
  const records = orders.flatMap((rows) => (rows.idempotency ? [rows.idempotency] : []));
  if (records.length > 0) ctes.push(`new_idempotency_record as (${idempotencyRecordInsert(em, params, records)})`);
  const orderRows = orders.map(({ order }) => {
    const { tenantId, customerId, companyId, ...orderColumns } = order;
    return { ...orderColumns, tenant: tenantId, customer: customerId, company: companyId };
  });
  ctes.push(`new_order as (${insertInto(em, OrderSchema, orderRows, params)})`);
  const lineRows = orders.flatMap(({ order, lines }) =>
    lines.map((line) => ({ ...line, order: order.id, tenantId: order.tenantId })),
  );
  if (lineRows.length > 0) ctes.push(`new_lines as (${insertInto(em, OrderLineSchema, lineRows, params)})`);
  const entryRows = orders.flatMap(({ order, history = [] }) =>
    history.map((entry) => ({ ...entry, order: order.id, tenantId: order.tenantId })),
  );
  if (entryRows.length > 0) ctes.push(`new_history as (${insertInto(em, OrderHistoryEntrySchema, entryRows, params)})`);
  ctes.push(
    `new_event as (${outboxEventInsert(
      em,
      params,
      orders.map(({ event }) => event),
    )})`,
  );
  const conditions: string[] = [];
  const uses = orders.flatMap(({ order, unlimitedPromotionUses }) =>
    unlimitedPromotionUses && unlimitedPromotionUses.redemptions.length > 0
      ? [{ ...unlimitedPromotionUses, tenantId: order.tenantId, orderId: order.id }]
      : [],
  );
  if (uses.length > 0) {
    // Refused when a promotion has a limit now: the batch is then written by halves, down to that order, refused
    // alone and placed the locked way (create-order.ts).
    const part = unlimitedRedemptionsPart(params, uses);
    ctes.push(...part.ctes);
    conditions.push(part.condition);
  }
  // One refusal for the batch when any order's variant is tracked: the batch is then written by halves, down to
  // the order that must reserve, refused alone.
  const unreserved = new Map<string, string[]>();
  for (const { order, unreservedVariantIds = [] } of orders)
    if (unreservedVariantIds.length > 0)
      unreserved.set(order.tenantId, [...(unreserved.get(order.tenantId) ?? []), ...unreservedVariantIds]);
  for (const [tenantId, variantIds] of unreserved)
    conditions.push(refuseUnless(untrackedCondition(params, tenantId, [...new Set(variantIds)]), STOCK_TRACKED));
  const where = conditions.length > 0 ? ` where ${conditions.join(" and ")}` : "";
  // On the transaction of `em` when it has one (an order that redeems codes the locked way), else on the pool.
  await query(em, `with ${ctes.join(",\n")}\n${NOTIFY_RELAYS_SQL}${where}`, params.values);
}

/** What an order adds to a batch's statement (group-commit.ts's limits): its bound parameters and about their bytes. */
export function newOrderStatementSize(em: EntityManager, rows: NewOrderRows): ItemSize {
  const columns = statementColumns(em);
  const parameters =
    columns.order +
    rows.lines.length * columns.line +
    (rows.history?.length ?? 0) * columns.history +
    columns.event +
    (rows.idempotency ? columns.idempotency : 0);
  // The event's payload is the order as a message; the order's and its lines' columns carry about as much again.
  const bytes = 2 * rows.event.payload.byteLength + (rows.idempotency?.response.byteLength ?? 0);
  return { parameters, bytes };
}

let columnCounts: Record<"order" | "line" | "history" | "event" | "idempotency", number> | undefined;

function statementColumns(em: EntityManager): NonNullable<typeof columnCounts> {
  columnCounts ??= {
    order: insertedColumns(em, OrderSchema).length,
    line: insertedColumns(em, OrderLineSchema).length,
    history: insertedColumns(em, OrderHistoryEntrySchema).length,
    event: insertedColumns(em, OutboxEventSchema).length,
    idempotency: insertedColumns(em, IdempotencyRecordSchema).length,
  };
  return columnCounts;
}
