import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  CreatePromotionRequest,
  DeactivatePromotionRequest,
  GetPromotionRequest,
  ListPromotionsRequest,
  PromotionsService,
  UpdatePromotionRequest,
} from "../../gen/orders/v1/promotions_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { CreatePromotion } from "./create-promotion.js";
import { DeactivatePromotion } from "./deactivate-promotion.js";
import { GetPromotion } from "./get-promotion.js";
import { ListPromotions } from "./list-promotions.js";
import { UpdatePromotion } from "./update-promotion.js";

/** orders.v1.PromotionsService: a thin adapter from RPCs to use cases. */
export class PromotionsServiceHandler implements ServiceImpl<typeof PromotionsService> {
  constructor(
    private readonly useCases: {
      createPromotion: CreatePromotion;
      getPromotion: GetPromotion;
      listPromotions: ListPromotions;
      updatePromotion: UpdatePromotion;
      deactivatePromotion: DeactivatePromotion;
    },
  ) {}

  createPromotion(request: CreatePromotionRequest, context: HandlerContext) {
    return this.useCases.createPromotion.execute(callerOf(context), request);
  }

  getPromotion(request: GetPromotionRequest, context: HandlerContext) {
    return this.useCases.getPromotion.execute(callerOf(context), request);
  }

  listPromotions(request: ListPromotionsRequest, context: HandlerContext) {
    return this.useCases.listPromotions.execute(callerOf(context), request);
  }

  updatePromotion(request: UpdatePromotionRequest, context: HandlerContext) {
    return this.useCases.updatePromotion.execute(callerOf(context), request);
  }

  deactivatePromotion(request: DeactivatePromotionRequest, context: HandlerContext) {
    return this.useCases.deactivatePromotion.execute(callerOf(context), request);
  }
}

export interface PromotionsDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
}

/** The PromotionsService handler over its use cases. */
export function promotionsHandler(deps: PromotionsDeps): PromotionsServiceHandler {
  return new PromotionsServiceHandler({
    createPromotion: new CreatePromotion(deps.orm),
    getPromotion: new GetPromotion(deps.orm),
    listPromotions: new ListPromotions(deps.orm, deps.pageTokens),
    updatePromotion: new UpdatePromotion(deps.orm),
    deactivatePromotion: new DeactivatePromotion(deps.orm),
  });
}
