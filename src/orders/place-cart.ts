import type { EntityManager } from "@mikro-orm/postgresql";
import {
  CreateOrderResponseSchema,
  type CreateOrderRequest,
  type CreateOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import { cartCompleted, cartToPlace, completeCart, lockCartToPlace, type CartToPlace } from "../carts/public.js";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { isUniqueViolation } from "../platform/database/errors.js";
import { findReplay, type IdempotencyKey } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { checkoutLookups } from "./order-checkout.js";
import { orderNumberTaken } from "./order-errors.js";
import { isTestCaller } from "./order-mode.js";
import { prepareOrder, repriceWithLocks, type PreparedOrder, type PrepareOptions } from "./order-preparation.js";
import { redeemCodes } from "./order-redemptions.js";
import { allocateOrderNumber, ORDER_NUMBER_CONSTRAINT } from "./queries/order-numbers.js";
import { redeemsCodes } from "./rules/checkout-request.js";

/**
 * A cart that changed between its read and its lock is placed again as it is now; this often, then ABORTED (each
 * failed attempt means a change of the cart committed meanwhile).
 */
const MAX_ATTEMPTS = 32;

/** The rules of CreateOrderRequest that only hold with cart_id: the cart's lines are the order's. */
export function assertPlaceableCartRequest(request: CreateOrderRequest): void {
  const violations: FieldViolation[] = [];
  if (request.items.length > 0) {
    violations.push(
      fieldViolation(
        "items",
        "ITEMS_WITH_CART",
        "give the lines in the cart (CartsService.AddCartLines), not here too",
      ),
    );
  }
  if (request.channel === Channel.IMPORT) {
    violations.push(fieldViolation("cart_id", "NOT_WITH_IMPORT", "an import brings its own lines, not a cart's"));
  }
  if (violations.length > 0) throw ServiceError.invalidArgument(violations);
}

export interface PlaceCartInput {
  principal: Principal;
  request: CreateOrderRequest;
  em: EntityManager;
  key: IdempotencyKey | undefined;
  onOrderCommitted: () => void;
  now?: () => Date;
  /** CreateOrder's insert of the order, its lines, event and idempotency record, then `afterInsert`, on `em`. */
  write: (input: CartOrderWrite) => Promise<CreateOrderResponse>;
  /** How the order's lookups are read (CreateOrder's group commit, see PrepareOptions.lookups). */
  lookups?: PrepareOptions["lookups"];
}

/** What CreateOrder's insert needs to write a cart's order in the cart's transaction (`em`). */
export interface CartOrderWrite {
  em: EntityManager;
  principal: Principal;
  request: CreateOrderRequest;
  prepared: PreparedOrder;
  orderNumber: string;
  key: IdempotencyKey | undefined;
  afterInsert: (orderId: string) => Promise<void>;
}

/**
 * CreateOrder with cart_id (seed 003): the order the cart and the request make together (carts/public.ts) is
 * prepared as any order, then written in ONE transaction that first locks the cart's row: a cart already completed
 * is CART_COMPLETED with its order's id (unless this call is a retry of the one that completed it: then its answer),
 * and the order, its promotions' uses and gift card debits and the cart's completion commit together. Concurrent
 * placements of one cart queue on that lock, so exactly one order is placed from it.
 */
export async function placeCart(input: PlaceCartInput): Promise<CreateOrderResponse> {
  const { principal, request, em } = input;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const now = input.now?.() ?? new Date();
    const cart = await cartToPlace(em, principal, request, now);
    const prepared = await prepareOrder(em, principal, cart.request, now, {
      allocateNumber: !request.orderNumber,
      ...(input.lookups ? { lookups: input.lookups } : {}),
    }).catch((error: unknown) => {
      throw namingTheCart(error, cart);
    });
    const orderNumber =
      request.orderNumber || prepared.allocatedNumber || (await allocateOrderNumber(em, principal.tenantId));
    try {
      const placed = await em
        .fork()
        .transactional((tx) => placeLocked({ ...input, tx, cart, prepared, orderNumber, at: now }));
      if (placed) {
        input.onOrderCommitted();
        return placed;
      }
    } catch (error) {
      if (!isUniqueViolation(error, ORDER_NUMBER_CONSTRAINT)) throw error;
      if (request.orderNumber) throw orderNumberTaken(orderNumber);
    }
  }
  throw new ServiceError("aborted", "CART_BUSY", `cart ${request.cartId} kept changing; try again`, [], {
    cartId: request.cartId,
  });
}

/** Inside the transaction: the answer, or undefined when the cart changed since it was read (place it again). */
async function placeLocked(
  input: PlaceCartInput & {
    tx: EntityManager;
    cart: CartToPlace;
    prepared: PreparedOrder;
    orderNumber: string;
    at: Date;
  },
): Promise<CreateOrderResponse | undefined> {
  const { tx, principal, cart, key, at: now } = input;
  const locked = await lockCartToPlace(tx, principal, cart, now);
  // A retry of the call that completed the cart answers as it did.
  const replay = key && (await findReplay(tx, key, CreateOrderResponseSchema));
  if (replay) return replay;
  if (locked.state === "completed") throw cartCompleted(cart.id, locked.orderId);
  if (locked.changed) return undefined;
  // Promotions' uses and gift card debits are counted under their rows' locks, as CreateOrder's locked way does.
  const redeems = redeemsCodes(cart.request) && !isTestCaller(principal);
  const prepared = redeems
    ? repriceWithLocks(
        input.prepared,
        cart.request,
        await checkoutLookups(tx, principal.tenantId, cart.request, { lock: true }),
        now,
      )
    : input.prepared;
  return input.write({
    em: tx,
    principal,
    request: cart.request,
    prepared,
    orderNumber: input.orderNumber,
    key,
    afterInsert: async (orderId) => {
      if (redeems) await redeemCodes(tx, principal.tenantId, orderId, cart.request, prepared);
      await completeCart(tx, cart.id, orderId, now);
    },
  });
}

/**
 * A violation of a value the cart gave names cart_id (the request has no such field), its description saying where
 * in the cart it is: "lines[0].item.variant_id: ...". Violations of the request's own fields keep their paths.
 */
function namingTheCart(error: unknown, cart: CartToPlace): unknown {
  if (!(error instanceof ServiceError) || error.kind !== "invalid_argument") return error;
  return ServiceError.invalidArgument(
    error.violations.map((violation) => {
      const inCart = cart.cartPath(violation.field);
      return inCart === undefined
        ? violation
        : { ...violation, field: "cart_id", description: `the cart's ${inCart}: ${violation.description}` };
    }),
  );
}
