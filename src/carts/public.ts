import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/postgresql";
import type { HousekeepingTask } from "../platform/database/housekeeping.js";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { cartCompleted, cartNotFound } from "./cart-errors.js";
import { draftOf } from "./cart-mapper.js";
import { Cart } from "./entities/cart.js";
import { findActiveCart, purgeExpiredCarts } from "./queries.js";
import { cartPathOf, fieldsFromCart, placedOrderRequest } from "./rules/cart-draft.js";

/**
 * What other capabilities may use of carts (.dependency-cruiser.cjs SURFACES): the orders capability places a cart
 * (CreateOrder's cart_id) with these, and src/app.ts registers the purge with housekeeping.
 */

export { cartCompleted };

/** The purge of expired carts, as a housekeeping task (src/app.ts hands it to the platform). */
export function cartsHousekeeping(orm: MikroORM): HousekeepingTask {
  return { name: "expiredCarts", run: (now) => purgeExpiredCarts(orm.em, now, PURGE_BATCH) };
}

/** Carts deleted per statement, so one pass never holds long locks. */
const PURGE_BATCH = 1000;

/** A cart about to be placed: the order request it makes, and the version it was read at. */
export interface CartToPlace {
  id: string;
  version: number;
  /** The CreateOrderRequest the cart and the placing request make together (rules/cart-draft.ts). */
  request: CreateOrderRequest;
  /**
   * Where a field of `request` (a violation's path) is in the cart when it came from the cart ("items[0].sku" ->
   * "lines[0].item.sku"); undefined when the placing request gave it.
   */
  cartPath: (field: string) => string | undefined;
}

/** Reads an active cart of the caller for CreateOrder; CART_NOT_FOUND or CART_COMPLETED (metadata orderId) else. */
export async function cartToPlace(
  em: EntityManager,
  principal: Principal,
  request: CreateOrderRequest,
  now: Date,
): Promise<CartToPlace> {
  const cart = await findActiveCart(em, principal, request.cartId, now);
  const fromCart = fieldsFromCart(request);
  return {
    id: cart.id,
    version: cart.version,
    request: placedOrderRequest(draftOf(cart), request),
    cartPath: (field) => (fromCart(field) ? cartPathOf(field) : undefined),
  };
}

/** The cart as locked in the placing order's transaction. */
export type LockedCart = { state: "active"; changed: boolean } | { state: "completed"; orderId: string };

/**
 * Locks the cart's row (FOR UPDATE) in the order's transaction: whether it is still active and unchanged since
 * `cartToPlace` read it, or completed (by a concurrent placement that committed first). CART_NOT_FOUND when it
 * expired or was purged meanwhile. Concurrent placements of one cart queue here, so exactly one completes it.
 */
export async function lockCartToPlace(
  tx: EntityManager,
  principal: Principal,
  cart: Pick<CartToPlace, "id" | "version">,
  now: Date,
): Promise<LockedCart> {
  const locked = await tx.findOne(
    Cart,
    { id: cart.id, tenant: principal.tenantId, isTest: principal.mode === "test", expiresAt: { $gt: now } },
    { lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!locked) throw cartNotFound(cart.id);
  if (locked.state === "completed") return { state: "completed", orderId: locked.orderId ?? "" };
  return { state: "active", changed: locked.version !== cart.version };
}

/** Marks the locked cart placed as `orderId`, in the order's transaction; it can never change again. */
export async function completeCart(tx: EntityManager, cartId: string, orderId: string, now: Date): Promise<void> {
  const cart = await tx.findOneOrFail(Cart, { id: cartId });
  cart.state = "completed";
  cart.orderId = orderId;
  cart.updatedAt = now;
  await tx.flush();
}
