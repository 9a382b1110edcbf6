import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  FulfillOrderResponseSchema,
  OrdersService,
  type FulfillOrderRequest,
  type FulfillOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import { resolveStoreReferences, storeResourceNotFound } from "../store/public.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { fulfilmentFacts, unitsToFulfil } from "./rules/fulfillments.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { beforePlacedViolations, reportedTime } from "./client-times.js";
import type { OrderFulfillmentRecord } from "./entities/json-types.js";
import { appendStatusChange } from "./history-entries.js";
import { fulfillmentToRecord, orderFulfillmentToMessage } from "./history-mapper.js";
import { lifecycleError, orderOnHold } from "./order-errors.js";
import { shipOrderStock } from "./order-stock.js";
import { fulfilmentStateOf, lifecycleStateOf, type MutationContext, type OrderMutations } from "./order-mutation.js";

/**
 * FulfillOrder: ships the units the request names, or every unit left, as one fulfillment (Order.fulfillments):
 * placed or partially_fulfilled -> fulfilled once every unit is shipped, else partially_fulfilled. The first shipment
 * also fills Order.fulfillment, as the whole-order call always did. Publishes order.fulfilled with the fulfillment.
 */
export class FulfillOrder {
  constructor(
    private readonly mutations: OrderMutations,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  execute(principal: Principal, request: FulfillOrderRequest): Promise<FulfillOrderResponse> {
    const { date: shipTime, violations } = reportedTime("ship_time", request.shipTime, this.clock());
    if (violations.length > 0) throw ServiceError.invalidArgument(violations);

    const call = {
      method: OrdersService.method.fulfillOrder,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: FulfillOrderResponse["order"]) => create(FulfillOrderResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, async (context) => {
      const { order, now } = context;
      if (order.status === "on_hold") throw orderOnHold(order);
      const before = fulfilmentStateOf(order);
      // The status first: an order that cannot be fulfilled at all says so, whatever lines the request names.
      if (!changeStatus(lifecycleStateOf(order), "fulfill").ok) {
        throw lifecycleError({ kind: "invalid_transition" }, order, "fulfill");
      }
      const units = unitsToFulfil(
        before,
        request.lines.map(({ lineId, quantity }) => ({ lineId, quantity })),
      );
      if (!units.ok) throw ServiceError.invalidArgument(units.violations);
      const early = beforePlacedViolations("ship_time", shipTime, order.placedAt ?? order.createdAt);
      if (early.length > 0) throw ServiceError.invalidArgument(early);
      const stockLocationId = await stockLocationOf(context, request.stockLocationId);
      // Tracked lines' units leave that location's stock, their reservations first (order-stock.ts).
      await shipOrderStock(context, units.lines, stockLocationId, (line) => {
        const named = request.lines.findIndex((entry) => entry.lineId === line.id);
        return named >= 0 ? `lines[${named}]` : `items[${line.position}]`;
      });
      const fulfillment: OrderFulfillmentRecord = {
        id: randomUUID(),
        lines: units.lines,
        stockLocationId,
        // The shipping method chosen at checkout, unless the shipment says otherwise.
        carrier: request.carrier || order.shippingLine?.carrier || "",
        service: request.service || order.shippingLine?.service || "",
        trackingNumbers: [request.trackingNumber, ...request.trackingNumbers].filter((number) => number !== ""),
        shipTime: (shipTime ?? now).toISOString(),
      };
      const fulfillments = [...order.fulfillments, fulfillment];
      const result = changeStatus(lifecycleStateOf(order), "fulfill", fulfilmentFacts({ ...before, fulfillments }));
      if (!result.ok) throw lifecycleError(result.failure, order, "fulfill");
      order.status = result.change.to;
      order.fulfillments = fulfillments;
      order.fulfillment ??= fulfillmentToRecord({
        carrier: fulfillment.carrier,
        service: fulfillment.service,
        trackingNumber: fulfillment.trackingNumbers[0] ?? "",
        shipTime: shipTime ?? now,
      });
      appendStatusChange(context, result.change);
      return { event: "order.fulfilled", details: { fulfillment: orderFulfillmentToMessage(fulfillment) } };
    });
  }
}

/** The stock location a shipment leaves from: the one named (an active one of the tenant's), else the order's. */
async function stockLocationOf(context: MutationContext, requested: string): Promise<string> {
  const { tx, order, principal } = context;
  if (requested === "") return order.preferredStockLocationId ?? "";
  const store = await resolveStoreReferences(tx, principal.tenantId, { stockLocationId: requested });
  if (!store.stockLocation) throw storeResourceNotFound("stock_location", requested);
  if (!store.stockLocation.active) {
    throw ServiceError.invalidArgument([
      fieldViolation(
        "stock_location_id",
        "STOCK_LOCATION_INACTIVE",
        `stock location ${store.stockLocation.name} is not active`,
      ),
    ]);
  }
  return store.stockLocation.id;
}
