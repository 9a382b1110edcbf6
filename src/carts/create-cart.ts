import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  CartsService,
  CreateCartResponseSchema,
  type CreateCartRequest,
  type CreateCartResponse,
} from "../../gen/orders/v1/carts_service_pb.js";
import type { Cart as CartMessage } from "../../gen/orders/v1/cart_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotently, modeIdempotencyKey, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { cartPriceOf, type CartsDeps } from "./cart-changes.js";
import { cartToMessage, draftColumns } from "./cart-mapper.js";
import { priceDraft, refuseNewProblems } from "./cart-pricing.js";
import { Cart } from "./entities/cart.js";
import { LineItemInputSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { addCode, expiryAfter, MAX_COUPON_CODES, MAX_GIFT_CARD_CODES, type CartDraft } from "./rules/cart-draft.js";

/**
 * CreateCart: the draft as given (each code once, as the Apply methods add them),
 * priced; a draft that cannot be priced is refused with the violations CreateOrder would give, at paths under
 * "cart.". The cart and its idempotency record are written in one transaction.
 */
export class CreateCart {
  constructor(private readonly deps: CartsDeps) {}

  async execute(principal: Principal, request: CreateCartRequest): Promise<CreateCartResponse> {
    const given = request.cart;
    if (!given)
      throw ServiceError.invalidArgument([{ field: "cart", description: "value is required", reason: "REQUIRED" }]);
    const draft = draftOfRequest(given);
    const em = this.deps.orm.em.fork();
    const key = modeIdempotencyKey(principal, CartsService.method.createCart, request);
    return idempotently(em, key, CreateCartResponseSchema, async () => {
      const price = await priceDraft(this.deps.pricer, principal, draft);
      await refuseNewProblems({
        pricer: this.deps.pricer,
        principal,
        before: undefined,
        after: draft,
        price,
        requestPath: (path) => `cart.${path}`,
      });
      const now = this.deps.now?.() ?? new Date();
      return em.fork().transactional(async (tx) => {
        const cart = tx.create(Cart, {
          id: randomUUID(),
          tenant: principal.tenantId,
          isTest: principal.mode === "test",
          state: "active",
          orderId: null,
          ...draftColumns(draft),
          expiresAt: expiryAfter(now, this.deps.ttlMs),
          createdAt: now,
          updatedAt: now,
        });
        await tx.flush();
        const response = create(CreateCartResponseSchema, {
          cart: cartToMessage(cart, cartPriceOf(price), principal.role),
        });
        if (key) recordResponse(tx, key, CreateCartResponseSchema, response, now);
        return response;
      });
    });
  }
}

/** The draft a CreateCartRequest gives: its lines as given (lines[i] stays lines[i]) with new ids. */
function draftOfRequest(cart: CartMessage): CartDraft {
  return {
    customerId: cart.customerId,
    email: cart.email,
    currency: cart.currency,
    billingAddress: cart.billingAddress,
    shippingAddress: cart.shippingAddress,
    shippingMethod: cart.shippingMethod,
    couponCodes: codesOnce(cart.couponCodes, MAX_COUPON_CODES),
    giftCardCodes: codesOnce(cart.giftCardCodes, MAX_GIFT_CARD_CODES),
    metadata: { ...cart.metadata },
    lines: cart.lines.map((line) => ({ id: randomUUID(), item: line.item ?? create(LineItemInputSchema) })),
  };
}

/** The codes given, each once in any case (the contract's limits already hold). */
function codesOnce(codes: readonly string[], max: number): string[] {
  return codes.reduce<string[]>((kept, code) => {
    const added = addCode(kept, code, max);
    return added.ok ? added.value.codes : kept;
  }, []);
}
