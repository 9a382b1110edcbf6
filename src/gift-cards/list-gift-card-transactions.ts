import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListGiftCardTransactionsResponseSchema,
  type ListGiftCardTransactionsRequest,
  type ListGiftCardTransactionsResponse,
} from "../../gen/orders/v1/gift_cards_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { giftCardNotFound } from "./gift-card-errors.js";
import { transactionToMessage } from "./gift-card-mapper.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./list-gift-cards.js";
import { selectGiftCard, selectTransactionPage } from "./queries.js";

/**
 * ListGiftCardTransactions: one card's ledger oldest first, by keyset pages (AIP-158) whose fingerprint
 * names the card, so a token continues only the ledger it came from.
 */
export class ListGiftCardTransactions {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(
    principal: Principal,
    request: ListGiftCardTransactionsRequest,
  ): Promise<ListGiftCardTransactionsResponse> {
    const em = this.orm.em.fork();
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({
      listing: "gift-card-transactions",
      tenant: principal.tenantId,
      giftCardId: request.giftCardId,
    });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const card = await selectGiftCard(em, principal.tenantId, { id: request.giftCardId });
    if (!card) throw giftCardNotFound(request.giftCardId);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await selectTransactionPage(em, principal.tenantId, card.id, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListGiftCardTransactionsResponseSchema, {
      transactions: page.map((row) => transactionToMessage(row, card.currency)),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
