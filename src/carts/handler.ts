import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type {
  AddCartLinesRequest,
  ApplyCouponCodeRequest,
  ApplyGiftCardCodeRequest,
  CartsService,
  CreateCartRequest,
  GetCartRequest,
  ListCartShippingOptionsRequest,
  RemoveCartLineRequest,
  RemoveCouponCodeRequest,
  RemoveGiftCardCodeRequest,
  UpdateCartLineRequest,
  UpdateCartRequest,
} from "../../gen/orders/v1/carts_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import { AddCartLines } from "./add-cart-lines.js";
import { CartChanges, type CartsDeps } from "./cart-changes.js";
import { ApplyCouponCode, ApplyGiftCardCode, RemoveCouponCode, RemoveGiftCardCode } from "./cart-codes.js";
import type { ShippingOptionsPricer } from "./cart-pricing.js";
import { CreateCart } from "./create-cart.js";
import { GetCart } from "./get-cart.js";
import { ListCartShippingOptions } from "./list-cart-shipping-options.js";
import { UpdateCart } from "./update-cart.js";
import { RemoveCartLine, UpdateCartLine } from "./update-cart-line.js";

export interface CartsUseCases {
  createCart: CreateCart;
  getCart: GetCart;
  addCartLines: AddCartLines;
  updateCartLine: UpdateCartLine;
  removeCartLine: RemoveCartLine;
  updateCart: UpdateCart;
  applyCouponCode: ApplyCouponCode;
  removeCouponCode: RemoveCouponCode;
  applyGiftCardCode: ApplyGiftCardCode;
  removeGiftCardCode: RemoveGiftCardCode;
  listCartShippingOptions: ListCartShippingOptions;
}

/** orders.v1.CartsService: a thin adapter from RPCs to use cases. */
export class CartsServiceHandler implements ServiceImpl<typeof CartsService> {
  constructor(private readonly useCases: CartsUseCases) {}

  createCart(request: CreateCartRequest, context: HandlerContext) {
    return this.useCases.createCart.execute(callerOf(context), request);
  }

  getCart(request: GetCartRequest, context: HandlerContext) {
    return this.useCases.getCart.execute(callerOf(context), request);
  }

  addCartLines(request: AddCartLinesRequest, context: HandlerContext) {
    return this.useCases.addCartLines.execute(callerOf(context), request);
  }

  updateCartLine(request: UpdateCartLineRequest, context: HandlerContext) {
    return this.useCases.updateCartLine.execute(callerOf(context), request);
  }

  removeCartLine(request: RemoveCartLineRequest, context: HandlerContext) {
    return this.useCases.removeCartLine.execute(callerOf(context), request);
  }

  updateCart(request: UpdateCartRequest, context: HandlerContext) {
    return this.useCases.updateCart.execute(callerOf(context), request);
  }

  applyCouponCode(request: ApplyCouponCodeRequest, context: HandlerContext) {
    return this.useCases.applyCouponCode.execute(callerOf(context), request);
  }

  removeCouponCode(request: RemoveCouponCodeRequest, context: HandlerContext) {
    return this.useCases.removeCouponCode.execute(callerOf(context), request);
  }

  applyGiftCardCode(request: ApplyGiftCardCodeRequest, context: HandlerContext) {
    return this.useCases.applyGiftCardCode.execute(callerOf(context), request);
  }

  removeGiftCardCode(request: RemoveGiftCardCodeRequest, context: HandlerContext) {
    return this.useCases.removeGiftCardCode.execute(callerOf(context), request);
  }

  listCartShippingOptions(request: ListCartShippingOptionsRequest, context: HandlerContext) {
    return this.useCases.listCartShippingOptions.execute(callerOf(context), request);
  }
}

/**
 * Wires the carts capability. Pricing is the orders capability's (PreviewOrder and ListShippingOptions), handed in
 * by src/app.ts as `pricer` and `shippingOptions`, so carts import nothing of orders.
 */
export function cartsHandler(deps: CartsDeps & { shippingOptions: ShippingOptionsPricer }): CartsServiceHandler {
  const changes = new CartChanges(deps);
  return new CartsServiceHandler({
    createCart: new CreateCart(deps),
    getCart: new GetCart(deps),
    addCartLines: new AddCartLines(changes),
    updateCartLine: new UpdateCartLine(changes),
    removeCartLine: new RemoveCartLine(changes),
    updateCart: new UpdateCart(changes),
    applyCouponCode: new ApplyCouponCode(changes),
    removeCouponCode: new RemoveCouponCode(changes),
    applyGiftCardCode: new ApplyGiftCardCode(changes),
    removeGiftCardCode: new RemoveGiftCardCode(changes),
    listCartShippingOptions: new ListCartShippingOptions(deps),
  });
}
