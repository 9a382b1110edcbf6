import { defineEntity, p } from "@mikro-orm/core";
import { Order } from "./order.js";
import { createdAt, money, uuidPrimaryKey } from "../../platform/database/entity-properties.js";

export const HISTORY_ENTRY_KINDS = ["status", "payment"] as const;
export type HistoryEntryKind = (typeof HISTORY_ENTRY_KINDS)[number];

/**
 * `order_history_entries`: one status or payment change of an order, appended in the change's own
 * transaction and never updated. `position` numbers an order's entries from 0 in the order they
 * were made (the order row is locked while one is appended), so entries made in the same
 * millisecond still read back in order. A `from_*` column is null for an entry that records the
 * state an order was imported in.
 */
export const OrderHistoryEntrySchema = defineEntity({
  name: "OrderHistoryEntry",
  tableName: "order_history_entries",
  properties: {
    ...uuidPrimaryKey,
    order: () => p.manyToOne(Order).deleteRule("cascade"),
    tenantId: p.uuid(),
    position: p.integer(),
    kind: p.enum(HISTORY_ENTRY_KINDS),
    fromStatus: p.text().nullable(),
    toStatus: p.text().nullable(),
    fromPaymentStatus: p.text().nullable(),
    toPaymentStatus: p.text().nullable(),
    amount: money().nullable(),
    reason: p.text().nullable(),
    paymentMethod: p.text().nullable(),
    gatewayReference: p.text().nullable(),
    // no foreign key: a key may be deleted one day, its changes stay attributed to its id
    apiKeyId: p.uuid().nullable(),
    ...createdAt,
  },
  uniques: [{ name: "order_history_entries_order_id_position_unique", properties: ["order", "position"] }],
});

export class OrderHistoryEntry extends OrderHistoryEntrySchema.class {}

OrderHistoryEntrySchema.setClass(OrderHistoryEntry);
