import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  ArchiveProductRequest,
  BatchCreateProductsRequest,
  CatalogService,
  CreateProductRequest,
  GetProductRequest,
  ListProductsRequest,
  UpdateProductRequest,
} from "../../gen/orders/v1/catalog_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { ArchiveProduct } from "./archive-product.js";
import { BatchCreateProducts } from "./batch-create-products.js";
import { CreateProduct } from "./create-product.js";
import { GetProduct } from "./get-product.js";
import { ListProducts } from "./list-products.js";
import { UpdateProduct } from "./update-product.js";

interface CatalogUseCases {
  createProduct: CreateProduct;
  getProduct: GetProduct;
  listProducts: ListProducts;
  updateProduct: UpdateProduct;
  archiveProduct: ArchiveProduct;
  batchCreateProducts: BatchCreateProducts;
}

/** orders.v1.CatalogService: a thin adapter from RPCs to use cases. */
export class CatalogServiceHandler implements ServiceImpl<typeof CatalogService> {
  constructor(private readonly useCases: CatalogUseCases) {}

  createProduct(request: CreateProductRequest, context: HandlerContext) {
    return this.useCases.createProduct.execute(callerOf(context), request);
  }

  getProduct(request: GetProductRequest, context: HandlerContext) {
    return this.useCases.getProduct.execute(callerOf(context), request);
  }

  listProducts(request: ListProductsRequest, context: HandlerContext) {
    return this.useCases.listProducts.execute(callerOf(context), request);
  }

  updateProduct(request: UpdateProductRequest, context: HandlerContext) {
    return this.useCases.updateProduct.execute(callerOf(context), request);
  }

  archiveProduct(request: ArchiveProductRequest, context: HandlerContext) {
    return this.useCases.archiveProduct.execute(callerOf(context), request);
  }

  batchCreateProducts(request: BatchCreateProductsRequest, context: HandlerContext) {
    return this.useCases.batchCreateProducts.execute(callerOf(context), request);
  }
}

/** The CatalogService handler over its use cases. */
export function catalogHandler(deps: {
  orm: MikroORM;
  onCommitted: () => void;
  pageTokens: () => Promise<PageTokens>;
}): CatalogServiceHandler {
  return new CatalogServiceHandler({
    createProduct: new CreateProduct(deps),
    getProduct: new GetProduct(deps.orm),
    listProducts: new ListProducts(deps.orm, deps.pageTokens),
    updateProduct: new UpdateProduct(deps),
    archiveProduct: new ArchiveProduct(deps),
    batchCreateProducts: new BatchCreateProducts(deps),
  });
}
