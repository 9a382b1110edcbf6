/**
 * What other capabilities may use of inventory (.dependency-cruiser.cjs): orders reserve, release, ship and restock
 * stock in their own transactions (order-stock.ts), and an order's one-statement write refuses itself when a line's
 * variant is tracked (untrackedCondition, reason STOCK_TRACKED), so such orders take the path that reserves.
 */
export {
  releaseStock,
  reserveStock,
  restockStock,
  shipStock,
  type HeldStock,
  type LineAllocation,
  type LineDemand,
  type LineTaken,
  type ReservationOutcome,
  type ShipmentLine,
} from "./order-stock.js";
export { STOCK_TRACKED, untrackedCondition } from "./queries.js";
