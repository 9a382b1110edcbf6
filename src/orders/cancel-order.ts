import { create } from "@bufbuild/protobuf";
import {
  CancelOrderResponseSchema,
  OrdersService,
  type CancelOrderRequest,
  type CancelOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { appendStatusChange } from "./history-entries.js";
import { applyPaymentUpdate } from "./payment-updates.js";
import { voidAuthorizations } from "./rules/payments.js";
import { lifecycleError } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/**
 * CancelOrder: placed -> canceled, keeping the reason in the history; publishes order.canceled.
 * Authorized payments are voided with it (a payment history entry each, before the status entry the event
 * carries). Captured payments stay recorded: refunding them is a separate, explicit call.
 */
export class CancelOrder {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: CancelOrderRequest): Promise<CancelOrderResponse> {
    const call = {
      method: OrdersService.method.cancelOrder,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: CancelOrderResponse["order"]) => create(CancelOrderResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order } = context;
      const state = lifecycleStateOf(order);
      const result = changeStatus(state, "cancel");
      if (!result.ok) throw lifecycleError(result.failure, order, "cancel");
      for (const update of voidAuthorizations(state, order.payments))
        applyPaymentUpdate(context, update, request.reason);
      order.status = result.change.to;
      appendStatusChange(context, result.change, request.reason);
      return { event: "order.canceled" };
    });
  }
}
