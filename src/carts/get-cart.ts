import { create } from "@bufbuild/protobuf";
import {
  GetCartResponseSchema,
  type GetCartRequest,
  type GetCartResponse,
} from "../../gen/orders/v1/carts_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { cartPriceOf, type CartsDeps } from "./cart-changes.js";
import { cartToMessage, draftOf, type CartPrice } from "./cart-mapper.js";
import { priceDraft } from "./cart-pricing.js";
import { findCart } from "./queries.js";

/** GetCart: the cart priced now (a completed one as it was placed: read its order for the figures). */
export class GetCart {
  constructor(private readonly deps: CartsDeps) {}

  async execute(principal: Principal, request: GetCartRequest): Promise<GetCartResponse> {
    const now = this.deps.now?.() ?? new Date();
    const cart = await findCart(this.deps.orm.em.fork(), principal, request.id, now);
    const price: CartPrice =
      cart.state === "completed"
        ? { kind: "completed" }
        : cartPriceOf(await priceDraft(this.deps.pricer, principal, draftOf(cart)));
    return create(GetCartResponseSchema, { cart: cartToMessage(cart, price, principal.role) });
  }
}
