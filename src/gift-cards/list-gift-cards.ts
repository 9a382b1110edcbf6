import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListGiftCardsResponseSchema,
  type ListGiftCardsRequest,
  type ListGiftCardsResponse,
} from "../../gen/orders/v1/gift_cards_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { giftCardToMessage } from "./gift-card-mapper.js";
import { selectGiftCardPage } from "./queries.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ListGiftCards: a tenant's cards newest first, by keyset pages (AIP-158) signed like ListOrders'
 * (platform/pagination), whose fingerprint names this listing so no other List method's token fits.
 */
export class ListGiftCards {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListGiftCardsRequest): Promise<ListGiftCardsResponse> {
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({ listing: "gift-cards", tenant: principal.tenantId });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectGiftCardPage(this.orm.em.fork(), principal.tenantId, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListGiftCardsResponseSchema, {
      giftCards: page.map((card) => giftCardToMessage(card)),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
