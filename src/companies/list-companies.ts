import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListCompaniesResponseSchema,
  type ListCompaniesRequest,
  type ListCompaniesResponse,
} from "../../gen/orders/v1/companies_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { companyToMessage } from "./company-mapper.js";
import { selectCompanyPage } from "./queries.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ListCompanies: a tenant's companies newest first, by keyset pages (AIP-158) signed like ListOrders'
 * (platform/pagination), whose fingerprint names this listing so no other List method's token fits.
 */
export class ListCompanies {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListCompaniesRequest): Promise<ListCompaniesResponse> {
    const namePrefix = request.namePrefix === "" ? undefined : request.namePrefix;
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({ listing: "companies", tenant: principal.tenantId, namePrefix });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectCompanyPage(this.orm.em.fork(), principal.tenantId, namePrefix, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListCompaniesResponseSchema, {
      companies: page.map(companyToMessage),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
