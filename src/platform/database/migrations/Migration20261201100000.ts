import { Migration } from "@mikro-orm/migrations";

/**
 * The catalog (src/catalog/entities): `products`, their `product_variants`, every SKU of a tenant in
 * `product_skus` (primary key (tenant_id, sku_key): a SKU is unique in the tenant, primary and alternate
 * alike) and `variant_prices` (numeric(19,4) per variant and currency). The SQL is what MikroORM's schema
 * generator writes for those entities.
 */
export class Migration20261201100000 extends Migration {
  override name = "Migration20261201100000";

  override up(): void {
    this.addSql(
      `create table "products" ("id" uuid not null, "tenant_id" uuid not null, "title" text not null, "description" text null, "status" text not null, "metadata" jsonb not null default '{}', "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index products_tenant_id_created_at_id_index on products (tenant_id, created_at desc, id desc)`,
    );
    this.addSql(
      `create index products_tenant_id_status_created_at_id_index on products (tenant_id, status, created_at desc, id desc)`,
    );
    this.addSql(
      `create index products_tenant_id_lower_title_index on products (tenant_id, lower(title) text_pattern_ops)`,
    );
    this.addSql(
      `create table "product_variants" ("id" uuid not null, "product_id" uuid not null, "tenant_id" uuid not null, "position" int not null, "name" text not null, "tax_category" text not null, "weight_grams" int null, "metadata" jsonb not null default '{}', primary key ("id"))`,
    );
    this.addSql(
      `create index "product_variants_product_id_position_index" on "product_variants" ("product_id", "position")`,
    );
    this.addSql(
      `create table "product_skus" ("tenant_id" uuid not null, "sku_key" text not null, "sku" text not null, "variant_id" uuid not null, "position" smallint not null, primary key ("tenant_id", "sku_key"))`,
    );
    this.addSql(`create index "product_skus_variant_id_position_index" on "product_skus" ("variant_id", "position")`);
    this.addSql(
      `create table "variant_prices" ("variant_id" uuid not null, "currency" char(3) not null, "amount" numeric(19,4) not null, primary key ("variant_id", "currency"))`,
    );
    this.addSql(
      `alter table "products" add constraint "products_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "products" add constraint "products_status_check" check (status in ('active', 'archived'))`,
    );
    this.addSql(
      `alter table "product_variants" add constraint "product_variants_product_id_foreign" foreign key ("product_id") references "products" ("id") on delete cascade`,
    );
    this.addSql(
      `alter table "product_skus" add constraint "product_skus_variant_id_foreign" foreign key ("variant_id") references "product_variants" ("id") on delete cascade`,
    );
    this.addSql(
      `alter table "variant_prices" add constraint "variant_prices_variant_id_foreign" foreign key ("variant_id") references "product_variants" ("id") on delete cascade`,
    );
    this.addSql(`alter table "variant_prices" add constraint "variant_prices_amount_check" check (amount >= 0)`);
  }

  override down(): void {
    for (const table of ["variant_prices", "product_skus", "product_variants", "products"]) {
      this.addSql(`drop table if exists "${table}" cascade`);
    }
  }
}
