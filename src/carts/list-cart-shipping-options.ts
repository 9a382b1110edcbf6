import { create } from "@bufbuild/protobuf";
import {
  ListCartShippingOptionsResponseSchema,
  type ListCartShippingOptionsRequest,
  type ListCartShippingOptionsResponse,
} from "../../gen/orders/v1/carts_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { CartsDeps } from "./cart-changes.js";
import { draftOf } from "./cart-mapper.js";
import type { ShippingOptionsPricer } from "./cart-pricing.js";
import { findCart } from "./queries.js";
import { cartPathOf, orderRequestOf } from "./rules/cart-draft.js";

/**
 * ListCartShippingOptions: ShippingService.ListShippingOptions for the order the cart stands for (the orders
 * capability's use case, handed in by src/app.ts), its violations naming fields of the Cart.
 */
export class ListCartShippingOptions {
  constructor(private readonly deps: CartsDeps & { shippingOptions: ShippingOptionsPricer }) {}

  async execute(
    principal: Principal,
    request: ListCartShippingOptionsRequest,
  ): Promise<ListCartShippingOptionsResponse> {
    const now = this.deps.now?.() ?? new Date();
    const cart = await findCart(this.deps.orm.em.fork(), principal, request.id, now);
    const draft = draftOf(cart);
    if (draft.lines.length === 0) return create(ListCartShippingOptionsResponseSchema);
    try {
      const { options } = await this.deps.shippingOptions.forOrder(principal, orderRequestOf(draft));
      return create(ListCartShippingOptionsResponseSchema, { options });
    } catch (error) {
      if (!(error instanceof ServiceError) || error.kind !== "invalid_argument") throw error;
      throw ServiceError.invalidArgument(
        error.violations.map((violation) => ({ ...violation, field: cartPathOf(violation.field) })),
      );
    }
  }
}
