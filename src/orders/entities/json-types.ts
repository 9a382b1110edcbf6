import type { JsonObject } from "@bufbuild/protobuf";

// Shapes of the orders' jsonb columns (addresses: AddressRecord, from customers/public.ts). Keys follow
// the protobuf JSON names (camelCase) of the contract's messages.

/** Free-form string metadata attached to an order (`orders.metadata`, default `{}`). */
export type OrderMetadata = Record<string, string>;

/**
 * Shipment details as stored in `orders.fulfillment` (jsonb, null until fulfilled). Keys follow the
 * protobuf JSON names of orders.v1.Fulfillment; times are RFC 3339 strings, as in protobuf JSON.
 */
export interface FulfillmentRecord {
  carrier?: string;
  service?: string;
  trackingNumber?: string;
  shipTime?: string;
  deliverTime?: string;
}

/** The units of one line in a fulfillment: protobuf JSON of orders.v1.FulfillmentLine. */
export interface FulfillmentLineRecord {
  lineId: string;
  quantity: number;
}

/**
 * One shipment (`orders.fulfillments`, jsonb, default `[]`, oldest first): protobuf JSON of orders.v1.OrderFulfillment,
 * times RFC 3339; `deliverTime` absent until DeliverOrder.
 */
export interface OrderFulfillmentRecord {
  id: string;
  lines: FulfillmentLineRecord[];
  stockLocationId: string;
  carrier: string;
  service: string;
  trackingNumbers: string[];
  shipTime: string;
  deliverTime?: string;
}

/** The units of one line in a return: protobuf JSON of orders.v1.ReturnLine. */
export interface ReturnLineRecord {
  lineId: string;
  quantity: number;
  amount: string;
  restock: boolean;
}

/**
 * One return (`orders.returns`, jsonb, default `[]`, oldest first): protobuf JSON of orders.v1.OrderReturn, `state`
 * its enum name, times RFC 3339; `refundedAmount` and `receiveTime` absent until ReceiveReturn.
 */
export interface ReturnRecord {
  id: string;
  state: "RETURN_STATE_REQUESTED" | "RETURN_STATE_RECEIVED";
  lines: ReturnLineRecord[];
  reason: string;
  refundShipping: boolean;
  shippingAmount: string;
  refundAmount: string;
  refundedAmount?: string;
  requestTime: string;
  receiveTime?: string;
}

/**
 * Why an order is held (`orders.hold`, jsonb, null unless the status is on_hold): protobuf JSON of orders.v1.OrderHold,
 * times RFC 3339. `holdUntil` is absent for a hold only ReleaseOrder ends.
 */
export interface HoldRecord {
  reason: string;
  holdTime: string;
  holdUntil?: string;
}

/** Labels of an order (`orders.tags`, default `[]`), in the order given, no duplicates. */
export type OrderTags = string[];

/**
 * Typed custom fields of an order (`orders.custom_fields`, null when none): the protobuf JSON form of the
 * google.protobuf.Struct given at creation, kept as given.
 */
export type CustomFields = JsonObject;

/** One tax of a line or of the shipping: protobuf JSON of orders.v1.TaxLine, amounts as decimal strings. */
export interface TaxLineRecord {
  displayName: string;
  rate: string;
  amount: string;
  included: boolean;
}

/** `orders.shipping_line` (null when the order named no method): protobuf JSON of orders.v1.ShippingLine. */
export interface ShippingLineRecord {
  shippingMethodId: string;
  displayName: string;
  carrier: string;
  service: string;
  amount: string;
  discountTotal: string;
  taxLines: TaxLineRecord[];
}

/** One of `orders.adjustments` (default `[]`): protobuf JSON of orders.v1.OrderAdjustment, `kind` its enum name. */
export interface AdjustmentRecord {
  promotionId: string;
  code: string;
  displayName: string;
  kind: string;
  amount: string;
  allocations: { lineIndex: number; amount: string }[];
  shippingAmount: string;
  orderAmount: string;
}

/** One of `orders.payments` (default `[]`): protobuf JSON of orders.v1.OrderPayment, `state` its enum name. */
export interface PaymentRecord {
  id: string;
  method: string;
  gatewayReference: string;
  amount: string;
  capturedAmount: string;
  state: string;
  giftCardId: string;
  giftCardLastCharacters: string;
  /** RFC 3339. */
  createTime: string;
  /** What was refunded of capturedAmount (rules/refunds.ts); absent on payments nothing was refunded of. */
  refundedAmount?: string;
}
