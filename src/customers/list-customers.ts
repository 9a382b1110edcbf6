import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListCustomersResponseSchema,
  type ListCustomersRequest,
  type ListCustomersResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { customerToMessage } from "./customer-mapper.js";
import { selectCustomerPage } from "./queries.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ListCustomers: a tenant's customers newest first, optionally of one company, by keyset pages (AIP-158)
 * signed like ListOrders' (platform/pagination), whose fingerprint names this listing.
 */
export class ListCustomers {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListCustomersRequest): Promise<ListCustomersResponse> {
    const companyId = request.companyId === "" ? undefined : request.companyId;
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({ listing: "customers", tenant: principal.tenantId, companyId });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectCustomerPage(this.orm.em.fork(), principal.tenantId, companyId, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListCustomersResponseSchema, {
      customers: page.map((row) => customerToMessage(row, row)),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
