import type { DescMessage, DescMethod, MessageShape } from "@bufbuild/protobuf";
import { setTimeout } from "node:timers/promises";
import { LockMode, type MikroORM } from "@mikro-orm/postgresql";
import type { Cart as CartMessage } from "../../gen/orders/v1/cart_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { findReplay, idempotently, modeIdempotencyKey, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { cartEtagMismatch, cartNotFound } from "./cart-errors.js";
import { cartToMessage, draftColumns, draftOf, type CartPrice } from "./cart-mapper.js";
import { priceDraft, refuseNewProblems, type DraftPrice, type OrderPricer, type RequestPath } from "./cart-pricing.js";
import { findActiveCart } from "./queries.js";
import { Cart } from "./entities/cart.js";
import { expiryAfter, type CartDraft } from "./rules/cart-draft.js";

export interface CartsDeps {
  orm: MikroORM;
  /** PreviewOrder's pricing, handed in by src/app.ts (cart-pricing.ts). */
  pricer: OrderPricer;
  /** CART_TTL: a cart expires this long after its last change. */
  ttlMs: number;
  now?: () => Date;
}

/** One change of a cart: its RPC and request (for the idempotency fingerprint), the cart, its etag and its answer. */
export interface CartChangeCall<Req extends DescMessage, Res extends DescMessage> {
  method: DescMethod & { input: Req; output: Res };
  request: MessageShape<Req> & { requestId: string };
  cartId: string;
  /** Empty when the caller sent none. */
  etag: string;
  respond: (cart: CartMessage) => MessageShape<Res>;
}

/** What a change makes of the cart's draft, and how a Cart path maps to its request's field. */
export interface CartChange {
  draft: CartDraft;
  requestPath: RequestPath;
}

/**
 * A change whose cart moved on meanwhile is tried again on the new cart; this often, then ABORTED. Each failed
 * attempt means another change committed, so up to this many concurrent changes of one cart all succeed.
 */
export const MAX_CART_ATTEMPTS = 32;

/**
 * The one way an existing cart changes. The cart is read, changed and priced (by PreviewOrder, through the pool)
 * outside any transaction, then written in a short one that locks the row and checks its version is the one read:
 * pricing never runs while a row lock and a connection are held, so concurrent changes of one cart cannot exhaust
 * the pool waiting for each other. A change whose cart changed meanwhile is done again on the new cart (at most
 * MAX_CART_ATTEMPTS times, then ABORTED with reason CART_BUSY), after a short random pause that spreads the
 * contenders apart; with an etag it is ETAG_MISMATCH instead. The idempotency
 * record is written in that transaction, and a duplicate that finds it answers as the first call did.
 */
export class CartChanges {
  constructor(private readonly deps: CartsDeps) {}

  async run<Req extends DescMessage, Res extends DescMessage>(
    principal: Principal,
    call: CartChangeCall<Req, Res>,
    change: (draft: CartDraft) => CartChange,
  ): Promise<MessageShape<Res>> {
    const em = this.deps.orm.em.fork();
    const output = call.method.output;
    const key = modeIdempotencyKey(principal, call.method, call.request);
    return idempotently(em, key, output, async () => {
      for (let attempt = 1; attempt <= MAX_CART_ATTEMPTS; attempt++) {
        const now = this.deps.now?.() ?? new Date();
        const read = await findActiveCart(em.fork(), principal, call.cartId, now);
        if (call.etag !== "" && call.etag !== etagOf(read.id, read.version)) throw cartEtagMismatch(read.id);
        const before = draftOf(read);
        const { draft, requestPath } = change(before);
        const price = await priceDraft(this.deps.pricer, principal, draft);
        await refuseNewProblems({ pricer: this.deps.pricer, principal, before, after: draft, price, requestPath });
        const answer = await em.fork().transactional(async (tx) => {
          const cart = await tx.findOne(
            Cart,
            { id: read.id, tenant: principal.tenantId },
            { lockMode: LockMode.PESSIMISTIC_WRITE },
          );
          if (!cart) throw cartNotFound(read.id);
          // A duplicate that raced this one and committed first answers as it did.
          const replay = key && (await findReplay(tx, key, output));
          if (replay) return { response: replay };
          if (cart.version !== read.version) return undefined;
          Object.assign(cart, draftColumns(draft), { updatedAt: now, expiresAt: expiryAfter(now, this.deps.ttlMs) });
          // Flushed first so the answer carries the version (etag) the update produced.
          await tx.flush();
          const response = call.respond(cartToMessage(cart, cartPriceOf(price), principal.role));
          if (key) recordResponse(tx, key, output, response, now);
          return { response };
        });
        if (answer) return answer.response;
        await setTimeout(Math.random() * Math.min(attempt, 10) * 2);
      }
      throw new ServiceError("aborted", "CART_BUSY", `cart ${call.cartId} kept changing; try again`, [], {
        cartId: call.cartId,
      });
    });
  }
}

/** The Cart message's view of a pricing. */
export function cartPriceOf(price: DraftPrice): CartPrice {
  return price.ok
    ? { kind: "priced", order: price.order, warnings: price.warnings }
    : { kind: "unpriced", problems: price.problems };
}
