import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 12, the tenant's tax configuration (src/tax): `tax_zones` (a country, a region or '' for all, postal code
 * prefixes, rates as one jsonb list of decimal strings, a check refusing JSON numbers; the unique constraint keeps one zone per place and is the
 * range the one-statement configuration read scans), and `tax_settings`, one row per tenant (the singleton),
 * written by its first change. The SQL is what MikroORM's schema generator writes for the entities.
 */
export class Migration20261202100000 extends Migration {
  override name = "Migration20261202100000";

  override up(): void {
    this.addSql(
      `create table "tax_zones" ("id" uuid not null, "tenant_id" uuid not null, "display_name" text not null, "country" text not null, "region" text not null, "postal_code_prefixes" text[] not null, "rates" jsonb not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "tax_zones_tenant_id_created_at_id_index" on "tax_zones" ("tenant_id", "created_at", "id")`,
    );
    this.addSql(
      `alter table "tax_zones" add constraint "tax_zones_place_unique" unique ("tenant_id", "country", "region", "postal_code_prefixes")`,
    );
    this.addSql(
      `alter table "tax_zones" add constraint "tax_zones_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "tax_zones" add constraint "tax_zones_rates_without_numbers" check (jsonb_typeof(rates) = 'array' and not jsonb_path_exists(rates, 'strict $.**?(@.type() == "number")'))`,
    );
    this.addSql(
      `create table "tax_settings" ("tenant_id" uuid not null, "prices_include_tax" boolean not null default false, "market_overrides" jsonb not null default '[]', "tax_shipping" boolean not null default false, "shipping_tax_category" text not null default 'standard', "rounding" text not null default 'LINE', "version" int not null default 1, "updated_at" timestamptz null, primary key ("tenant_id"))`,
    );
    this.addSql(
      `alter table "tax_settings" add constraint "tax_settings_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "tax_settings" add constraint "tax_settings_rounding_check" check ("rounding" in ('LINE', 'ORDER'))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "tax_settings" cascade`);
    this.addSql(`drop table if exists "tax_zones" cascade`);
  }
}
