import { describe, expect, it } from "vitest";
import { ShippingService } from "../../gen/orders/v1/shipping_service_pb.js";
import { SHIPPING_METHOD_ROLES } from "../../src/shipping/access.js";

describe("ShippingService roles", () => {
  it("name every RPC of the contract (ListShippingOptions too), viewers reading and editors writing", () => {
    const roles = Object.fromEntries(
      ShippingService.methods.map((method) => [
        method.name,
        SHIPPING_METHOD_ROLES[`${ShippingService.typeName}/${method.name}`],
      ]),
    );
    expect(roles).toEqual({
      CreateShippingMethod: "editor",
      GetShippingMethod: "viewer",
      ListShippingMethods: "viewer",
      UpdateShippingMethod: "editor",
      DeleteShippingMethod: "editor",
      ListShippingOptions: "viewer",
    });
    expect(Object.keys(SHIPPING_METHOD_ROLES)).toHaveLength(ShippingService.methods.length);
  });
});
