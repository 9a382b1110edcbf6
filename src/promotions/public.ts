/**
 * What other capabilities may use of promotions, and all they may use (.dependency-cruiser.cjs checks it):
 * for an order, in the order's own transaction, the promotions its coupon codes name (the pricing engine's
 * PromotionCandidate, with usage counts, under the promotions' row locks when placing the order), the
 * record of the uses it made (without those locks for promotions without limits), and their release when it is
 * canceled. Never promotions' tables or use cases.
 */
export {
  findPromotionsForCodes,
  recordRedemptions,
  recordUnlimitedRedemptions,
  releaseRedemptions,
  type Redemption,
} from "./queries/redemptions.js";
export type { Buyer } from "./rules/buyer.js";
