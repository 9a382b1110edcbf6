import { create } from "@bufbuild/protobuf";
import {
  OrdersService,
  ReceiveReturnResponseSchema,
  type ReceiveReturnRequest,
  type ReceiveReturnResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { MoneyDecimal, ZERO, formatAmount, parseAmount } from "../money/money.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { ReturnRecord } from "./entities/json-types.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { fulfilmentFacts } from "./rules/fulfillments.js";
import { receiptViolations } from "./rules/returns.js";
import { appendStatusChange } from "./history-entries.js";
import { orderReturnToMessage } from "./history-mapper.js";
import { issueRefund } from "./issue-refund.js";
import { lifecycleError, returnAlreadyReceived, returnNotFound } from "./order-errors.js";
import { restockOrderStock } from "./order-stock.js";
import { fulfilmentStateOf, lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/**
 * ReceiveReturn: the units of a requested return are back (restocked per line or not); the return's refund_amount is
 * refunded, at most what was paid and not yet refunded, through the refund rules (issue-refund.ts), and the order
 * becomes returned once every unit is back, else partially_returned. Publishes order.return_received.
 */
export class ReceiveReturn {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: ReceiveReturnRequest): Promise<ReceiveReturnResponse> {
    const call = {
      method: OrdersService.method.receiveReturn,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: ReceiveReturnResponse["order"]) => create(ReceiveReturnResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, async (context) => {
      const { order, now } = context;
      const requested = order.returns.find((item) => item.id === request.returnId);
      if (!requested) throw returnNotFound(order.id, request.returnId);
      if (requested.state === "RETURN_STATE_RECEIVED") throw returnAlreadyReceived(order.id, requested.id);
      const lines = request.lines.map(({ lineId, restock }) => ({ lineId, restock }));
      const violations = receiptViolations(requested, lines);
      if (violations.length > 0) throw ServiceError.invalidArgument(violations);
      const restocked = new Set(lines.filter((line) => line.restock).map((line) => line.lineId));
      const received: ReturnRecord = {
        ...requested,
        state: "RETURN_STATE_RECEIVED",
        lines: requested.lines.map((line) => ({ ...line, restock: restocked.has(line.lineId) })),
        receiveTime: now.toISOString(),
      };
      const returns = order.returns.map((item) => (item.id === received.id ? received : item));
      const state = lifecycleStateOf(order);
      const result = changeStatus(state, "receive_return", fulfilmentFacts({ ...fulfilmentStateOf(order), returns }));
      if (!result.ok) throw lifecycleError(result.failure, order, "receive a return of");
      // What the return is worth, at most what the buyer paid and did not get back yet.
      const refundable = parseAmount(state.paidTotal).minus(parseAmount(state.refundedTotal));
      const amount = MoneyDecimal.min(parseAmount(requested.refundAmount), MoneyDecimal.max(ZERO, refundable));
      const reason = requested.reason ? `return: ${requested.reason}` : "return";
      received.refundedAmount = amount.greaterThan(ZERO)
        ? await issueRefund(context, formatAmount(amount, state.minorUnits), reason, "refund a return of")
        : formatAmount(ZERO, state.minorUnits);
      // Restocked units of tracked lines are on hand again where they shipped from (order-stock.ts).
      await restockOrderStock(
        context,
        received.lines.filter((line) => line.restock),
      );
      order.returns = returns;
      order.status = result.change.to;
      appendStatusChange(context, result.change, requested.reason);
      const format = (value: string) => formatAmount(parseAmount(value), state.minorUnits);
      return { event: "order.return_received", details: { orderReturn: orderReturnToMessage(received, format) } };
    });
  }
}
