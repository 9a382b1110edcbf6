import { create } from "@bufbuild/protobuf";
import {
  OrdersService,
  RefundOrderResponseSchema,
  type RefundOrderRequest,
  type RefundOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { parseAmount } from "../money/money.js";
import { refund } from "./rules/order-lifecycle.js";
import { giftCardCredits, splitRefund } from "./rules/refunds.js";
import { appendPaymentChange } from "./history-entries.js";
import { creditGiftCardPayments } from "./gift-card-refunds.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

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
      const { order } = context;
      const state = lifecycleStateOf(order);
      const result = refund(state, request.amount);
      if (!result.ok) throw lifecycleError(result.failure, order, "refund");
      const split = splitRefund(state, order.payments, parseAmount(result.change.amount));
      await creditGiftCardPayments(context, giftCardCredits(split.shares), `order ${order.orderNumber} refunded`);
      order.payments = split.payments;
      order.paymentStatus = result.change.to;
      order.refundedTotal = result.change.refundedTotal;
      appendPaymentChange(context, result.change, {
        reason: request.reason,
        paymentMethod: split.sole?.method,
        gatewayReference: split.sole?.gatewayReference,
      });
      return { event: "order.refunded" };
    });
  }
}
