import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  CreateOrderRequestSchema,
  OrdersService,
  CreateOrderResponseSchema,
  type CreateOrderRequest,
  type CreateOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyRecordRow, idempotently } from "../platform/idempotency/idempotency.js";
import { isUniqueViolation } from "../platform/database/errors.js";
import { allocateOrderNumber, ORDER_NUMBER_CONSTRAINT } from "./queries/order-numbers.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { inSpan } from "../platform/tracing.js";
import { assertEncodable } from "./response-encoding.js";
import { unencodableTimestamps } from "./timestamps.js";
import { orderToMessage, warningMessages } from "./order-mapper.js";
import { orderCreatedEvent } from "./events.js";
import { insertNewOrder, type NewOrderRows } from "./queries/insert-order.js";
import { isRefusal } from "../platform/database/refusal.js";
import { PROMOTION_LIMITED } from "../promotions/public.js";
import { assertMayImport } from "./rules/order-import.js";
import { newOrderRows, prepareOrder, repriceWithLocks } from "./order-preparation.js";
import { redeemsCodes } from "./rules/checkout-request.js";
import { isTestCaller, orderIdempotencyKey } from "./order-mode.js";
import { checkoutLookups } from "./order-checkout.js";
import { redeemCodes, redeemsWithoutLimits, unlimitedUses } from "./order-redemptions.js";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertPlaceableCartRequest, placeCart, type CartOrderWrite } from "./place-cart.js";
import { orderNumberTaken } from "./order-errors.js";

/** A generated number can collide only with an earlier override; a few retries always find a free one. */
const MAX_NUMBER_ATTEMPTS = 5;

export interface CreateOrderDeps {
  orm: MikroORM;
  /** Called after each commit so the in-process relay publishes without waiting for its poll. */
  onOrderCommitted: () => void;
  now?: () => Date;
}

/**
 * CreateOrder: validate, price and check the customer (order-preparation.ts, shared with
 * PreviewOrder), then write the order, its lines, its outbox event and its idempotency record in
 * ONE transaction (a single statement, see queries/insert-order.ts).
 */
export class CreateOrder {
  constructor(private readonly deps: CreateOrderDeps) {}

  async execute(principal: Principal, request: CreateOrderRequest): Promise<CreateOrderResponse> {
    assertMayImport(principal, request);
    // Before the idempotency fingerprint (JSON) reads them: times every encoding carries.
    const times = unencodableTimestamps(CreateOrderRequestSchema, request);
    if (times.length > 0) throw ServiceError.invalidArgument(times);
    const em = this.deps.orm.em.fork();
    // A test key's request ids are its own: never a replay of a live order (order-mode.ts).
    const key = orderIdempotencyKey(principal, OrdersService.method.createOrder, request);
    if (request.cartId) {
      assertPlaceableCartRequest(request);
      return idempotently(em, key, CreateOrderResponseSchema, () =>
        placeCart({
          ...this.deps,
          principal,
          request,
          em,
          key,
          write: (input) => this.insert(input.em, input, input.afterInsert),
        }),
      );
    }
    return idempotently(em, key, CreateOrderResponseSchema, async () => {
      // Validation, the lookups and pricing (orders.price within it), as one span of the call's trace.
      const prepared = await inSpan("orders.prepare", () =>
        prepareOrder(em, principal, request, this.deps.now?.() ?? new Date(), {
          allocateNumber: !request.orderNumber,
        }),
      );

      for (let attempt = 1; ; attempt++) {
        const allocated = attempt === 1 ? prepared.allocatedNumber : undefined;
        const orderNumber = request.orderNumber || allocated || (await allocateOrderNumber(em, principal.tenantId));
        try {
          const response = await this.write({ em, principal, request, prepared, orderNumber, key });
          this.deps.onOrderCommitted();
          return response;
        } catch (error) {
          if (!isUniqueViolation(error, ORDER_NUMBER_CONSTRAINT)) throw error;
          if (request.orderNumber) throw orderNumberTaken(orderNumber);
          if (attempt >= MAX_NUMBER_ATTEMPTS) throw error;
        }
      }
    });
  }

  /**
   * Most orders are one statement (queries/insert-order.ts). An order with coupon codes or gift cards is a
   * transaction instead: the promotions' and cards' rows are locked and the order priced again with them, then the
   * order, the promotions' uses and the cards' debits are written together, so a usage limit is never exceeded and
   * a card never overdrawn however many orders race for it. A test order never counts uses nor debits cards.
   * Codes of promotions without any limit, and no gift card, need neither the locks nor the second pricing: the
   * order and its uses are one statement too (writeUnlimited), and such orders wait for one another only while that
   * statement updates the promotion's row (the bench's checkout row, docs/performance.md).
   */
  private async write(input: WriteInput): Promise<CreateOrderResponse> {
    const { em, principal, request } = input;
    if (!redeemsCodes(request) || isTestCaller(principal)) return this.insert(this.deps.orm.em, input);
    if (redeemsWithoutLimits(request, input.prepared)) {
      const response = await this.writeUnlimited(input);
      if (response) return response;
    }
    return em.transactional(async (tx) => {
      const now = this.deps.now?.() ?? new Date();
      const lookups = await checkoutLookups(tx, principal.tenantId, request, { lock: true });
      const prepared = repriceWithLocks(input.prepared, request, lookups, now);
      return this.insert(tx, { ...input, prepared }, async (orderId) => {
        await redeemCodes(tx, principal.tenantId, orderId, request, prepared);
      });
    });
  }

  /**
   * The order and its promotions' uses in one statement, without locks nor a second pricing; undefined (nothing
   * written) when a promotion got a limit or was deactivated since the first pricing (the statement is refused).
   */
  private async writeUnlimited(input: WriteInput): Promise<CreateOrderResponse | undefined> {
    try {
      return await this.insert(this.deps.orm.em, input, undefined, unlimitedUses(input.request, input.prepared));
    } catch (error) {
      if (isRefusal(error, PROMOTION_LIMITED)) return undefined;
      throw error;
    }
  }

  /** Writes the order (every path ends here, a cart's too) as the span orders.write of the call's trace. */
  private readonly insert: CreateOrder["insertRows"] = (...args) =>
    inSpan("orders.write", () => this.insertRows(...args));

  private async insertRows(
    db: EntityManager,
    input: Omit<WriteInput, "em">,
    afterInsert?: (orderId: string) => Promise<void>,
    unlimitedPromotionUses?: NewOrderRows["unlimitedPromotionUses"],
  ): Promise<CreateOrderResponse> {
    const { principal, request, prepared, orderNumber, key } = input;
    const now = this.deps.now?.() ?? new Date();
    const { order, lines, history } = newOrderRows({
      principal,
      request,
      prepared,
      orderNumber,
      now,
      newId: randomUUID,
    });
    const message = orderToMessage({
      ...order,
      customer: prepared.parties.customer,
      company: order.companyId === null ? null : { id: order.companyId },
      lines,
      history,
    });
    const response = create(CreateOrderResponseSchema, {
      order: message,
      warnings: warningMessages(prepared.warnings),
    });
    // The insert is the commit: an answer no client could read must stop it here.
    assertEncodable(CreateOrderResponseSchema, response);
    await insertNewOrder(db, {
      order,
      lines,
      event: orderCreatedEvent(principal.tenantId, message, now),
      idempotency: key && idempotencyRecordRow(key, CreateOrderResponseSchema, response, now),
      history,
      ...(unlimitedPromotionUses ? { unlimitedPromotionUses } : {}),
    });
    await afterInsert?.(order.id);
    return response;
  }
}

/** What writing an order needs: a cart's order is written alike, in the cart's transaction (place-cart.ts). */
type WriteInput = Omit<CartOrderWrite, "afterInsert">;
