import { describe, expect, it } from "vitest";
import { CartsService } from "../../gen/orders/v1/carts_service_pb.js";
import { CARTS_METHOD_ROLES } from "../../src/carts/access.js";

describe("CartsService roles", () => {
  it("name every RPC of the contract, viewers reading and editors writing as for orders", () => {
    const roles = Object.fromEntries(
      CartsService.methods.map((method) => [
        method.name,
        CARTS_METHOD_ROLES[`${CartsService.typeName}/${method.name}`],
      ]),
    );
    expect(roles).toEqual({
      CreateCart: "editor",
      GetCart: "viewer",
      AddCartLines: "editor",
      UpdateCartLine: "editor",
      RemoveCartLine: "editor",
      UpdateCart: "editor",
      ApplyCouponCode: "editor",
      RemoveCouponCode: "editor",
      ApplyGiftCardCode: "editor",
      RemoveGiftCardCode: "editor",
      ListCartShippingOptions: "viewer",
    });
    expect(Object.keys(CARTS_METHOD_ROLES)).toHaveLength(CartsService.methods.length);
  });
});
