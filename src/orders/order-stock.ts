import { Channel } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import { releaseStock, restockStock, shipStock, type LineAllocation, type LineDemand } from "../inventory/public.js";
import type { Principal } from "../platform/auth/principal.js";
import { outOfStockToShip } from "./order-errors.js";
import type { OrderLine } from "./entities/order-line.js";
import type { NewOrderLineRow } from "./queries/insert-order.js";
import type { MutationContext } from "./order-mutation.js";
import { isTestCaller } from "./order-mode.js";
import type { PreparedOrder } from "./order-preparation.js";

/**
 * An order's stock (issue 14 §1) as orders see it: which lines reserve, what a line holds, and the calls into
 * inventory/public.ts that placing, canceling, shipping and returning make in the order's own transaction. Test
 * orders never reserve nor move stock (inventory is shared by live and test keys). Imports never reserve (their
 * goods were promised elsewhere), but units of an imported order shipped or restocked here move this stock.
 */

/** The catalog variants of an order's lines that may reserve stock; none for a test order or an import. */
export function catalogVariantIds(
  principal: Principal,
  request: Pick<CreateOrderRequest, "channel">,
  prepared: Pick<PreparedOrder, "lines">,
): string[] {
  if (isTestCaller(principal) || request.channel === Channel.IMPORT) return [];
  return [...new Set(prepared.lines.flatMap((line) => (line.variantId ? [line.variantId] : [])))];
}

/** What each line of `variantIds` asks of stock, named by its path in the request. */
export function stockDemands(
  request: Pick<CreateOrderRequest, "items">,
  prepared: Pick<PreparedOrder, "lines">,
  variantIds: readonly string[],
): LineDemand[] {
  const reserving = new Set(variantIds);
  return prepared.lines.flatMap((line, position) =>
    line.variantId && reserving.has(line.variantId)
      ? [{ path: `items[${position}]`, variantId: line.variantId, quantity: request.items[position]?.quantity ?? 1 }]
      : [],
  );
}

/** The order's new lines with what each reserved (allocations are named by path, `items[position]`). */
export function withReservations(
  lines: readonly NewOrderLineRow[],
  allocations: readonly LineAllocation[],
): readonly NewOrderLineRow[] {
  if (allocations.length === 0) return lines;
  const byPath = new Map(allocations.map((allocation) => [allocation.path, allocation]));
  return lines.map((line) => {
    const allocation = byPath.get(`items[${line.position}]`);
    return {
      ...line,
      stockLocationId: allocation?.stockLocationId ?? null,
      reservedQuantity: allocation?.reserved ?? 0,
      backorderedQuantity: allocation?.backordered ?? 0,
    };
  });
}

/** Gives back every reservation of a canceled order; its lines hold nothing any more. */
export async function releaseOrderStock(context: MutationContext): Promise<void> {
  const { tx, order, principal } = context;
  const lines = order.lines.getItems();
  await releaseStock(
    tx,
    principal.tenantId,
    lines.flatMap((line) =>
      line.variantId && line.stockLocationId && line.reservedQuantity > 0
        ? [{ variantId: line.variantId, stockLocationId: line.stockLocationId, quantity: line.reservedQuantity }]
        : [],
    ),
  );
  for (const line of lines) {
    line.reservedQuantity = 0;
    line.backorderedQuantity = 0;
  }
}

/**
 * Ships units of the order's lines from `from` (empty: where each line is reserved): the lines' reservations go
 * first, on_hand goes down (inventory/rules/shipments.ts). OUT_OF_STOCK names each short line by `pathOf`.
 */
export async function shipOrderStock(
  context: MutationContext,
  units: readonly { lineId: string; quantity: number }[],
  from: string,
  pathOf: (line: OrderLine) => string,
): Promise<void> {
  const { tx, order, principal } = context;
  if (order.isTest) return;
  const lines = new Map(order.lines.getItems().map((line) => [line.id, line]));
  const shipped = units.flatMap(({ lineId, quantity }) => {
    const line = lines.get(lineId);
    return line?.variantId ? [{ line, variantId: line.variantId, quantity }] : [];
  });
  const outcome = await shipStock(
    tx,
    principal.tenantId,
    { id: order.id, reason: `order ${order.orderNumber} shipped` },
    shipped.map(({ line, variantId, quantity }) => ({
      path: pathOf(line),
      variantId,
      quantity,
      reservedAt: line.stockLocationId ?? null,
      reserved: line.reservedQuantity,
      backordered: line.backorderedQuantity,
    })),
    from === "" ? null : from,
  );
  if (!outcome.ok) throw outOfStockToShip(outcome.shortPaths, from);
  outcome.lines.forEach((taken, index) => {
    const entry = shipped[index];
    if (!entry) return;
    entry.line.reservedQuantity -= taken.reservedTaken;
    entry.line.backorderedQuantity -= taken.backorderedTaken;
  });
}

/** Puts restocked returned units back at the stock location each line shipped from (the last shipment of it). */
export async function restockOrderStock(
  context: MutationContext,
  units: readonly { lineId: string; quantity: number }[],
): Promise<void> {
  const { tx, order, principal } = context;
  if (order.isTest) return;
  const lines = new Map(order.lines.getItems().map((line) => [line.id, line]));
  const shippedFrom = (lineId: string) =>
    order.fulfillments.findLast((fulfillment) => fulfillment.lines.some((line) => line.lineId === lineId))
      ?.stockLocationId;
  await restockStock(
    tx,
    principal.tenantId,
    { id: order.id, reason: `order ${order.orderNumber} returned` },
    units.flatMap(({ lineId, quantity }) => {
      const line = lines.get(lineId);
      const location = shippedFrom(lineId) || line?.stockLocationId || order.preferredStockLocationId;
      return line?.variantId && location ? [{ variantId: line.variantId, stockLocationId: location, quantity }] : [];
    }),
  );
}
