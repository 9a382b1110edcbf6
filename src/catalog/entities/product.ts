import { defineEntity, p } from "@mikro-orm/core";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";
import type { CatalogMetadata } from "./json-types.js";

/**
 * `products`: a product of a tenant's catalog; its variants, SKUs and prices are rows of their own
 * tables. `status` is `active` or `archived`. `version` is 1 on creation and one more with every
 * change: the product's etag is derived from it, and it is the sequence number of the product's
 * last event (product.created is 1), since every change publishes exactly one event.
 */
export const ProductSchema = defineEntity({
  name: "Product",
  tableName: "products",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    title: p.text(),
    description: p.text().nullable(),
    status: p.text(),
    metadata: p
      .json<CatalogMetadata>()
      .defaultRaw("'{}'")
      .onCreate(() => ({})),
    version: p.integer().default(1),
    ...timestamps,
  },
  checks: [{ name: "products_status_check", expression: "status in ('active', 'archived')" }],
  indexes: [
    // ListProducts: newest first per tenant, `id` breaks ties for keyset pages; one more with the
    // status filter in front of the listing order. Raw expressions for the reason the orders'
    // listing indexes give (MikroORM 7.2.1 introspection misreads `id desc`).
    {
      name: "products_tenant_id_created_at_id_index",
      expression:
        "create index products_tenant_id_created_at_id_index on products (tenant_id, created_at desc, id desc)",
    },
    {
      name: "products_tenant_id_status_created_at_id_index",
      expression:
        "create index products_tenant_id_status_created_at_id_index on products (tenant_id, status, created_at desc, id desc)",
    },
    // ListProducts' title prefix filter, compared without regard to case: `lower(title) like 'abc%'`.
    {
      name: "products_tenant_id_lower_title_index",
      expression:
        "create index products_tenant_id_lower_title_index on products (tenant_id, lower(title) text_pattern_ops)",
    },
  ],
});

export class Product extends ProductSchema.class {}

ProductSchema.setClass(Product);
