import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  CreateShippingMethodRequest,
  DeleteShippingMethodRequest,
  GetShippingMethodRequest,
  ListShippingMethodsRequest,
  ShippingService,
  UpdateShippingMethodRequest,
} from "../../gen/orders/v1/shipping_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { CreateShippingMethod } from "./create-shipping-method.js";
import { DeleteShippingMethod } from "./delete-shipping-method.js";
import { GetShippingMethod } from "./get-shipping-method.js";
import { ListShippingMethods } from "./list-shipping-methods.js";
import { UpdateShippingMethod } from "./update-shipping-method.js";

/**
 * orders.v1.ShippingService's methods of shipping: a thin adapter from RPCs to use cases. ListShippingOptions
 * prices an order, which is the orders capability's (it resolves the order and runs the checkout engine over
 * shipping/public.ts), so it is not here; until it is routed, Connect answers it UNIMPLEMENTED.
 */
export class ShippingServiceHandler implements Omit<ServiceImpl<typeof ShippingService>, "listShippingOptions"> {
  constructor(
    private readonly useCases: {
      createShippingMethod: CreateShippingMethod;
      getShippingMethod: GetShippingMethod;
      listShippingMethods: ListShippingMethods;
      updateShippingMethod: UpdateShippingMethod;
      deleteShippingMethod: DeleteShippingMethod;
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
}

export interface ShippingDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
}

/** The ShippingService handler over its use cases. */
export function shippingHandler(deps: ShippingDeps): ShippingServiceHandler {
  return new ShippingServiceHandler({
    createShippingMethod: new CreateShippingMethod(deps.orm),
    getShippingMethod: new GetShippingMethod(deps.orm),
    listShippingMethods: new ListShippingMethods(deps.orm, deps.pageTokens),
    updateShippingMethod: new UpdateShippingMethod(deps.orm),
    deleteShippingMethod: new DeleteShippingMethod(deps.orm),
  });
}
