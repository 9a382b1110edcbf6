import type { EntityManager } from "@mikro-orm/postgresql";
import { Parameters, query } from "../../platform/database/query.js";
import { CURSOR_TIME_SQL } from "../../platform/pagination/page-request.js";
import type { NewOrderRow } from "./insert-order.js";
import type { OrderFulfillmentRecord, ReturnRecord } from "../entities/json-types.js";
import type { HistoryEntryView } from "../history-mapper.js";
import type { OrderLineView, OrderView } from "../order-mapper.js";

/**
 * Orders read as plain rows, for ListOrders and GetOrder: hydrating up to 500 Order entities with their lines
 * and history into a unit of work cost many times the queries themselves (the same finding as
 * CreateOrder's insert, see insert-order.ts), and a read needs no change tracking. Columns are
 * aliased to the entity property names, so the rows are OrderViews for orderToMessage once their
 * times are Dates. Through MikroORM's connection, numeric and timestamptz arrive as text (exact
 * decimals; times parsed here the way the ORM parses them) and jsonb parsed.
 */

/** The `orders` columns of an OrderView, for `select ${ORDER_COLUMNS} from orders ...`. */
export const ORDER_COLUMNS = [
  "id",
  `order_number as "orderNumber"`,
  `customer_id as "customerId"`,
  "status",
  `payment_status as "paymentStatus"`,
  "currency",
  "channel",
  `property_id as "propertyId"`,
  "subtotal",
  `shipping_total as "shippingTotal"`,
  `discount_total as "discountTotal"`,
  `tax_total as "taxTotal"`,
  "total",
  `shipping_address as "shippingAddress"`,
  `billing_address as "billingAddress"`,
  `customer_note as "customerNote"`,
  `internal_note as "internalNote"`,
  "metadata",
  `created_at as "createdAt"`,
  `updated_at as "updatedAt"`,
  `paid_total as "paidTotal"`,
  `refunded_total as "refundedTotal"`,
  "fulfillment",
  "tags",
  `placed_at as "placedAt"`,
  "version",
  `event_sequence as "eventSequence"`,
  "email",
  `po_number as "poNumber"`,
  `customer_reference as "customerReference"`,
  // "YYYY-MM-DD" whatever the driver's date parsing
  `to_char(requested_ship_date, 'YYYY-MM-DD') as "requestedShipDate"`,
  `to_char(hold_until_date, 'YYYY-MM-DD') as "holdUntilDate"`,
  `to_char(ship_by_date, 'YYYY-MM-DD') as "shipByDate"`,
  `requested_shipping_service as "requestedShippingService"`,
  `custom_fields as "customFields"`,
  "locale",
  `private_metadata as "privateMetadata"`,
  `company_id as "companyId"`,
  `market_id as "marketId"`,
  `sales_channel_id as "salesChannelId"`,
  `preferred_stock_location_id as "preferredStockLocationId"`,
  `included_tax_total as "includedTaxTotal"`,
  `additional_tax_total as "additionalTaxTotal"`,
  `tax_source as "taxSource"`,
  `tax_zone_id as "taxZoneId"`,
  `shipping_line as "shippingLine"`,
  "adjustments",
  "payments",
  `is_test as "isTest"`,
  "hold",
  "fulfillments",
  "returns",
].join(", ");

/** An `orders` row selected with ORDER_COLUMNS, as the driver returns it: times are text. */
export type RawOrderRow = Omit<OrderRow, "createdAt" | "updatedAt" | "placedAt"> & {
  createdAt: string;
  updatedAt: string;
  placedAt: string | null;
};

/** An `orders` row selected with ORDER_COLUMNS: the columns a new order is written with, less the tenant and request ids. */
export type OrderRow = Omit<NewOrderRow, "tenantId" | "requestId"> & {
  version: number;
  eventSequence: number;
  fulfillments: OrderFulfillmentRecord[];
  returns: ReturnRecord[];
};

type LineRow = OrderLineView & { orderId: string };
type HistoryRow = Omit<HistoryEntryView, "createdAt"> & { orderId: string; createdAt: string };

/** ListOrders' filters, by the names page tokens fingerprint them; unset ones select everything. */
export interface OrderFilters {
  status?: string;
  payment_status?: string;
  customer_id?: string;
  channel?: string;
  order_number?: string;
  email?: string;
  po_number?: string;
  company_id?: string;
  /** Inclusive, and exclusive bound of created_at: RFC 3339 to the microsecond (timestamps.ts). */
  createdFrom?: string;
  createdBefore?: string;
}

/** Where a page starts: after the order with this created_at (to the microsecond) and id. */
export interface PagePosition {
  createTime: string;
  id: string;
}

const FILTER_COLUMNS = {
  status: "status",
  payment_status: "payment_status",
  customer_id: "customer_id",
  channel: "channel",
  order_number: "order_number",
  // compared case-insensitively, on the orders_tenant_id_lower_email_created_at_id_index
  email: "lower(email)",
  po_number: "po_number",
  company_id: "company_id",
} as const;

/** Whose orders a listing reads: a tenant's test orders or its live ones, never both (docs/test-mode.md). */
export interface OrderListing {
  tenantId: string;
  test: boolean;
}

/**
 * One page of a tenant's orders of one mode, newest first, that starts after `after`: one index range
 * scan, of (tenant_id, is_test, created_at desc, id desc) without a filter, else mostly of the filter's
 * (tenant_id, column, created_at desc, id desc) index, which skips the other mode's orders among the
 * matches (see the Order entity). `limit` rows at most; `cursorTime` is each row's created_at to the
 * microsecond, for the next page token.
 */
export async function selectOrderPage(
  em: EntityManager,
  listing: OrderListing,
  filters: OrderFilters,
  after: PagePosition | undefined,
  limit: number,
): Promise<(RawOrderRow & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(listing.tenantId)}`, `is_test = ${params.bind(listing.test)}`];
  for (const [name, column] of Object.entries(FILTER_COLUMNS)) {
    const value = filters[name as keyof typeof FILTER_COLUMNS];
    if (value === undefined) continue;
    where.push(name === "email" ? `${column} = lower(${params.bind(value)})` : `${column} = ${params.bind(value)}`);
  }
  if (filters.createdFrom) where.push(`created_at >= ${params.bind(filters.createdFrom)}::timestamptz`);
  if (filters.createdBefore) where.push(`created_at < ${params.bind(filters.createdBefore)}::timestamptz`);
  if (after) {
    where.push(`(created_at, id) < (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<RawOrderRow & { cursorTime: string }>(
    em,
    `select ${ORDER_COLUMNS}, ${CURSOR_TIME_SQL} as "cursorTime" from orders where ${where.join(" and ")}
        order by created_at desc, id desc limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows;
}

/** One order of a tenant and mode by id, as selectOrderPage reads them: GetOrder's row; undefined when there is none. */
export async function selectOrder(
  em: EntityManager,
  listing: OrderListing,
  id: string,
): Promise<RawOrderRow | undefined> {
  const { rows } = await query<RawOrderRow>(
    em,
    `select ${ORDER_COLUMNS} from orders where id = $1 and tenant_id = $2 and is_test = $3`,
    [id, listing.tenantId, listing.test],
  );
  return rows[0];
}

/** The orders' lines and history (two queries, whatever the number of orders), as OrderViews in the rows' order. */
export async function withLinesAndHistory(
  em: EntityManager,
  tenantId: string,
  rows: readonly RawOrderRow[],
): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const platform = em.getPlatform();
  const date = (text: string) => platform.parseDate(text);
  const params = new Parameters();
  const tenant = params.bind(tenantId);
  const placeholders = rows.map((row) => params.bind(row.id)).join(", ");
  const [{ rows: lines }, { rows: history }] = await Promise.all([
    query<LineRow>(
      em,
      `select order_id as "orderId", id, sku, name, description, quantity, unit_price as "unitPrice", tax_amount as "taxAmount",
              line_total as "lineTotal", product_id as "productId", variant_id as "variantId", metadata,
              private_metadata as "privateMetadata", requested_sku as "requestedSku", tax_category as "taxCategory",
              weight_grams as "weightGrams", discount_total as "discountTotal", tax_lines as "taxLines",
              stock_location_id as "stockLocationId", reserved_quantity as "reservedQuantity",
              backordered_quantity as "backorderedQuantity"
         from order_lines where tenant_id = ${tenant} and order_id in (${placeholders}) order by order_id, position`,
      params.values,
    ),
    query<HistoryRow>(
      em,
      `select order_id as "orderId", kind, from_status as "fromStatus", to_status as "toStatus",
              from_payment_status as "fromPaymentStatus", to_payment_status as "toPaymentStatus", amount, reason,
              payment_method as "paymentMethod", gateway_reference as "gatewayReference", api_key_id as "apiKeyId",
              created_at as "createdAt"
         from order_history_entries where tenant_id = ${tenant} and order_id in (${placeholders}) order by order_id, position`,
      params.values,
    ),
  ]);
  const linesOf = groupBy(lines);
  const historyOf = groupBy(history.map((entry) => ({ ...entry, createdAt: date(entry.createdAt) })));
  // One copy of each row (a page holds up to 500), its times parsed as the ORM parses them.
  return rows.map((row) => ({
    ...row,
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
    placedAt: row.placedAt === null ? null : date(row.placedAt),
    customer: row.customerId === null ? null : { id: row.customerId },
    company: row.companyId === null ? null : { id: row.companyId },
    lines: linesOf.get(row.id) ?? [],
    history: historyOf.get(row.id) ?? [],
  }));
}

function groupBy<Row extends { orderId: string }>(rows: readonly Row[]): Map<string, Row[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const group = groups.get(row.orderId);
    if (group) group.push(row);
    else groups.set(row.orderId, [row]);
  }
  return groups;
}
