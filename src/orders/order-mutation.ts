import type { DescMessage, DescMethod, MessageShape } from "@bufbuild/protobuf";
import type { FieldMask } from "@bufbuild/protobuf/wkt";
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/postgresql";
import type { Order as OrderMessage } from "../../gen/orders/v1/order_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { currencyMinorUnits } from "../money/currency.js";
import { formatAmount } from "../money/money.js";
import { authorizedTotalOf } from "./rules/payments.js";
import { fulfilmentFacts, type FulfilmentState } from "./rules/fulfillments.js";
import { orderStatusName, paymentStatusName, type LifecycleState, type StatusFacts } from "./rules/order-lifecycle.js";
import { findReplay, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { Order } from "./entities/order.js";
import { etagMismatch, orderNotFound } from "./order-errors.js";
import { etagOf } from "../platform/database/etag.js";
import { stageOrderEvent, type ChangeDetails, type OrderChangeEventType, type OrderEvent } from "./events.js";
import { orderToMessage } from "./order-mapper.js";
import { callersOrders, orderIdempotencyKey } from "./order-mode.js";
import { assertEncodable } from "./response-encoding.js";
import { unencodableTimestamps } from "./timestamps.js";
import { ServiceError } from "../platform/transport/service-error.js";

/** What a mutation did, naming the event it publishes. */
export type MutationOutcome =
  { event: OrderChangeEventType; details?: ChangeDetails } | { event: "order.updated"; updateMask: FieldMask };

/** What a mutation may look at and change: the locked order in its transaction (other capabilities' rows through tx). */
export interface MutationContext {
  tx: EntityManager;
  order: Order;
  principal: Principal;
  now: Date;
}

/** One mutating call: its RPC, its request (for the idempotency fingerprint), the order it targets and its answer. */
export interface MutationCall<Req extends DescMessage, Res extends DescMessage> {
  /** e.g. OrdersService.method.cancelOrder: a request_id belongs to one procedure. */
  method: DescMethod & { input: Req; output: Res };
  request: MessageShape<Req> & { requestId: string };
  orderId: string;
  /** Empty when the caller sent none. */
  etag: string;
  respond: (order: OrderMessage) => MessageShape<Res>;
}

export interface OrderMutationsDeps {
  orm: MikroORM;
  /** Called after each commit so the in-process relay publishes without waiting for its poll. */
  onCommitted: () => void;
  now?: () => Date;
}

/**
 * The one way an existing order changes. In ONE transaction: lock the order row (FOR UPDATE, in
 * the caller's tenant and key mode, order-mode.ts), check the etag, apply the change (which adds its history entry), bump the
 * version and the event sequence, stage the event and the idempotency record. Concurrent changes
 * of one order queue on the row lock, so each sees the previous one's result and two changes of
 * which only one is legal never both succeed.
 */
export class OrderMutations {
  constructor(private readonly deps: OrderMutationsDeps) {}

  async run<Req extends DescMessage, Res extends DescMessage>(
    principal: Principal,
    call: MutationCall<Req, Res>,
    mutate: (context: MutationContext) => MutationOutcome | Promise<MutationOutcome>,
  ): Promise<MessageShape<Res>> {
    const { input, output } = call.method;
    // Before anything reads the request (the idempotency fingerprint is its JSON): every time in it,
    // also in fields the method ignores, must be one every encoding carries.
    const times = unencodableTimestamps(input, call.request);
    if (times.length > 0) throw ServiceError.invalidArgument(times);
    const em = this.deps.orm.em.fork();
    const key = orderIdempotencyKey(principal, call.method, call.request);
    return idempotently(em, key, output, async () => {
      const { answer, committed } = await em.fork().transactional(async (tx) => {
        // Of the caller's mode too: a live key cannot change a test order, nor learn that one exists.
        const order = await tx.findOne(
          Order,
          { id: call.orderId, ...callersOrders(principal) },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!order) throw orderNotFound(call.orderId);
        // A duplicate that waited for the lock while the first call committed answers as the first
        // call did, instead of failing on the state or etag that call changed.
        const replay = key && (await findReplay(tx, key, output));
        if (replay) return { answer: replay, committed: false };
        if (call.etag !== "" && call.etag !== etagOf(order.id, order.version)) throw etagMismatch(order.id);

        // Loaded after the lock, separately: FOR UPDATE cannot lock the outer-joined side of a populate.
        await tx.populate(order, ["lines", "history"]);
        const now = this.deps.now?.() ?? new Date();
        // A change may run statements of its own in tx (CancelOrder gives back promotion uses and gift cards).
        const outcome = await mutate({ tx, order, principal, now });
        order.eventSequence += 1;
        order.updatedAt = now;
        // Flushed first so the answer and the event carry the version (etag) the update produced.
        await tx.flush();

        const message = orderToMessage(order);
        const event: OrderEvent =
          outcome.event === "order.updated"
            ? { type: "order.updated", updateMask: outcome.updateMask }
            : { type: outcome.event, change: lastHistoryEntry(message), details: outcome.details };
        await stageOrderEvent(tx, principal.tenantId, message, event, now);
        const answer = call.respond(message);
        // Rolls the change back if a client could not be told about it.
        assertEncodable(output, answer);
        if (key) recordResponse(tx, key, output, answer, now);
        return { answer, committed: true };
      });
      if (committed) this.deps.onCommitted();
      return answer;
    });
  }
}

/** The lifecycle rules' view of an order entity. */
export function lifecycleStateOf(order: Order): LifecycleState {
  const minorUnits = currencyMinorUnits(order.currency);
  if (minorUnits === undefined) throw new Error(`order ${order.id} has unsupported currency ${order.currency}`);
  return {
    status: orderStatusName(order.status),
    paymentStatus: paymentStatusName(order.paymentStatus),
    total: order.total,
    paidTotal: order.paidTotal,
    refundedTotal: order.refundedTotal,
    authorizedTotal: formatAmount(authorizedTotalOf(order.payments), minorUnits),
    minorUnits,
  };
}

/** The partial-fulfilment rules' view of an order entity (rules/fulfillments.ts); its lines must be loaded. */
export function fulfilmentStateOf(order: Order): FulfilmentState {
  return {
    status: orderStatusName(order.status),
    lines: order.lines.getItems().map((line) => ({ id: line.id, quantity: line.quantity })),
    fulfillments: order.fulfillments,
    returns: order.returns,
  };
}

/** The facts of an order the status rules may depend on (StatusFacts). */
export function statusFactsOf(order: Order): StatusFacts {
  return fulfilmentFacts(fulfilmentStateOf(order));
}

function lastHistoryEntry(message: OrderMessage) {
  const entry = message.history.at(-1);
  if (!entry) throw new Error(`order ${message.id} changed without a history entry`);
  return entry;
}
