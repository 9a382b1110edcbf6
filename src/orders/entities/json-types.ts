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

/** Labels of an order (`orders.tags`, default `[]`), in the order given, no duplicates. */
export type OrderTags = string[];
