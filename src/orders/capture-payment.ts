import { create } from "@bufbuild/protobuf";
import {
  CapturePaymentResponseSchema,
  OrdersService,
  type CapturePaymentRequest,
  type CapturePaymentResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { capturePayment } from "./rules/payments.js";
import { applyPaymentUpdate } from "./payment-updates.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/**
 * CapturePayment: takes all or part of an authorized payment (the rest of the authorization is released); the
 * captured amount counts in paid_total. Publishes order.paid, whose history entry names the payment's method and
 * gateway reference.
 */
export class CapturePayment {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: CapturePaymentRequest): Promise<CapturePaymentResponse> {
    const call = {
      method: OrdersService.method.capturePayment,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: CapturePaymentResponse["order"]) => create(CapturePaymentResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order } = context;
      const result = capturePayment(lifecycleStateOf(order), order.payments, request.paymentId, request.amount);
      if (!result.ok) throw lifecycleError(result.failure, order, "capture a payment of");
      applyPaymentUpdate(context, result.change);
      return { event: "order.paid" };
    });
  }
}
