import { create } from "@bufbuild/protobuf";
import {
  OrdersService,
  RefundOrderResponseSchema,
  type RefundOrderRequest,
  type RefundOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import type { OrderMutations } from "./order-mutation.js";
import { issueRefund } from "./issue-refund.js";

/**
 * RefundOrder: adds a refund to refunded_total, by default everything paid and not yet refunded,
 * never beyond that; publishes order.refunded. The refund goes to the payments that are not gift cards
 * first and only beyond them back to the gift cards, credited in the same transaction (rules/refunds.ts).
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
    return this.mutations.run(principal, call, async (context) => {
      await issueRefund(context, request.amount, request.reason);
      return { event: "order.refunded" };
    });
  }
}
