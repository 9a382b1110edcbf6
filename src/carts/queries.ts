import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import type { Principal } from "../platform/auth/principal.js";
import { query, type Queryable } from "../platform/database/query.js";
import { cartCompleted, cartNotFound } from "./cart-errors.js";
import { Cart } from "./entities/cart.js";

/** The carts a caller may see: its tenant's, of its key's mode, not expired at `now`. */
function callersCarts(principal: Principal, now: Date) {
  return { tenant: principal.tenantId, isTest: principal.mode === "test", expiresAt: { $gt: now } };
}

/** A cart of the caller, completed or not; NOT_FOUND (CART_NOT_FOUND) otherwise. */
export async function findCart(em: EntityManager, principal: Principal, cartId: string, now: Date): Promise<Cart> {
  const cart = await em.findOne(Cart, { id: cartId, ...callersCarts(principal, now) });
  if (!cart) throw cartNotFound(cartId);
  return cart;
}

/** A cart of the caller that may still change (or be placed); CART_NOT_FOUND or CART_COMPLETED otherwise. */
export async function findActiveCart(
  em: EntityManager,
  principal: Principal,
  cartId: string,
  now: Date,
  options: { lock?: boolean } = {},
): Promise<Cart> {
  const cart = await em.findOne(
    Cart,
    { id: cartId, ...callersCarts(principal, now) },
    options.lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
  );
  if (!cart) throw cartNotFound(cartId);
  if (cart.state === "completed") throw cartCompleted(cart.id, cart.orderId ?? "");
  return cart;
}

/**
 * Deletes carts expired before `now`, at most `batchSize` per statement and until none is left; returns how many.
 * Housekeeping runs it (src/app.ts registers it): an expired cart already reads as missing, this frees its row.
 */
export async function purgeExpiredCarts(db: Queryable, now: Date, batchSize: number): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await query(
      db,
      `delete from carts where id in (select id from carts where expires_at <= $1 limit ${batchSize})`,
      [now],
    );
    total += rowCount;
    if (rowCount < batchSize) return total;
  }
}
