import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  OrdersService,
  RequestReturnResponseSchema,
  type RequestReturnRequest,
  type RequestReturnResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ZERO, formatAmount, parseAmount } from "../money/money.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { Order } from "./entities/order.js";
import type { ReturnRecord, TaxLineRecord } from "./entities/json-types.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { returnedQuantities, unitsToReturn } from "./rules/returns.js";
import { returnRefund, type RefundableOrder } from "./rules/return-refunds.js";
import { appendStatusChange } from "./history-entries.js";
import { orderReturnToMessage } from "./history-mapper.js";
import { lifecycleError } from "./order-errors.js";
import { fulfilmentStateOf, lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/**
 * RequestReturn: adds a return of shipped units to Order.returns with what it will refund (rules/return-refunds.ts),
 * leaving the status; publishes order.return_requested. ReceiveReturn takes the units in and refunds.
 */
export class RequestReturn {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: RequestReturnRequest): Promise<RequestReturnResponse> {
    const call = {
      method: OrdersService.method.requestReturn,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: RequestReturnResponse["order"]) => create(RequestReturnResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order, now } = context;
      const result = changeStatus(lifecycleStateOf(order), "request_return");
      if (!result.ok) throw lifecycleError(result.failure, order, "request a return of");
      const units = request.lines.map(({ lineId, quantity }) => ({ lineId, quantity }));
      const violations = unitsToReturn(fulfilmentStateOf(order), order.returns, units);
      if (violations.length > 0) throw ServiceError.invalidArgument(violations);
      const shippingRefunded = order.returns.some((earlier) => earlier.refundShipping);
      const refund = returnRefund(
        refundableOrderOf(order),
        { returned: returnedQuantities(order.returns), shippingRefunded },
        units,
        request.refundShipping,
      );
      const record: ReturnRecord = {
        id: randomUUID(),
        state: "RETURN_STATE_REQUESTED",
        lines: refund.lines.map((line) => ({ ...line, restock: false })),
        reason: request.reason,
        refundShipping: request.refundShipping && !shippingRefunded,
        shippingAmount: refund.shippingAmount,
        refundAmount: refund.total,
        requestTime: now.toISOString(),
      };
      order.returns = [...order.returns, record];
      appendStatusChange(context, result.change, request.reason);
      const minorUnits = lifecycleStateOf(order).minorUnits;
      const amount = (value: string) => formatAmount(parseAmount(value), minorUnits);
      return { event: "order.return_requested", details: { orderReturn: orderReturnToMessage(record, amount) } };
    });
  }
}

/** Tax added on top of a price: the tax lines not included in it. */
function additionalTaxOf(taxLines: readonly TaxLineRecord[]) {
  return taxLines.filter((tax) => !tax.included).reduce((sum, tax) => sum.plus(parseAmount(tax.amount)), ZERO);
}

/** What the refund rules read of an order entity (lines loaded): line values and what the buyer paid for shipping. */
export function refundableOrderOf(order: Order): RefundableOrder {
  const { minorUnits } = lifecycleStateOf(order);
  const format = (value: ReturnType<typeof parseAmount>) => formatAmount(value, minorUnits);
  const shippingDiscount = order.adjustments.reduce((sum, item) => sum.plus(parseAmount(item.shippingAmount)), ZERO);
  const shippingTax = additionalTaxOf(order.shippingLine?.taxLines ?? []);
  return {
    minorUnits,
    total: order.total,
    shippingPart: format(parseAmount(order.shippingTotal).minus(shippingDiscount).plus(shippingTax)),
    lines: order.lines.getItems().map((line) => ({
      id: line.id,
      quantity: line.quantity,
      lineTotal: line.lineTotal,
      discountTotal: line.discountTotal,
      // The service's tax lines, or the request's tax_amount (added on top) when the tax is the client's.
      additionalTax: format(
        order.taxSource === "server" ? additionalTaxOf(line.taxLines) : parseAmount(line.taxAmount ?? "0"),
      ),
    })),
  };
}
