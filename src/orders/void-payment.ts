import { create } from "@bufbuild/protobuf";
import {
  OrdersService,
  VoidPaymentResponseSchema,
  type VoidPaymentRequest,
  type VoidPaymentResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { voidPayment } from "./rules/payments.js";
import { applyPaymentUpdate } from "./payment-updates.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/**
 * VoidPayment: releases an authorized payment without taking money. Publishes order.payment_voided, whose history
 * entry carries the amount released, the payment's method and gateway reference, and the reason.
 */
export class VoidPayment {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: VoidPaymentRequest): Promise<VoidPaymentResponse> {
    const call = {
      method: OrdersService.method.voidPayment,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: VoidPaymentResponse["order"]) => create(VoidPaymentResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order } = context;
      const result = voidPayment(lifecycleStateOf(order), order.payments, request.paymentId);
      if (!result.ok) throw lifecycleError(result.failure, order, "void a payment of");
      applyPaymentUpdate(context, result.change, request.reason);
      return { event: "order.payment_voided" };
    });
  }
}
