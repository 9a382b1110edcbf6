import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListTaxZonesResponseSchema,
  type ListTaxZonesRequest,
  type ListTaxZonesResponse,
} from "../../gen/orders/v1/tax_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { selectTaxZonePage } from "./queries.js";
import { taxZoneToMessage } from "./tax-mapper.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ListTaxZones: a tenant's zones oldest first, optionally of one country, by keyset pages (AIP-158) signed
 * like ListOrders' (platform/pagination), whose fingerprint names this listing so no other List method's
 * token fits.
 */
export class ListTaxZones {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListTaxZonesRequest): Promise<ListTaxZonesResponse> {
    const country = request.country === "" ? undefined : request.country;
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({ listing: "tax_zones", tenant: principal.tenantId, country });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectTaxZonePage(this.orm.em.fork(), principal.tenantId, country, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListTaxZonesResponseSchema, {
      taxZones: page.map(taxZoneToMessage),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
