import { create } from "@bufbuild/protobuf";
import {
  CartsService,
  UpdateCartResponseSchema,
  type UpdateCartRequest,
  type UpdateCartResponse,
} from "../../gen/orders/v1/carts_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { fieldViolation } from "../money/field-violation.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { CartChanges } from "./cart-changes.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { UPDATABLE_PATHS, withUpdates } from "./rules/cart-draft.js";

/**
 * UpdateCart (AIP-134): sets the fields named in update_mask from the given cart (a field named but left empty is
 * cleared). A value the order could not take (a shipping method that does not ship to the address, a currency the
 * catalog has no price in) is refused at its "cart." path.
 */
export class UpdateCart {
  constructor(private readonly changes: CartChanges) {}

  execute(principal: Principal, request: UpdateCartRequest): Promise<UpdateCartResponse> {
    const values = request.cart;
    if (!values) throw ServiceError.invalidArgument([fieldViolation("cart", "REQUIRED", "value is required")]);
    const paths = updateMaskPaths(request.updateMask?.paths ?? [], UPDATABLE_PATHS);
    const violations = [...resourceIdViolations("cart.id", values.id), ...(paths.ok ? [] : paths.violations)];
    if (violations.length > 0 || !paths.ok) throw ServiceError.invalidArgument(violations);
    const call = {
      method: CartsService.method.updateCart,
      request,
      cartId: values.id,
      etag: values.etag,
      respond: (cart: UpdateCartResponse["cart"]) => create(UpdateCartResponseSchema, { cart }),
    };
    return this.changes.run(principal, call, (draft) => ({
      draft: withUpdates(
        draft,
        {
          ...values,
          billingAddress: values.billingAddress,
          shippingAddress: values.shippingAddress,
          shippingMethod: values.shippingMethod,
        },
        paths.paths,
      ),
      requestPath: (path) => `cart.${path}`,
    }));
  }
}
