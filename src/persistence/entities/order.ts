import { Cascade, defineEntity, p } from "@mikro-orm/core";
import { Customer } from "./customer.js";
import type { AddressRecord, OrderMetadata } from "./json-types.js";
import { OrderLine } from "./order-line.js";
import { money, timestamps, uuidPrimaryKey } from "./shared-properties.js";
import { Tenant } from "./tenant.js";

/**
 * `orders`: one placed order. Money columns are `numeric(19,4)` decimal strings; `lines` is loaded
 * in request order (`position`) and persisted together with the order (cascade persist).
 * `version` is an optimistic lock the ORM bumps on every update.
 */
export const OrderSchema = defineEntity({
  name: "Order",
  tableName: "orders",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    orderNumber: p.text(),
    customer: () => p.manyToOne(Customer),
    status: p.text(),
    paymentStatus: p.text(),
    currency: p.character().length(3),
    channel: p.text(),
    propertyId: p.text().nullable(),
    subtotal: money(),
    shippingTotal: money(),
    discountTotal: money(),
    taxTotal: money(),
    total: money(),
    shippingAddress: p.json<AddressRecord>().nullable(),
    billingAddress: p.json<AddressRecord>().nullable(),
    customerNote: p.text().nullable(),
    internalNote: p.text().nullable(),
    metadata: p.json<OrderMetadata>().defaultRaw("'{}'").onCreate(() => ({})),
    requestId: p.uuid().nullable(),
    version: p.integer().version(),
    ...timestamps,
    lines: () =>
      p.oneToMany(OrderLine).mappedBy("order").orderBy({ position: "asc" }).cascade(Cascade.PERSIST),
  },
  uniques: [{ name: "orders_tenant_id_order_number_unique", properties: ["tenant", "orderNumber"] }],
  indexes: [
    {
      // newest-first listing per tenant, `id` breaks ties for keyset pagination. Written as a raw
      // expression because MikroORM 7.2.1 introspection reads `id DESC` as the `id` inside
      // `tenant_id` and would otherwise rebuild this index on every schema diff.
      name: "orders_tenant_id_created_at_id_index",
      expression:
        "create index orders_tenant_id_created_at_id_index on orders (tenant_id, created_at desc, id desc)",
    },
  ],
});

export class Order extends OrderSchema.class {}

OrderSchema.setClass(Order);
