import { create } from "@bufbuild/protobuf";
import {
  OrdersService,
  RecordPaymentResponseSchema,
  type RecordPaymentRequest,
  type RecordPaymentResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { recordPayment } from "./rules/order-lifecycle.js";
import { appendPaymentChange } from "./history-entries.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/** RecordPayment: adds a payment to paid_total, never beyond the total; publishes order.paid. */
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
      appendPaymentChange(context, result.change, {
        paymentMethod: request.method,
        gatewayReference: request.gatewayReference,
      });
      return { event: "order.paid" };
    });
  }
}
