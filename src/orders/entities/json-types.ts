// Shapes of the jsonb columns. Keys follow the protobuf JSON names (camelCase) of orders.v1.Address,
// so an address can be copied between the contract and the row without renaming fields.

/** A postal address snapshot as stored in `*_address` jsonb columns. */
export interface AddressRecord {
  name?: string;
  company?: string;
  line1: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  phone?: string;
  email?: string;
}

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
