import { create } from "@bufbuild/protobuf";
import {
  BatchCreateProductsRequestSchema,
  BatchCreateProductsResponseSchema,
  type BatchCreateProductsRequest,
  type BatchCreateProductsResponse,
} from "../../gen/orders/v1/catalog_service_pb.js";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyKey, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { CatalogWriteDeps } from "./create-product.js";
import { abortedOnDeadlock } from "./catalog-errors.js";
import { checkNewProducts, writeNewProducts } from "./new-products.js";

/** A batch writes at most this many variants (1,000 products of 10 variants, or fewer larger ones). */
export const MAX_BATCH_VARIANTS = 10_000;

/**
 * BatchCreateProducts (AIP-233): up to 1,000 products with their variants, SKUs, prices and events in
 * ONE transaction, all or nothing, with one statement per table (queries/write-products.ts).
 */
export class BatchCreateProducts {
  constructor(private readonly deps: CatalogWriteDeps) {}

  async execute(principal: Principal, request: BatchCreateProductsRequest): Promise<BatchCreateProductsResponse> {
    const em = this.deps.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CatalogService/BatchCreateProducts",
          BatchCreateProductsRequestSchema,
          request,
        )
      : undefined;
    return idempotently(em, key, BatchCreateProductsResponseSchema, async () => {
      const violations = batchViolations(request);
      if (violations.length > 0) throw ServiceError.invalidArgument(violations);
      // Every request has its product by now (batchViolations).
      const checked = checkNewProducts(
        request.requests.flatMap((entry, i) =>
          entry.product ? [{ product: entry.product, field: `requests[${i}].product` }] : [],
        ),
      );
      const now = new Date();
      const response = await abortedOnDeadlock(() =>
        em.fork().transactional(async (tx) => {
          const products = await writeNewProducts(tx, principal.tenantId, checked, now);
          const answer = create(BatchCreateProductsResponseSchema, { products });
          if (key) recordResponse(tx, key, BatchCreateProductsResponseSchema, answer, now);
          return answer;
        }),
      );
      this.deps.onCommitted();
      return response;
    });
  }
}

/** The rules of the batch itself: 1 to 1,000 requests, each with a product and no request_id of its own, 10,000 variants at most. */
function batchViolations(request: BatchCreateProductsRequest): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (request.requests.length === 0) {
    violations.push(fieldViolation("requests", "REQUIRED", "a batch creates at least one product"));
  }
  request.requests.forEach((entry, i) => {
    if (!entry.product) violations.push(fieldViolation(`requests[${i}].product`, "REQUIRED", "is required"));
    if (entry.requestId !== "") {
      violations.push(
        fieldViolation(
          `requests[${i}].request_id`,
          "NOT_ALLOWED",
          "the products of a batch have no request_id of their own: the batch's request_id covers them all",
        ),
      );
    }
  });
  const variants = request.requests.reduce((sum, entry) => sum + (entry.product?.variants.length ?? 0), 0);
  if (variants > MAX_BATCH_VARIANTS) {
    violations.push(
      fieldViolation(
        "requests",
        "TOO_MANY_VARIANTS",
        `a batch creates at most ${MAX_BATCH_VARIANTS} variants; this one has ${variants}: split it`,
      ),
    );
  }
  return violations;
}
