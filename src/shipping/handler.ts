import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  CreateShippingMethodRequest,
  DeleteShippingMethodRequest,
  GetShippingMethodRequest,
  ListShippingMethodsRequest,
  ListShippingOptionsRequest,
  ListShippingOptionsResponse,
  ShippingService,
  UpdateShippingMethodRequest,
} from "../../gen/orders/v1/shipping_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { Principal } from "../platform/auth/principal.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { CreateShippingMethod } from "./create-shipping-method.js";
import { DeleteShippingMethod } from "./delete-shipping-method.js";
import { GetShippingMethod } from "./get-shipping-method.js";
import { ListShippingMethods } from "./list-shipping-methods.js";
import { UpdateShippingMethod } from "./update-shipping-method.js";

/**
 * Prices an order's shipping options. Pricing an order is the orders capability's work (it resolves the order and
 * runs the checkout engine over shipping/public.ts), so src/app.ts hands its use case in; shipping imports nothing of
 * orders.
 */
export interface ShippingOptionsPricer {
  execute(principal: Principal, request: ListShippingOptionsRequest): Promise<ListShippingOptionsResponse>;
}

/** orders.v1.ShippingService: a thin adapter from RPCs to use cases. */
export class ShippingServiceHandler implements ServiceImpl<typeof ShippingService> {
  constructor(
    private readonly useCases: {
      createShippingMethod: CreateShippingMethod;
      getShippingMethod: GetShippingMethod;
      listShippingMethods: ListShippingMethods;
      updateShippingMethod: UpdateShippingMethod;
      deleteShippingMethod: DeleteShippingMethod;
      listShippingOptions: ShippingOptionsPricer;
    },
  ) {}

  createShippingMethod(request: CreateShippingMethodRequest, context: HandlerContext) {
    return this.useCases.createShippingMethod.execute(callerOf(context), request);
  }

  getShippingMethod(request: GetShippingMethodRequest, context: HandlerContext) {
    return this.useCases.getShippingMethod.execute(callerOf(context), request);
  }

  listShippingMethods(request: ListShippingMethodsRequest, context: HandlerContext) {
    return this.useCases.listShippingMethods.execute(callerOf(context), request);
  }

  updateShippingMethod(request: UpdateShippingMethodRequest, context: HandlerContext) {
    return this.useCases.updateShippingMethod.execute(callerOf(context), request);
  }

  deleteShippingMethod(request: DeleteShippingMethodRequest, context: HandlerContext) {
    return this.useCases.deleteShippingMethod.execute(callerOf(context), request);
  }

  listShippingOptions(request: ListShippingOptionsRequest, context: HandlerContext) {
    return this.useCases.listShippingOptions.execute(callerOf(context), request);
  }
}

export interface ShippingDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
  /** The orders capability's ListShippingOptions use case. */
  shippingOptions: ShippingOptionsPricer;
}

/** The ShippingService handler over its use cases. */
export function shippingHandler(deps: ShippingDeps): ShippingServiceHandler {
  return new ShippingServiceHandler({
    createShippingMethod: new CreateShippingMethod(deps.orm),
    getShippingMethod: new GetShippingMethod(deps.orm),
    listShippingMethods: new ListShippingMethods(deps.orm, deps.pageTokens),
    updateShippingMethod: new UpdateShippingMethod(deps.orm),
    deleteShippingMethod: new DeleteShippingMethod(deps.orm),
    listShippingOptions: deps.shippingOptions,
  });
}
