import { defineEntity, p } from "@mikro-orm/core";
import type { OrderMetadata, TaxLineRecord } from "./json-types.js";
import { Order } from "./order.js";
import { money, uuidPrimaryKey } from "../../platform/database/entity-properties.js";

/**
 * `order_lines`: one line of an order, `position` is its 0-based index in the request. Deleting the
 * order deletes its lines (`on delete cascade`). `tenant_id` is repeated so every query can filter by it.
 */
export const OrderLineSchema = defineEntity({
  name: "OrderLine",
  tableName: "order_lines",
  properties: {
    ...uuidPrimaryKey,
    order: () => p.manyToOne(Order).deleteRule("cascade"),
    tenantId: p.uuid(),
    position: p.integer(),
    sku: p.text(),
    name: p.text(),
    description: p.text().nullable(),
    quantity: p.integer(),
    unitPrice: money(),
    taxAmount: money().nullable(),
    lineTotal: money(),
    productId: p.uuid().nullable(),
    variantId: p.uuid().nullable(),
    metadata: p
      .json<OrderMetadata>()
      .defaultRaw("'{}'")
      .onCreate(() => ({})),
    privateMetadata: p
      .json<OrderMetadata>()
      .defaultRaw("'{}'")
      .onCreate(() => ({})),
    // the catalog's, when the line was placed (null for a custom line)
    requestedSku: p.text().nullable(),
    taxCategory: p.text().nullable(),
    weightGrams: p.integer().nullable(),
    // Issue 12: the line's share of the order's discounts and its taxes (server-side tax only)
    discountTotal: money().defaultRaw("0"),
    taxLines: p
      .json<TaxLineRecord[]>()
      .defaultRaw("'[]'")
      .onCreate(() => []),
    // Issue 14 §1: where the line's stock is reserved, how much of it is still reserved, and how much was short
    // (inventory/public.ts reserves; the line keeps what it holds so cancel and shipments give back exactly that)
    stockLocationId: p.uuid().nullable(),
    reservedQuantity: p.integer().default(0),
    backorderedQuantity: p.integer().default(0),
  },
  uniques: [{ name: "order_lines_order_id_position_unique", properties: ["order", "position"] }],
});

export class OrderLine extends OrderLineSchema.class {}

OrderLineSchema.setClass(OrderLine);
