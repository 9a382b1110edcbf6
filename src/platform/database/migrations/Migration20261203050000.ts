import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 14 §1, inventory (src/inventory): `inventory_items` (whether a variant's stock is tracked),
 * `inventory_levels` (units on hand per variant and stock location, never below 0) and
 * `inventory_transactions` (their ledger). The SQL is what MikroORM's schema generator writes for the entities.
 */
export class Migration20261203050000 extends Migration {
  override name = "Migration20261203050000";

  override up(): void {
    this.addSql(
      `create table "inventory_items" ("id" uuid not null, "tenant_id" uuid not null, "variant_id" uuid not null, "tracked" boolean not null, "updated_at" timestamptz not null, primary key ("id"))`,
    );
    this.addSql(
      `alter table "inventory_items" add constraint "inventory_items_tenant_id_variant_id_unique" unique ("tenant_id", "variant_id")`,
    );
    this.addSql(
      `create table "inventory_levels" ("id" uuid not null, "tenant_id" uuid not null, "variant_id" uuid not null, "stock_location_id" uuid not null, "on_hand" int not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "inventory_levels_tenant_id_created_at_id_index" on "inventory_levels" ("tenant_id", "created_at", "id")`,
    );
    this.addSql(
      `alter table "inventory_levels" add constraint "inventory_levels_tenant_id_variant_id_stock_location_id_unique" unique ("tenant_id", "variant_id", "stock_location_id")`,
    );
    this.addSql(`alter table "inventory_levels" add constraint "inventory_levels_on_hand_check" check (on_hand >= 0)`);
    this.addSql(
      `create table "inventory_transactions" ("id" uuid not null, "tenant_id" uuid not null, "level_id" uuid not null, "variant_id" uuid not null, "stock_location_id" uuid not null, "kind" text not null, "quantity_change" int not null, "on_hand_after" int not null, "reason" text not null, "created_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "inventory_transactions_tenant_id_variant_id_created_at_id_index" on "inventory_transactions" ("tenant_id", "variant_id", "created_at", "id")`,
    );
    this.addSql(
      `alter table "inventory_transactions" add constraint "inventory_transactions_kind_check" check (kind in ('set', 'adjust'))`,
    );
    this.addSql(
      `alter table "inventory_transactions" add constraint "inventory_transactions_on_hand_after_check" check (on_hand_after >= 0)`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "inventory_transactions" cascade`);
    this.addSql(`drop table if exists "inventory_levels" cascade`);
    this.addSql(`drop table if exists "inventory_items" cascade`);
  }
}
