import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  DisableGiftCardRequest,
  GetGiftCardRequest,
  GiftCardsService,
  IssueGiftCardRequest,
  ListGiftCardsRequest,
  ListGiftCardTransactionsRequest,
  LookupGiftCardRequest,
} from "../../gen/orders/v1/gift_cards_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { DisableGiftCard } from "./disable-gift-card.js";
import { GetGiftCard } from "./get-gift-card.js";
import { IssueGiftCard } from "./issue-gift-card.js";
import { ListGiftCardTransactions } from "./list-gift-card-transactions.js";
import { ListGiftCards } from "./list-gift-cards.js";
import { LookupGiftCard } from "./lookup-gift-card.js";

/** orders.v1.GiftCardsService: a thin adapter from RPCs to use cases. */
export class GiftCardsServiceHandler implements ServiceImpl<typeof GiftCardsService> {
  constructor(
    private readonly useCases: {
      issueGiftCard: IssueGiftCard;
      getGiftCard: GetGiftCard;
      lookupGiftCard: LookupGiftCard;
      listGiftCards: ListGiftCards;
      disableGiftCard: DisableGiftCard;
      listGiftCardTransactions: ListGiftCardTransactions;
    },
  ) {}

  issueGiftCard(request: IssueGiftCardRequest, context: HandlerContext) {
    return this.useCases.issueGiftCard.execute(callerOf(context), request);
  }

  getGiftCard(request: GetGiftCardRequest, context: HandlerContext) {
    return this.useCases.getGiftCard.execute(callerOf(context), request);
  }

  lookupGiftCard(request: LookupGiftCardRequest, context: HandlerContext) {
    return this.useCases.lookupGiftCard.execute(callerOf(context), request);
  }

  listGiftCards(request: ListGiftCardsRequest, context: HandlerContext) {
    return this.useCases.listGiftCards.execute(callerOf(context), request);
  }

  disableGiftCard(request: DisableGiftCardRequest, context: HandlerContext) {
    return this.useCases.disableGiftCard.execute(callerOf(context), request);
  }

  listGiftCardTransactions(request: ListGiftCardTransactionsRequest, context: HandlerContext) {
    return this.useCases.listGiftCardTransactions.execute(callerOf(context), request);
  }
}

export interface GiftCardsDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
}

/** The GiftCardsService handler over its use cases. */
export function giftCardsHandler(deps: GiftCardsDeps): GiftCardsServiceHandler {
  return new GiftCardsServiceHandler({
    issueGiftCard: new IssueGiftCard(deps.orm),
    getGiftCard: new GetGiftCard(deps.orm),
    lookupGiftCard: new LookupGiftCard(deps.orm),
    listGiftCards: new ListGiftCards(deps.orm, deps.pageTokens),
    disableGiftCard: new DisableGiftCard(deps.orm),
    listGiftCardTransactions: new ListGiftCardTransactions(deps.orm, deps.pageTokens),
  });
}
