import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import {
  DeliverOrderResponseSchema,
  OrdersService,
  type DeliverOrderRequest,
  type DeliverOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../auth/principal.js";
import { fieldViolation } from "../domain/field-violation.js";
import { changeStatus } from "../domain/order-lifecycle.js";
import { ServiceError } from "../service-error.js";
import { futureTimeViolations } from "./client-times.js";
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
    const deliverTime = request.deliverTime && timestampDate(request.deliverTime);
    const violations = futureTimeViolations("deliver_time", deliverTime, this.clock());
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
      order.status = result.change.to;
      order.fulfillment = { ...order.fulfillment, deliverTime: delivered.toISOString() };
      appendStatusChange(context, result.change);
      return { event: "order.delivered" };
    });
  }
}
