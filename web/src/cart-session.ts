import type { MessageInitShape } from "@bufbuild/protobuf";
import { CartState, type Cart, type CartSchema } from "../../gen/orders/v1/cart_pb.js";
import type { Order } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import type { Api } from "./api.js";
import { describeError, type ShowErrorOptions } from "./errors.js";
import { newRequestId } from "./ids.js";
import { requestIds } from "./request-ids.js";

export type CartInit = MessageInitShape<typeof CartSchema>;
/** CreateOrder's fields besides the cart's id: the order's own (company, PO number, channel) and the buyer's. */
export type PlacingInit = Partial<
  Pick<CreateOrderRequest, "customerId" | "email" | "currency" | "channel" | "poNumber" | "companyId">
>;

/** One change of the cart, built from the cart as last read (its id and etag) with the request id to send. */
export type CartCall = (current: Cart, requestId: (request: object) => string) => Promise<{ cart?: Cart | undefined }>;

export interface ChangeOptions {
  /** Without a cart yet, create one with these fields first (adding a line or a code); else nothing is sent. */
  create?: () => CartInit;
  /** How a refusal of this change is shown (CartEvents.refused). */
  showAs?: ShowErrorOptions;
  /** Passed back to CartEvents.changed. */
  followUp?: boolean;
}

/** What the session tells the page. */
export interface CartEvents {
  /** A change was made: the cart as the service answered it. */
  changed(cart: Cart | undefined, options: ChangeOptions): void;
  /** The cart as read (a kept draft, or after it changed elsewhere: then `elsewhere`). */
  read(cart: Cart, elsewhere: boolean): void;
  /** A change or the placing was refused for a reason of its own (a field violation, an unknown customer, ...). */
  refused(error: unknown, options: ShowErrorOptions): void;
  /** The cart was placed, here or elsewhere, as this order (undefined when it could not be read). */
  placed(orderId: string, order: Order | undefined, here: boolean): void;
  /** The cart is gone: it expired, or the key is of another tenant. */
  gone(): void;
}

export interface CartSession {
  /** The cart as last read; undefined before the first change. */
  cart(): Cart | undefined;
  /** Sends one change (CartCall) and reports the answer; resolves whether the change was made. */
  change(call: CartCall, options?: ChangeOptions): Promise<boolean>;
  /**
   * CreateOrder with cart_id, unless the cart changed since it was read (then it is read again, not placed).
   * Resolves false when there is no cart to place.
   */
  place(placing: PlacingInit, showAs: ShowErrorOptions): Promise<boolean>;
  /** Reads a kept cart (GetCart); a completed one is reported as placed, a missing one as gone. */
  open(cartId: string): Promise<void>;
  /** Forgets the cart (the page starts a new draft). */
  forget(): void;
}

/** What the page says when the cart changed since it was read (ABORTED with reason ETAG_MISMATCH). */
export const CART_CHANGED =
  "The cart changed since this page read it (in another tab, or through the API), so nothing was changed: it is " +
  "shown as it is now. Make your change again if it still applies.";

/**
 * The draft's cart and the calls on it (CartsService), one at a time: each change is sent with the etag the one
 * before left and a request_id that a retry of the same change after a lost answer sends again (request-ids.ts).
 * The refusals that concern the draft itself are handled here: a cart changed elsewhere (ETAG_MISMATCH) is read
 * again, a cart placed elsewhere (CART_COMPLETED) is reported with its order, a cart gone (CART_NOT_FOUND, it
 * expired) is forgotten. No DOM: compose.ts shows what it reports.
 */
export function cartSession(api: Api, events: CartEvents): CartSession {
  const ids = requestIds(newRequestId);
  let cart: Cart | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const enqueue = (work: () => Promise<void>): Promise<void> => {
    const next = queue.then(work);
    queue = next.catch(() => undefined);
    return next;
  };
  const send = async <A>(request: object, call: (requestId: string) => Promise<A>): Promise<A> => {
    const answer = await call(ids.idFor(request));
    ids.succeeded(request);
    return answer;
  };

  const placedAs = async (orderId: string, order?: Order) => {
    cart = undefined;
    const known =
      order ??
      (await api.orders.getOrder({ id: orderId }).then(
        (r) => r.order,
        () => undefined,
      ));
    events.placed(orderId, known, order !== undefined);
  };

  /** A refusal: the ones about the cart itself are handled here, the rest are the page's to show. */
  const refused = async (error: unknown, options: ShowErrorOptions) => {
    const shown = describeError(error);
    try {
      if (shown.reason === "ETAG_MISMATCH" && cart) {
        const { cart: now } = await api.carts.getCart({ id: cart.id });
        if (now) read(now, true);
      } else if (shown.reason === "CART_COMPLETED") {
        await placedAs(shown.metadata["orderId"] ?? "");
      } else if (shown.reason === "CART_NOT_FOUND") {
        cart = undefined;
        events.gone();
      } else {
        events.refused(error, options);
      }
    } catch (again) {
      events.refused(again, {});
    }
  };

  const read = (found: Cart, elsewhere: boolean) => {
    if (found.state === CartState.COMPLETED) {
      void placedAs(found.orderId);
      return;
    }
    cart = found;
    events.read(found, elsewhere);
  };

  return {
    cart: () => cart,
    change: (call, options = {}) => {
      let made = false;
      return enqueue(async () => {
        try {
          if (!cart && options.create) {
            const init = options.create();
            const { cart: created } = await send(init, (requestId) => api.carts.createCart({ cart: init, requestId }));
            cart = created;
            // Shown (and kept) even if the change then is refused: the cart exists.
            events.changed(cart, { followUp: false });
          }
          const current = cart;
          if (!current) return;
          const sent: object[] = [];
          const answer = await call(current, (request) => {
            sent.push(request);
            return ids.idFor(request);
          });
          for (const request of sent) ids.succeeded(request);
          cart = answer.cart;
          made = true;
          events.changed(cart, options);
        } catch (error) {
          await refused(error, options.showAs ?? {});
        }
      }).then(() => made);
    },
    place: (placing, showAs) => {
      let found = true;
      return enqueue(async () => {
        const current = cart;
        found = current !== undefined;
        if (!current) return;
        const order = { ...placing, cartId: current.id };
        // The request as the page saw the cart: the same cart placed again after a lost answer is the same request.
        const seen = { ...order, etag: current.etag };
        try {
          // Never place what the person has not seen: a cart changed elsewhere is shown first.
          const { cart: now } = await api.carts.getCart({ id: current.id });
          if (now?.state === CartState.ACTIVE && now.etag !== current.etag) {
            read(now, true);
            return;
          }
          const { order: placed } = await send(seen, (requestId) => api.orders.createOrder({ ...order, requestId }));
          if (placed) await placedAs(placed.id, placed);
        } catch (error) {
          await refused(error, showAs);
        }
      }).then(() => found);
    },
    open: (cartId) =>
      enqueue(async () => {
        if (cart?.id === cartId) return;
        try {
          const { cart: found } = await api.carts.getCart({ id: cartId });
          if (found) read(found, false);
        } catch (error) {
          await refused(error, {});
        }
      }),
    forget() {
      cart = undefined;
    },
  };
}
