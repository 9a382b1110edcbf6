import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListProductsResponseSchema,
  type ListProductsRequest,
  type ListProductsResponse,
} from "../../gen/orders/v1/catalog_service_pb.js";
import { ProductStatus } from "../../gen/orders/v1/product_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { productToMessage } from "./product-mapper.js";
import { selectProductPage, type ProductFilters } from "./queries/read-products.js";
import { skuKey } from "./rules/sku.js";

export const DEFAULT_PAGE_SIZE = 50;
/** Lower than ListOrders' 500: a product carries up to 100 variants. */
export const MAX_PAGE_SIZE = 100;

/**
 * ListProducts: a tenant's products newest first, filtered, by keyset pages (AIP-158) signed like
 * ListOrders' (platform/pagination), whose fingerprint names this listing so no other List method's
 * token fits.
 */
export class ListProducts {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListProductsRequest): Promise<ListProductsResponse> {
    const filters: ProductFilters = {
      status:
        request.status === ProductStatus.ACTIVE
          ? "active"
          : request.status === ProductStatus.ARCHIVED
            ? "archived"
            : undefined,
      skuKey: request.sku === "" ? undefined : skuKey(request.sku),
      titlePrefix: request.titlePrefix === "" ? undefined : request.titlePrefix,
    };
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({ listing: "products", tenant: principal.tenantId, ...filters });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectProductPage(this.orm.em.fork(), principal.tenantId, filters, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListProductsResponseSchema, {
      products: page.map(productToMessage),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
