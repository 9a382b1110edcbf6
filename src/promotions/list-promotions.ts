import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListPromotionsResponseSchema,
  type ListPromotionsRequest,
  type ListPromotionsResponse,
} from "../../gen/orders/v1/promotions_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { promotionToMessage } from "./promotion-mapper.js";
import { selectPromotionPage } from "./queries/promotions.js";
import { codeKey } from "./rules/codes.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ListPromotions: a tenant's promotions newest first, by keyset pages (AIP-158) signed like ListOrders'
 * (platform/pagination), whose fingerprint names this listing and its filters so no other token fits.
 */
export class ListPromotions {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListPromotionsRequest): Promise<ListPromotionsResponse> {
    const filters = { active: request.active, code: request.code === "" ? undefined : codeKey(request.code) };
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({
      listing: "promotions",
      tenant: principal.tenantId,
      active: filters.active === undefined ? undefined : String(filters.active),
      code: filters.code,
    });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectPromotionPage(this.orm.em.fork(), principal.tenantId, filters, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListPromotionsResponseSchema, {
      promotions: page.map(promotionToMessage),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
