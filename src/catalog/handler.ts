import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  CatalogService,
  CreateProductRequest,
  GetProductRequest,
} from "../../gen/orders/v1/catalog_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import { CreateProduct } from "./create-product.js";
import { GetProduct } from "./get-product.js";

/** orders.v1.CatalogService: a thin adapter from RPCs to use cases. */
export class CatalogServiceHandler implements ServiceImpl<typeof CatalogService> {
  constructor(private readonly useCases: { createProduct: CreateProduct; getProduct: GetProduct }) {}

  createProduct(request: CreateProductRequest, context: HandlerContext) {
    return this.useCases.createProduct.execute(callerOf(context), request);
  }

  getProduct(request: GetProductRequest, context: HandlerContext) {
    return this.useCases.getProduct.execute(callerOf(context), request);
  }
}

/** The CatalogService handler over its use cases. */
export function catalogHandler(deps: { orm: MikroORM; onCommitted: () => void }): CatalogServiceHandler {
  return new CatalogServiceHandler({
    createProduct: new CreateProduct(deps),
    getProduct: new GetProduct(deps.orm),
  });
}
