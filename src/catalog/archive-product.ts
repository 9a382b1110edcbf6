import { create } from "@bufbuild/protobuf";
import {
  ArchiveProductRequestSchema,
  ArchiveProductResponseSchema,
  type ArchiveProductRequest,
  type ArchiveProductResponse,
} from "../../gen/orders/v1/catalog_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { productArchived } from "./catalog-errors.js";
import { changeProduct } from "./change-product.js";
import type { CatalogWriteDeps } from "./create-product.js";
import { updateProductRow } from "./queries/write-products.js";

/** ArchiveProduct: ACTIVE -> ARCHIVED under the row lock and etag; publishes product.archived. */
export class ArchiveProduct {
  constructor(private readonly deps: CatalogWriteDeps) {}

  execute(principal: Principal, request: ArchiveProductRequest): Promise<ArchiveProductResponse> {
    const call = {
      procedure: "orders.v1.CatalogService/ArchiveProduct",
      requestSchema: ArchiveProductRequestSchema,
      request,
      productId: request.id,
      etag: request.etag,
      responseSchema: ArchiveProductResponseSchema,
      respond: (product: ArchiveProductResponse["product"]) => create(ArchiveProductResponseSchema, { product }),
    };
    return changeProduct(this.deps, principal, call, async (tx, product, now) => {
      if (product.status === "archived") throw productArchived(product.id);
      await updateProductRow(tx, principal.tenantId, product.id, { ...product, status: "archived" }, now);
      return { type: "product.archived" };
    });
  }
}
