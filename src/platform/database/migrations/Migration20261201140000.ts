import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 11, references an order resolves: the company it is placed for (foreign key to companies), the market,
 * sales channel and preferred stock location (StoreService; checked at creation), an index for ListOrders' company
 * filter, and the catalog snapshot of a line (the SKU the client sent, tax category, weight). The SQL is what
 * MikroORM's schema generator writes for the entities.
 */
export class Migration20261201140000 extends Migration {
  override name = "Migration20261201140000";

  override up(): void {
    this.addSql(
      `alter table "orders" add "company_id" uuid null, add "market_id" uuid null, add "sales_channel_id" uuid null, add "preferred_stock_location_id" uuid null`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_company_id_foreign" foreign key ("company_id") references "companies" ("id") on delete no action`,
    );
    this.addSql(
      `create index orders_tenant_id_company_id_created_at_id_index on orders (tenant_id, company_id, created_at desc, id desc)`,
    );
    this.addSql(
      `alter table "order_lines" add "requested_sku" text null, add "tax_category" text null, add "weight_grams" int null`,
    );
  }

  override down(): void {
    this.addSql(`alter table "orders" drop constraint "orders_company_id_foreign"`);
    this.addSql(
      `alter table "order_lines" drop column "requested_sku", drop column "tax_category", drop column "weight_grams"`,
    );
    this.addSql(`drop index "orders_tenant_id_company_id_created_at_id_index"`);
    this.addSql(
      `alter table "orders" drop column "company_id", drop column "market_id", drop column "sales_channel_id", drop column "preferred_stock_location_id"`,
    );
  }
}
