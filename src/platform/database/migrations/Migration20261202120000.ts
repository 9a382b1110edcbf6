import { Migration } from "@mikro-orm/migrations";

/**
 * `shipping_methods` (the ShippingMethod entity of src/shipping): a tenant's carriers' services with their countries
 * (text[]) and rates per currency (jsonb in the checkout engine's shape, every amount a decimal string: a check
 * refuses any JSON number in them), and the index ListShippingMethods pages through (oldest first, id breaks ties).
 * The SQL is what MikroORM's schema generator writes for the entity.
 */
export class Migration20261202120000 extends Migration {
  override name = "Migration20261202120000";

  override up(): void {
    this.addSql(
      `create table "shipping_methods" ("id" uuid not null, "tenant_id" uuid not null, "display_name" text not null, "carrier" text not null, "service" text not null, "countries" text[] not null, "rates" jsonb not null, "active" boolean not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "shipping_methods_tenant_id_created_at_id_index" on "shipping_methods" ("tenant_id", "created_at", "id")`,
    );
    this.addSql(
      `alter table "shipping_methods" add constraint "shipping_methods_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "shipping_methods" add constraint "shipping_methods_rates_without_numbers" check (jsonb_typeof(rates) = 'array' and not jsonb_path_exists(rates, 'strict $.**?(@.type() == "number")'))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "shipping_methods" cascade`);
  }
}
