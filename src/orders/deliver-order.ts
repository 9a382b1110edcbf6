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
import { ServiceError } from "../platform/transport/service-error.js";
import { beforePlacedViolations, reportedTime } from "./client-times.js";
import { appendStatusChange } from "./history-entries.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/** DeliverOrder: fulfilled -> delivered, recording when; publishes order.delivered. */
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
      const result = changeStatus(lifecycleStateOf(order), "deliver");
      if (!result.ok) throw lifecycleError(result.failure, order, "deliver");
      const shipTime = order.fulfillment?.shipTime;
      const delivered = deliverTime ?? now;
      if (shipTime !== undefined && delivered < new Date(shipTime)) {
        throw ServiceError.invalidArgument([
          fieldViolation("deliver_time", "BEFORE_SHIPMENT", `must not be before the ship time ${shipTime}`),
        ]);
      }
      // Implied by the ship time when there is one; an imported order may have none.
      const early = beforePlacedViolations("deliver_time", deliverTime, order.placedAt ?? order.createdAt);
      if (early.length > 0) throw ServiceError.invalidArgument(early);
      order.status = result.change.to;
      order.fulfillment = { ...order.fulfillment, deliverTime: delivered.toISOString() };
      appendStatusChange(context, result.change);
      return { event: "order.delivered" };
    });
  }
}
