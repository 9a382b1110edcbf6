import { defineEntity, p } from "@mikro-orm/core";
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import { uuidPrimaryKey } from "../../platform/database/entity-properties.js";

/** A stored line: its id and the LineItemInput it was given, in proto JSON. */
export interface CartLineRecord {
  id: string;
  item: JsonObject;
}

/**
 * `carts`: the draft of an order (docs/carts.md). A cart is read and written whole (one row, its lines a JSON array
 * in the order added), so one row version guards every change and one row lock serializes its placement. What a
 * CreateOrderRequest would hold is kept in proto JSON (addresses, shipping method, line items) exactly as given: the
 * cart is priced from it on every read, never from stored totals. `state` is "active" or "completed" (then
 * `order_id`); a cart past `expires_at` (CART_TTL after its last change) reads as missing and housekeeping deletes it.
 * Test and live keys each see their own carts (`is_test`). `customer_id` is not a foreign key: the customer is
 * checked by pricing, as CreateOrder checks it, and a cart never blocks deleting one.
 */
export const CartSchema = defineEntity({
  name: "Cart",
  tableName: "carts",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    isTest: p.boolean(),
    state: p.text(),
    orderId: p.uuid().nullable(),
    customerId: p.uuid().nullable(),
    email: p.text().nullable(),
    currency: p.character().length(3).nullable(),
    billingAddress: p.json<JsonValue>().nullable(),
    shippingAddress: p.json<JsonValue>().nullable(),
    shippingMethod: p.json<JsonValue>().nullable(),
    couponCodes: p.json<string[]>(),
    giftCardCodes: p.json<string[]>(),
    metadata: p.json<Record<string, string>>(),
    lines: p.json<CartLineRecord[]>(),
    expiresAt: p.datetime(),
    version: p.integer().version(),
    createdAt: p.datetime(),
    // Set by each change to the time of that change (as orders do), from which expires_at is counted.
    updatedAt: p.datetime(),
  },
  checks: [
    { name: "carts_state_check", expression: "state in ('active', 'completed')" },
    {
      name: "carts_completed_order_check",
      expression: "(state = 'completed') = (order_id is not null)",
    },
  ],
  indexes: [{ name: "carts_expires_at_index", properties: ["expiresAt"] }],
});

export class Cart extends CartSchema.class {}

CartSchema.setClass(Cart);
