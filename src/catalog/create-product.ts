import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  CreateProductRequestSchema,
  CreateProductResponseSchema,
  type CreateProductRequest,
  type CreateProductResponse,
} from "../../gen/orders/v1/catalog_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyKey, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { fieldViolation } from "../money/field-violation.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { abortedOnDeadlock } from "./catalog-errors.js";
import { checkNewProducts, writeNewProducts } from "./new-products.js";

export interface CatalogWriteDeps {
  orm: MikroORM;
  /** Called after each commit so the in-process relay publishes without waiting for its poll. */
  onCommitted: () => void;
}

/** CreateProduct: the product, its variants, SKUs, prices, event and idempotency record in one transaction. */
export class CreateProduct {
  constructor(private readonly deps: CatalogWriteDeps) {}

  async execute(principal: Principal, request: CreateProductRequest): Promise<CreateProductResponse> {
    const { product } = request;
    if (!product) throw ServiceError.invalidArgument([fieldViolation("product", "REQUIRED", "is required")]);
    const em = this.deps.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CatalogService/CreateProduct",
          CreateProductRequestSchema,
          request,
        )
      : undefined;
    return idempotently(em, key, CreateProductResponseSchema, async () => {
      const checked = checkNewProducts([{ product, field: "product" }]);
      const now = new Date();
      const response = await abortedOnDeadlock(() =>
        em.fork().transactional(async (tx) => {
          const [created] = await writeNewProducts(tx, principal.tenantId, checked, now);
          const answer = create(CreateProductResponseSchema, { product: created });
          if (key) recordResponse(tx, key, CreateProductResponseSchema, answer, now);
          return answer;
        }),
      );
      this.deps.onCommitted();
      return response;
    });
  }
}
