import type { EntityManager } from "@mikro-orm/postgresql";
import type { NewOrderRow } from "./insert-order.js";
import type { HistoryEntryView } from "../history-mapper.js";
import type { OrderLineView, OrderView } from "../order-mapper.js";

/**
 * Orders read as plain rows, for ListOrders: hydrating up to 500 Order entities with their lines
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
].join(", ");

/** An `orders` row selected with ORDER_COLUMNS, as the driver returns it: times are text. */
export type RawOrderRow = Omit<OrderRow, "createdAt" | "updatedAt" | "placedAt"> & {
  createdAt: string;
  updatedAt: string;
  placedAt: string | null;
};

/** An `orders` row selected with ORDER_COLUMNS: the columns a new order is written with, less the tenant and request ids. */
export type OrderRow = Omit<NewOrderRow, "tenantId" | "requestId"> & { version: number; eventSequence: number };

type LineRow = OrderLineView & { orderId: string };
type HistoryRow = Omit<HistoryEntryView, "createdAt"> & { orderId: string; createdAt: string };

/** The orders' lines and history (two queries, whatever the number of orders), as OrderViews in the rows' order. */
export async function withLinesAndHistory(
  em: EntityManager,
  tenantId: string,
  rows: readonly RawOrderRow[],
): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const platform = em.getPlatform();
  const date = (text: string) => platform.parseDate(text);
  const orders = rows.map((row) => ({
    ...row,
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
    placedAt: row.placedAt === null ? null : date(row.placedAt),
  }));
  const connection = em.getConnection("read");
  const ids = orders.map((order) => order.id);
  const placeholders = ids.map(() => "?").join(", ");
  const [lines, history] = await Promise.all([
    connection.execute<LineRow[]>(
      `select order_id as "orderId", id, sku, name, description, quantity, unit_price as "unitPrice", tax_amount as "taxAmount",
              line_total as "lineTotal", product_id as "productId", variant_id as "variantId"
         from order_lines where tenant_id = ? and order_id in (${placeholders}) order by order_id, position`,
      [tenantId, ...ids],
      "all",
    ),
    connection.execute<HistoryRow[]>(
      `select order_id as "orderId", kind, from_status as "fromStatus", to_status as "toStatus",
              from_payment_status as "fromPaymentStatus", to_payment_status as "toPaymentStatus", amount, reason,
              payment_method as "paymentMethod", gateway_reference as "gatewayReference", api_key_id as "apiKeyId",
              created_at as "createdAt"
         from order_history_entries where tenant_id = ? and order_id in (${placeholders}) order by order_id, position`,
      [tenantId, ...ids],
      "all",
    ),
  ]);
  const linesOf = groupBy(lines);
  const historyOf = groupBy(history.map((entry) => ({ ...entry, createdAt: date(entry.createdAt) })));
  return orders.map((order) => ({
    ...order,
    customer: { id: order.customerId },
    lines: linesOf.get(order.id) ?? [],
    history: historyOf.get(order.id) ?? [],
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
