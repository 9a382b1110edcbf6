import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetProductResponseSchema,
  type GetProductRequest,
  type GetProductResponse,
} from "../../gen/orders/v1/catalog_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { productNotFound } from "./catalog-errors.js";
import { productToMessage } from "./product-mapper.js";
import { selectProducts } from "./queries/read-products.js";

/** GetProduct: one product of the caller's tenant, archived or not. */
export class GetProduct {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetProductRequest): Promise<GetProductResponse> {
    const [product] = await selectProducts(this.orm.em.fork(), principal.tenantId, [request.id]);
    if (!product) throw productNotFound(request.id);
    return create(GetProductResponseSchema, { product: productToMessage(product) });
  }
}
