import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  OrdersService,
  RecordPaymentResponseSchema,
  type RecordPaymentRequest,
  type RecordPaymentResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { recordPayment } from "./rules/order-lifecycle.js";
import { PAYMENT_STATE } from "./rules/payments.js";
import type { PaymentRecord } from "./entities/json-types.js";
import { appendPaymentChange } from "./history-entries.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/**
 * RecordPayment: adds a payment to paid_total, never beyond what is neither paid nor authorized, and to the order's
 * payments as a captured one (so Order.payments lists every payment); publishes order.paid.
 */
export class RecordPayment {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: RecordPaymentRequest): Promise<RecordPaymentResponse> {
    const call = {
      method: OrdersService.method.recordPayment,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: RecordPaymentResponse["order"]) => create(RecordPaymentResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order } = context;
      const result = recordPayment(lifecycleStateOf(order), request.amount);
      if (!result.ok) throw lifecycleError(result.failure, order, "record a payment on");
      order.paymentStatus = result.change.to;
      order.paidTotal = result.change.paidTotal;
      order.payments = [...order.payments, capturedPayment(request, result.change.amount, context.now)];
      appendPaymentChange(context, result.change, {
        paymentMethod: request.method,
        gatewayReference: request.gatewayReference,
      });
      return { event: "order.paid" };
    });
  }
}

/** The payment RecordPayment took, as `orders.payments` keeps it: captured at once, for `amount`. */
function capturedPayment(request: RecordPaymentRequest, amount: string, now: Date): PaymentRecord {
  return {
    id: randomUUID(),
    method: request.method,
    gatewayReference: request.gatewayReference,
    amount,
    capturedAmount: amount,
    state: PAYMENT_STATE.captured,
    giftCardId: "",
    giftCardLastCharacters: "",
    createTime: now.toISOString(),
  };
}
