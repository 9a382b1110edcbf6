import { create } from "@bufbuild/protobuf";
import {
  CartsService,
  RemoveCartLineResponseSchema,
  UpdateCartLineResponseSchema,
  type RemoveCartLineRequest,
  type RemoveCartLineResponse,
  type UpdateCartLineRequest,
  type UpdateCartLineResponse,
} from "../../gen/orders/v1/carts_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { cartLineNotFound } from "./cart-errors.js";
import type { CartChange, CartChanges } from "./cart-changes.js";
import { lineIndexOf, setLineQuantity, type CartDraft } from "./rules/cart-draft.js";

/** UpdateCartLine: one line's quantity, 0 removing it. */
export class UpdateCartLine {
  constructor(private readonly changes: CartChanges) {}

  execute(principal: Principal, request: UpdateCartLineRequest): Promise<UpdateCartLineResponse> {
    const call = {
      method: CartsService.method.updateCartLine,
      request,
      cartId: request.id,
      etag: request.etag,
      respond: (cart: UpdateCartLineResponse["cart"]) => create(UpdateCartLineResponseSchema, { cart }),
    };
    return this.changes.run(principal, call, (draft) =>
      withQuantity(draft, request.id, request.lineId, request.quantity ?? 0),
    );
  }
}

/** RemoveCartLine: one line gone. */
export class RemoveCartLine {
  constructor(private readonly changes: CartChanges) {}

  execute(principal: Principal, request: RemoveCartLineRequest): Promise<RemoveCartLineResponse> {
    const call = {
      method: CartsService.method.removeCartLine,
      request,
      cartId: request.id,
      etag: request.etag,
      respond: (cart: RemoveCartLineResponse["cart"]) => create(RemoveCartLineResponseSchema, { cart }),
    };
    return this.changes.run(principal, call, (draft) => withQuantity(draft, request.id, request.lineId, 0));
  }
}

function withQuantity(draft: CartDraft, cartId: string, lineId: string, quantity: number): CartChange {
  const lines = setLineQuantity(draft.lines, lineId, quantity);
  if (!lines) throw cartLineNotFound(cartId, lineId);
  const changed = lines.findIndex((line) => line.id === lineId);
  return {
    draft: { ...draft, lines },
    // What the new quantity makes of its line is the quantity's doing.
    requestPath: (path) => (changed !== -1 && lineIndexOf(path) === changed ? "quantity" : undefined),
  };
}
