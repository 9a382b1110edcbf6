import { create } from "@bufbuild/protobuf";
import {
  HoldOrderResponseSchema,
  OrdersService,
  type HoldOrderRequest,
  type HoldOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { newHold } from "./rules/holds.js";
import { appendStatusChange } from "./history-entries.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";
import { timestampViolations } from "./timestamps.js";
import { EARLIEST_ORDER_TIME } from "./client-times.js";
import { timestampDate } from "@bufbuild/protobuf/wkt";

/** HoldOrder: placed or partially_fulfilled -> on_hold with Order.hold (reason, optional hold_until); publishes order.held. */
export class HoldOrder {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: HoldOrderRequest): Promise<HoldOrderResponse> {
    const invalid = request.holdUntil ? timestampViolations("hold_until", request.holdUntil, EARLIEST_ORDER_TIME) : [];
    if (invalid.length > 0) throw ServiceError.invalidArgument(invalid);
    const holdUntil = request.holdUntil ? timestampDate(request.holdUntil) : undefined;
    const call = {
      method: OrdersService.method.holdOrder,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: HoldOrderResponse["order"]) => create(HoldOrderResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order, now } = context;
      const result = changeStatus(lifecycleStateOf(order), "hold");
      if (!result.ok) throw lifecycleError(result.failure, order, "hold");
      const hold = newHold(request.reason, holdUntil, now);
      if (!hold.ok) throw ServiceError.invalidArgument(hold.violations);
      order.status = result.change.to;
      order.hold = hold.hold;
      appendStatusChange(context, result.change, request.reason);
      return { event: "order.held" };
    });
  }
}
