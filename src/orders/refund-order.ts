import { create } from "@bufbuild/protobuf";
import {
  OrdersService,
  RefundOrderResponseSchema,
  type RefundOrderRequest,
  type RefundOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { refund } from "./rules/order-lifecycle.js";
import { appendPaymentChange } from "./history-entries.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/**
 * RefundOrder: adds a refund to refunded_total, by default everything paid and not yet refunded,
 * never beyond that; publishes order.refunded.
 */
export class RefundOrder {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: RefundOrderRequest): Promise<RefundOrderResponse> {
    const call = {
      method: OrdersService.method.refundOrder,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: RefundOrderResponse["order"]) => create(RefundOrderResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order } = context;
      const result = refund(lifecycleStateOf(order), request.amount);
      if (!result.ok) throw lifecycleError(result.failure, order, "refund");
      order.paymentStatus = result.change.to;
      order.refundedTotal = result.change.refundedTotal;
      appendPaymentChange(context, result.change, { reason: request.reason });
      return { event: "order.refunded" };
    });
  }
}
