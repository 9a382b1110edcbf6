import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListShippingMethodsResponseSchema,
  type ListShippingMethodsRequest,
  type ListShippingMethodsResponse,
} from "../../gen/orders/v1/shipping_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { selectShippingMethodPage } from "./queries.js";
import { shippingMethodToMessage } from "./shipping-mapper.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ListShippingMethods: a tenant's methods oldest first, all or only the active (inactive) ones, by keyset pages
 * (AIP-158) signed like ListOrders' (platform/pagination), whose fingerprint names this listing and its filter
 * so no other List method's token, nor one of another filter, fits.
 */
export class ListShippingMethods {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListShippingMethodsRequest): Promise<ListShippingMethodsResponse> {
    const pageTokens = await this.pageTokens();
    const active = request.active === undefined ? undefined : request.active ? "active" : "inactive";
    const fingerprint = pageTokens.fingerprint({ listing: "shipping_methods", tenant: principal.tenantId, active });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectShippingMethodPage(
      this.orm.em.fork(),
      principal.tenantId,
      request.active,
      cursor,
      pageSize + 1,
    );
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListShippingMethodsResponseSchema, {
      shippingMethods: page.map(shippingMethodToMessage),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
