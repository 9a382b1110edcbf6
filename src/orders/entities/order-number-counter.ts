import { defineEntity, p } from "@mikro-orm/core";

/**
 * `order_number_counters`: last order number handed out per tenant. Only written by the single
 * upsert statement in ../queries/order-numbers.ts; mapped here so the schema diff knows the table.
 */
export const OrderNumberCounterSchema = defineEntity({
  name: "OrderNumberCounter",
  tableName: "order_number_counters",
  properties: {
    tenantId: p.uuid().primary(),
    // bigint as a string: exact beyond 2^53 and the value is only ever used as text
    lastValue: p.bigint("string"),
  },
});

export class OrderNumberCounter extends OrderNumberCounterSchema.class {}

OrderNumberCounterSchema.setClass(OrderNumberCounter);
