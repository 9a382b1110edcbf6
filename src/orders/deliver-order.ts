import { create } from "@bufbuild/protobuf";
import {
  DeliverOrderResponseSchema,
  OrdersService,
  type DeliverOrderRequest,
  type DeliverOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { fieldViolation } from "../money/field-violation.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { fulfilmentFacts } from "./rules/fulfillments.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { beforePlacedViolations, reportedTime } from "./client-times.js";
import { appendStatusChange } from "./history-entries.js";
import { orderFulfillmentToMessage } from "./history-mapper.js";
import { fulfillmentAlreadyDelivered, fulfillmentNotFound, lifecycleError, nothingToDeliver } from "./order-errors.js";
import { fulfilmentStateOf, lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/**
 * DeliverOrder: records the delivery of one fulfillment, or of every one not yet delivered; the order becomes
 * delivered once it is fulfilled and every fulfillment is delivered. An order fulfilled before fulfillments were kept
 * has none: the whole-order call delivers it as it always did. Publishes order.delivered with the fulfillments.
 */
export class DeliverOrder {
  constructor(
    private readonly mutations: OrderMutations,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  execute(principal: Principal, request: DeliverOrderRequest): Promise<DeliverOrderResponse> {
    const { date: deliverTime, violations } = reportedTime("deliver_time", request.deliverTime, this.clock());
    if (violations.length > 0) throw ServiceError.invalidArgument(violations);

    const call = {
      method: OrdersService.method.deliverOrder,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: DeliverOrderResponse["order"]) => create(DeliverOrderResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order, now } = context;
      if (!changeStatus(lifecycleStateOf(order), "deliver").ok) {
        throw lifecycleError({ kind: "invalid_transition" }, order, "deliver");
      }
      const chosen = order.fulfillments.filter((fulfillment) =>
        request.fulfillmentId === "" ? fulfillment.deliverTime === undefined : fulfillment.id === request.fulfillmentId,
      );
      if (request.fulfillmentId !== "") {
        const [fulfillment] = chosen;
        if (!fulfillment) throw fulfillmentNotFound(order.id, request.fulfillmentId);
        if (fulfillment.deliverTime !== undefined) throw fulfillmentAlreadyDelivered(order.id, fulfillment.id);
      } else if (chosen.length === 0 && (order.fulfillments.length > 0 || order.status !== "fulfilled")) {
        throw nothingToDeliver(order.id);
      }
      const delivered = deliverTime ?? now;
      const shipTimes = [...chosen.map((f) => f.shipTime), order.fulfillment?.shipTime].filter((t) => t !== undefined);
      const latestShip = shipTimes.map((time) => new Date(time)).sort((a, b) => b.getTime() - a.getTime())[0];
      if (latestShip !== undefined && delivered < latestShip) {
        throw ServiceError.invalidArgument([
          fieldViolation(
            "deliver_time",
            "BEFORE_SHIPMENT",
            `must not be before the ship time ${latestShip.toISOString()}`,
          ),
        ]);
      }
      // Implied by the ship time when there is one; an imported order may have none.
      const early = beforePlacedViolations("deliver_time", deliverTime, order.placedAt ?? order.createdAt);
      if (early.length > 0) throw ServiceError.invalidArgument(early);
      const ids = new Set(chosen.map((fulfillment) => fulfillment.id));
      const fulfillments = order.fulfillments.map((fulfillment) =>
        ids.has(fulfillment.id) ? { ...fulfillment, deliverTime: delivered.toISOString() } : fulfillment,
      );
      const facts = fulfilmentFacts({ ...fulfilmentStateOf(order), fulfillments });
      const result = changeStatus(lifecycleStateOf(order), "deliver", facts);
      if (!result.ok) throw lifecycleError(result.failure, order, "deliver");
      order.status = result.change.to;
      order.fulfillments = fulfillments;
      if (result.change.to === "delivered") {
        order.fulfillment = { ...order.fulfillment, deliverTime: delivered.toISOString() };
      }
      appendStatusChange(context, result.change);
      const deliveredNow = fulfillments.filter((fulfillment) => ids.has(fulfillment.id));
      return { event: "order.delivered", details: { fulfillments: deliveredNow.map(orderFulfillmentToMessage) } };
    });
  }
}
