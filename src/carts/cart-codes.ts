import { create } from "@bufbuild/protobuf";
import {
  ApplyCouponCodeResponseSchema,
  ApplyGiftCardCodeResponseSchema,
  CartsService,
  RemoveCouponCodeResponseSchema,
  RemoveGiftCardCodeResponseSchema,
  type ApplyCouponCodeRequest,
  type ApplyCouponCodeResponse,
  type ApplyGiftCardCodeRequest,
  type ApplyGiftCardCodeResponse,
  type RemoveCouponCodeRequest,
  type RemoveCouponCodeResponse,
  type RemoveGiftCardCodeRequest,
  type RemoveGiftCardCodeResponse,
} from "../../gen/orders/v1/carts_service_pb.js";
import type { Cart as CartMessage } from "../../gen/orders/v1/cart_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { CartChange, CartChanges } from "./cart-changes.js";
import { addCode, MAX_COUPON_CODES, MAX_GIFT_CARD_CODES, removeCode, type CartDraft } from "./rules/cart-draft.js";

type CodeList = "couponCodes" | "giftCardCodes";
const FIELD: Record<CodeList, string> = { couponCodes: "coupon_codes", giftCardCodes: "gift_card_codes" };
const MAX: Record<CodeList, number> = { couponCodes: MAX_COUPON_CODES, giftCardCodes: MAX_GIFT_CARD_CODES };

/** A code added to one of the cart's lists; a problem of that code (a gift card that cannot pay) is the request's. */
function withCode(draft: CartDraft, list: CodeList, code: string): CartChange {
  const added = addCode(draft[list], code, MAX[list]);
  if (!added.ok) throw ServiceError.invalidArgument(added.violations);
  const index = added.value.codes.findIndex((kept) => kept.toUpperCase() === code.toUpperCase());
  return {
    draft: { ...draft, [list]: added.value.codes },
    requestPath: (path) => (path === `${FIELD[list]}[${index}]` ? "code" : undefined),
  };
}

function withoutCode(draft: CartDraft, list: CodeList, code: string): CartChange {
  return { draft: { ...draft, [list]: removeCode(draft[list], code) }, requestPath: () => undefined };
}

/** ApplyCouponCode: kept even when it does not apply now (the cart's warnings say why), as CreateOrder warns. */
export class ApplyCouponCode {
  constructor(private readonly changes: CartChanges) {}

  execute(principal: Principal, request: ApplyCouponCodeRequest): Promise<ApplyCouponCodeResponse> {
    const respond = (cart: CartMessage | undefined) => create(ApplyCouponCodeResponseSchema, { cart });
    const call = {
      method: CartsService.method.applyCouponCode,
      request,
      cartId: request.id,
      etag: request.etag,
      respond,
    };
    return this.changes.run(principal, call, (draft) => withCode(draft, "couponCodes", request.code));
  }
}

export class RemoveCouponCode {
  constructor(private readonly changes: CartChanges) {}

  execute(principal: Principal, request: RemoveCouponCodeRequest): Promise<RemoveCouponCodeResponse> {
    const respond = (cart: CartMessage | undefined) => create(RemoveCouponCodeResponseSchema, { cart });
    const call = {
      method: CartsService.method.removeCouponCode,
      request,
      cartId: request.id,
      etag: request.etag,
      respond,
    };
    return this.changes.run(principal, call, (draft) => withoutCode(draft, "couponCodes", request.code));
  }
}

/** ApplyGiftCardCode: a card that cannot pay is refused now (INVALID_ARGUMENT at code), as CreateOrder refuses it. */
export class ApplyGiftCardCode {
  constructor(private readonly changes: CartChanges) {}

  execute(principal: Principal, request: ApplyGiftCardCodeRequest): Promise<ApplyGiftCardCodeResponse> {
    const respond = (cart: CartMessage | undefined) => create(ApplyGiftCardCodeResponseSchema, { cart });
    const call = {
      method: CartsService.method.applyGiftCardCode,
      request,
      cartId: request.id,
      etag: request.etag,
      respond,
    };
    return this.changes.run(principal, call, (draft) => withCode(draft, "giftCardCodes", request.code));
  }
}

export class RemoveGiftCardCode {
  constructor(private readonly changes: CartChanges) {}

  execute(principal: Principal, request: RemoveGiftCardCodeRequest): Promise<RemoveGiftCardCodeResponse> {
    const respond = (cart: CartMessage | undefined) => create(RemoveGiftCardCodeResponseSchema, { cart });
    const call = {
      method: CartsService.method.removeGiftCardCode,
      request,
      cartId: request.id,
      etag: request.etag,
      respond,
    };
    return this.changes.run(principal, call, (draft) => withoutCode(draft, "giftCardCodes", request.code));
  }
}
