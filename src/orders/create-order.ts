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
import { inSpan, traceparentOf } from "../platform/tracing.js";
import { assertEncodable } from "./response-encoding.js";
import { unencodableTimestamps } from "./timestamps.js";
import { orderToMessage, warningMessages } from "./order-mapper.js";
import { orderCreatedEvent } from "./events.js";
import { insertNewOrder, insertNewOrders, newOrderStatementSize, type NewOrderRows } from "./queries/insert-order.js";
import { GroupCommit, MAX_STATEMENT_PARAMETERS } from "../platform/database/group-commit.js";
import { createOrderBatchSize, createOrderLookupsBatchSize } from "../platform/metrics/metrics.js";
import { nativePool } from "../platform/database/query.js";
import {
  findOrderLookup,
  findOrderLookups,
  orderLookupsSize,
  type OrderLookupsAsk,
  type OrderLookupsFound,
} from "./queries/order-lookups.js";
import type { BatchConfig } from "../platform/config/config.js";
import { isRefusal } from "../platform/database/refusal.js";
import { PROMOTION_LIMITED } from "../promotions/public.js";
import { assertMayImport } from "./rules/order-import.js";
import { newOrderRows, prepareOrder, repriceWithLocks } from "./order-preparation.js";
import { redeemsCodes } from "./rules/checkout-request.js";
import { isTestCaller, orderIdempotencyKey } from "./order-mode.js";
import { checkoutLookups } from "./order-checkout.js";
import { redeemCodes, redeemsWithoutLimits, unlimitedUses } from "./order-redemptions.js";
import { reserveStock, STOCK_TRACKED, type LineAllocation } from "../inventory/public.js";
import { catalogVariantIds, stockDemands, withReservations } from "./order-stock.js";
import type { EntityManager } from "@mikro-orm/postgresql";
import { assertPlaceableCartRequest, placeCart, type CartOrderWrite } from "./place-cart.js";
import { orderNumberTaken, outOfStock } from "./order-errors.js";
import { countOrderCreated } from "./metrics.js";

/** A generated number can collide only with an earlier override; a few retries always find a free one. */
const MAX_NUMBER_ATTEMPTS = 5;

export interface CreateOrderDeps {
  orm: MikroORM;
  /** Called after each commit so the in-process relay publishes without waiting for its poll. */
  onOrderCommitted: () => void;
  now?: () => Date;
  /** Group commit of the one-statement orders (CREATE_ORDER_BATCH*); without it every order is its own statement. */
  batch?: BatchConfig;
}

/**
 * CreateOrder: validate, price and check the customer (order-preparation.ts, shared with
 * PreviewOrder), then write the order, its lines, its outbox event and its idempotency record in
 * ONE transaction (a single statement, see queries/insert-order.ts).
 */
export class CreateOrder {
  /** The one-statement orders of this process, written in batches while a batch is in flight (group commit). */
  readonly #batches: GroupCommit<NewOrderRows> | undefined;
  /**
   * The lookups (and order numbers) of the orders this process prepares, read the same way: one statement for all
   * that arrive while one is in flight (queries/order-lookups.ts).
   */
  readonly #lookups: GroupCommit<OrderLookupsAsk, OrderLookupsFound> | undefined;

  constructor(private readonly deps: CreateOrderDeps) {
    const { orm, batch } = deps;
    this.#batches = batch?.enabled
      ? new GroupCommit<NewOrderRows>({
          writeAll: (orders) => insertNewOrders(orm.em, orders),
          writeOne: (rows) => insertNewOrder(orm.em, rows),
          size: (rows) => newOrderStatementSize(orm.em, rows),
          limits: { maxItems: batch.maxItems, maxBytes: batch.maxBytes, maxParameters: MAX_STATEMENT_PARAMETERS },
          onStatement: ({ size, committed }) => {
            if (committed) createOrderBatchSize.observe(size);
          },
        })
      : undefined;
    this.#lookups = batch?.enabled
      ? new GroupCommit<OrderLookupsAsk, OrderLookupsFound>({
          writeAll: async (asks) => findOrderLookups(await nativePool(orm.em), asks),
          writeOne: async (ask) => findOrderLookup(await nativePool(orm.em), ask),
          size: orderLookupsSize,
          limits: { maxItems: batch.maxItems, maxBytes: batch.maxBytes, maxParameters: MAX_STATEMENT_PARAMETERS },
          onStatement: ({ size, committed }) => {
            if (committed) createOrderLookupsBatchSize.observe(size);
          },
        })
      : undefined;
  }

  /** An order's lookups as part of the next batch's statement (PrepareOptions.lookups). */
  readonly #batchedLookup = (_em: EntityManager, ask: OrderLookupsAsk): Promise<OrderLookupsFound> => {
    if (!this.#lookups) throw new Error("lookups are batched only with CREATE_ORDER_BATCH on");
    return this.#lookups.write(ask);
  };

  async execute(principal: Principal, request: CreateOrderRequest): Promise<CreateOrderResponse> {
    assertMayImport(principal, request);
    // Before the idempotency fingerprint (JSON) reads them: times every encoding carries.
    const times = unencodableTimestamps(CreateOrderRequestSchema, request);
    if (times.length > 0) throw ServiceError.invalidArgument(times);
    const em = this.deps.orm.em.fork();
    // A test key's request ids are its own: never a replay of a live order (order-mode.ts).
    const key = orderIdempotencyKey(principal, OrdersService.method.createOrder, request);
    const batchedLookups = this.#lookups ? { lookups: this.#batchedLookup } : {};
    if (request.cartId) {
      assertPlaceableCartRequest(request);
      return idempotently(em, key, CreateOrderResponseSchema, async () => {
        // The answer is a new order only if it is the one written here, not a replay found under the cart's lock.
        let written: CreateOrderResponse | undefined;
        const response = await placeCart({
          ...this.deps,
          principal,
          request,
          em,
          key,
          ...batchedLookups,
          write: async (input) => (written = await this.insertReserving(input.em, input, input.afterInsert)),
        });
        if (response === written) countOrderCreated(response, principal.mode);
        return response;
      });
    }
    return idempotently(em, key, CreateOrderResponseSchema, async () => {
      // Validation, the lookups and pricing (orders.price within it), as one span of the call's trace.
      const prepared = await inSpan("orders.prepare", () =>
        prepareOrder(em, principal, request, this.deps.now?.() ?? new Date(), {
          allocateNumber: !request.orderNumber,
          ...batchedLookups,
        }),
      );

      for (let attempt = 1; ; attempt++) {
        const allocated = attempt === 1 ? prepared.allocatedNumber : undefined;
        const orderNumber = request.orderNumber || allocated || (await allocateOrderNumber(em, principal.tenantId));
        try {
          const response = await this.write({ em, principal, request, prepared, orderNumber, key });
          this.deps.onOrderCommitted();
          countOrderCreated(response, principal.mode);
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
    const redeems = redeemsCodes(request) && !isTestCaller(principal);
    // Lines of catalog variants may have to reserve stock: the one statement refuses itself if one is tracked.
    const unreserved = catalogVariantIds(principal, request, input.prepared);
    if (!redeems || redeemsWithoutLimits(request, input.prepared)) {
      const uses = redeems ? unlimitedUses(request, input.prepared) : undefined;
      const response = await this.writeOneStatement(input, uses, unreserved);
      if (response) return response;
    }
    return em.transactional(async (tx) => {
      const now = this.deps.now?.() ?? new Date();
      const prepared = redeems
        ? repriceWithLocks(
            input.prepared,
            request,
            await checkoutLookups(tx, principal.tenantId, request, { lock: true }),
            now,
          )
        : input.prepared;
      return this.insertReserving(tx, { ...input, prepared }, async (orderId) => {
        if (redeems) await redeemCodes(tx, principal.tenantId, orderId, request, prepared);
      });
    });
  }

  /**
   * The order (and the uses of its promotions without limits) in one statement, without locks nor a second pricing;
   * undefined, nothing written, when a promotion got a limit or was deactivated since the first pricing, or a line's
   * variant is tracked (it must reserve stock): the statement is refused and the caller takes the locked way.
   */
  private async writeOneStatement(
    input: WriteInput,
    unlimitedPromotionUses: NewOrderRows["unlimitedPromotionUses"] | undefined,
    unreservedVariantIds: readonly string[],
  ): Promise<CreateOrderResponse | undefined> {
    try {
      return await this.insert(this.deps.orm.em, input, undefined, {
        ...(unlimitedPromotionUses ? { unlimitedPromotionUses } : {}),
        unreservedVariantIds,
      });
    } catch (error) {
      if (isRefusal(error, PROMOTION_LIMITED) || isRefusal(error, STOCK_TRACKED)) return undefined;
      throw error;
    }
  }

  /**
   * In `tx`: reserves the stock of the order's tracked lines (inventory/public.ts: levels locked, the tenant's
   * shortage policy applied; OUT_OF_STOCK when it refuses), then writes the order with what each line holds.
   */
  private async insertReserving(
    tx: EntityManager,
    input: Omit<WriteInput, "em">,
    afterInsert?: (orderId: string) => Promise<void>,
  ): Promise<CreateOrderResponse> {
    const { principal, request, prepared } = input;
    const demands = stockDemands(request, prepared, catalogVariantIds(principal, request, prepared));
    const outcome = await reserveStock(tx, principal.tenantId, demands, prepared.store.stockLocationId ?? undefined);
    if (!outcome.ok) throw outOfStock(outcome.shortPaths, demands, outcome.lines);
    return this.insert(tx, input, afterInsert, { reservations: outcome.lines });
  }

  /** Writes the order (every path ends here, a cart's too) as the span orders.write of the call's trace. */
  private readonly insert: CreateOrder["insertRows"] = (...args) =>
    inSpan("orders.write", () => this.insertRows(...args));

  private async insertRows(
    db: EntityManager,
    input: Omit<WriteInput, "em">,
    afterInsert?: (orderId: string) => Promise<void>,
    extra: {
      unlimitedPromotionUses?: NewOrderRows["unlimitedPromotionUses"];
      unreservedVariantIds?: readonly string[];
      reservations?: readonly LineAllocation[];
    } = {},
  ): Promise<CreateOrderResponse> {
    const { principal, request, prepared, orderNumber, key } = input;
    const now = this.deps.now?.() ?? new Date();
    const rows = newOrderRows({
      principal,
      request,
      prepared,
      orderNumber,
      now,
      newId: randomUUID,
    });
    const { order, history } = rows;
    const lines = withReservations(rows.lines, extra.reservations ?? []);
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
    const written: NewOrderRows = {
      order,
      lines,
      // This call's trace, taken here: a batch's statement is built in the context of whichever call started it.
      event: { ...orderCreatedEvent(principal.tenantId, message, now), traceparent: traceparentOf() },
      idempotency: key && idempotencyRecordRow(key, CreateOrderResponseSchema, response, now),
      history,
      ...(extra.unlimitedPromotionUses ? { unlimitedPromotionUses: extra.unlimitedPromotionUses } : {}),
      ...(extra.unreservedVariantIds ? { unreservedVariantIds: extra.unreservedVariantIds } : {}),
    };
    // Only the one-statement order joins a batch (with its uses of promotions without limits, counted together with
    // the other orders'): one in a transaction (locks, reservations, a cart) is written on its own, as before.
    const batchable = this.#batches && db === this.deps.orm.em && !afterInsert;
    if (batchable) await this.#batches.write(written);
    else await insertNewOrder(db, written);
    await afterInsert?.(order.id);
    return response;
  }
}

/** What writing an order needs: a cart's order is written alike, in the cart's transaction (place-cart.ts). */
type WriteInput = Omit<CartOrderWrite, "afterInsert">;
