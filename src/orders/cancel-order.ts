import { create } from "@bufbuild/protobuf";
import {
  CancelOrderResponseSchema,
  OrdersService,
  type CancelOrderRequest,
  type CancelOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { releaseRedemptions } from "../promotions/public.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { appendStatusChange } from "./history-entries.js";
import { applyPaymentUpdate } from "./payment-updates.js";
import { voidAuthorizations } from "./rules/payments.js";
import { giveBackGiftCards } from "./rules/refunds.js";
import { creditGiftCardPayments } from "./gift-card-refunds.js";
import { lifecycleError } from "./order-errors.js";
import { releaseOrderStock } from "./order-stock.js";
import { lifecycleStateOf, statusFactsOf, type OrderMutations } from "./order-mutation.js";

/**
 * CancelOrder: placed -> canceled, keeping the reason in the history; publishes order.canceled. In its transaction
 * it gives back what the order took: authorized payments are voided, every gift card gets back what the order still
 * holds of it (a refund, rules/refunds.ts), and the promotions the order used count the use no more. A payment
 * history entry each, before the status entry the event carries. Other captured payments stay recorded: refunding
 * them is a separate, explicit call. The order row's lock and the status rule make it happen once however often
 * the cancel is sent, and both give-backs are idempotent besides. The order's stock reservations are released.
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
    return this.mutations.run(principal, call, async (context) => {
      const { order, tx } = context;
      const result = changeStatus(lifecycleStateOf(order), "cancel", statusFactsOf(order));
      if (!result.ok) throw lifecycleError(result.failure, order, "cancel");
      for (const update of voidAuthorizations(lifecycleStateOf(order), order.payments))
        applyPaymentUpdate(context, update, request.reason);
      const giftCards = giveBackGiftCards(lifecycleStateOf(order), order.payments);
      for (const update of giftCards) applyPaymentUpdate(context, update, request.reason);
      // A test order never counted a use nor debited a card. Promotions before gift cards: the order CreateOrder
      // locks them in, so a cancel and a new order sharing both never deadlock.
      if (!order.isTest) await releaseRedemptions(tx, principal.tenantId, order.id);
      const credits = giftCards.map(({ payment, change }) => ({
        giftCardId: payment.giftCardId,
        amount: change.amount,
      }));
      await creditGiftCardPayments(context, credits, `order ${order.orderNumber} canceled`);
      // Stock last, as CreateOrder locks it after promotions and gift cards.
      await releaseOrderStock(context);
      order.status = result.change.to;
      order.hold = null;
      appendStatusChange(context, result.change, request.reason);
      return { event: "order.canceled" };
    });
  }
}
