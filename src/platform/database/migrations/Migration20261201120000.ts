import { Migration } from "@mikro-orm/migrations";

/**
 * The store's tables (src/store/entities): `markets` with one `market_countries` row per country, whose primary
 * key (tenant_id, country) keeps a country in at most one market of a tenant; `sales_channels`, whose partial
 * unique index keeps at most one primary channel per tenant; `stock_locations`. Each has the (tenant_id,
 * created_at, id) index its list pages through. The SQL is what MikroORM's schema generator writes for the
 * entities.
 */
export class Migration20261201120000 extends Migration {
  override name = "Migration20261201120000";

  override up(): void {
    this.addSql(
      `create table "stock_locations" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "address" jsonb not null, "active" boolean not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "stock_locations_tenant_id_created_at_id_index" on "stock_locations" ("tenant_id", "created_at", "id")`,
    );

    this.addSql(
      `create table "sales_channels" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "is_primary" boolean not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "sales_channels_tenant_id_created_at_id_index" on "sales_channels" ("tenant_id", "created_at", "id")`,
    );
    this.addSql(
      `create unique index sales_channels_one_primary_per_tenant on sales_channels (tenant_id) where is_primary`,
    );

    this.addSql(
      `create table "markets" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "currency" char(3) not null, "default_locale" text not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(`create index "markets_tenant_id_created_at_id_index" on "markets" ("tenant_id", "created_at", "id")`);

    this.addSql(
      `create table "market_countries" ("tenant_id" uuid not null, "country" text not null, "market_id" uuid not null, primary key ("tenant_id", "country"))`,
    );
    this.addSql(`create index "market_countries_market_id_index" on "market_countries" ("market_id")`);

    this.addSql(
      `alter table "stock_locations" add constraint "stock_locations_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "sales_channels" add constraint "sales_channels_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "markets" add constraint "markets_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "market_countries" add constraint "market_countries_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "market_countries" add constraint "market_countries_market_id_foreign" foreign key ("market_id") references "markets" ("id")`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "market_countries" cascade`);
    this.addSql(`drop table if exists "markets" cascade`);
    this.addSql(`drop table if exists "sales_channels" cascade`);
    this.addSql(`drop table if exists "stock_locations" cascade`);
  }
}
