/**
 * What other capabilities may use of promotions, and all they may use (.dependency-cruiser.cjs checks it):
 * for an order, in the order's own transaction, the promotions its coupon codes name (the pricing engine's
 * PromotionCandidate, with usage counts, under the promotions' row locks when placing the order; without them also
 * as an expression of the caller's statement, promotionCandidatesSql), the record of the uses it made (without
 * those locks for promotions without limits: also as CTEs of the order's own statement, unlimitedRedemptionsPart),
 * and their release when it is canceled. Never promotions' tables or use cases.
 */
export {
  findPromotionsForCodes,
  promotionCandidatesFromJson,
  promotionCandidatesSql,
  promotionLookupValues,
  recordRedemptions,
  recordUnlimitedRedemptions,
  releaseRedemptions,
  unlimitedRedemptionsPart,
  PROMOTION_LIMITED,
  type Redemption,
  type RedemptionsOfOrder,
  type StatementPart,
} from "./queries/redemptions.js";
export type { Buyer } from "./rules/buyer.js";
