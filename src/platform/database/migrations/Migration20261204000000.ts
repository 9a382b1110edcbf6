import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 14 §1, stock reservations: `inventory_levels.reserved` (what orders hold, never more than on hand), the
 * ledger's `fulfillment` and `return` rows with their order, each order line's reservation (its stock location,
 * units reserved, units backordered) and `inventory_settings` (the tenant's shortage policy). The SQL is what
 * MikroORM's schema generator writes for the entities.
 */
export class Migration20261204000000 extends Migration {
  override name = "Migration20261204000000";

  override up(): void {
    this.addSql(`alter table "inventory_levels" add column "reserved" int not null default 0`);
    this.addSql(
      `alter table "inventory_levels" add constraint "inventory_levels_reserved_check" check (reserved >= 0 and reserved <= on_hand)`,
    );
    this.addSql(`alter table "inventory_transactions" add column "order_id" uuid null`);
    this.addSql(`alter table "inventory_transactions" drop constraint "inventory_transactions_kind_check"`);
    this.addSql(
      `alter table "inventory_transactions" add constraint "inventory_transactions_kind_check" check (kind in ('set', 'adjust', 'fulfillment', 'return'))`,
    );
    this.addSql(
      `alter table "order_lines" add column "stock_location_id" uuid null, add column "reserved_quantity" int not null default 0, add column "backordered_quantity" int not null default 0`,
    );
    this.addSql(
      `create table "inventory_settings" ("tenant_id" uuid not null, "shortage_policy" text not null default 'refuse', "updated_at" timestamptz null, primary key ("tenant_id"))`,
    );
    this.addSql(
      `alter table "inventory_settings" add constraint "inventory_settings_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "inventory_settings" add constraint "inventory_settings_shortage_policy_check" check ("shortage_policy" in ('refuse', 'backorder'))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "inventory_settings" cascade`);
    this.addSql(
      `alter table "order_lines" drop column "stock_location_id", drop column "reserved_quantity", drop column "backordered_quantity"`,
    );
    this.addSql(`alter table "inventory_transactions" drop constraint "inventory_transactions_kind_check"`);
    this.addSql(
      `alter table "inventory_transactions" add constraint "inventory_transactions_kind_check" check (kind in ('set', 'adjust'))`,
    );
    this.addSql(`alter table "inventory_transactions" drop column "order_id"`);
    this.addSql(`alter table "inventory_levels" drop constraint "inventory_levels_reserved_check"`);
    this.addSql(`alter table "inventory_levels" drop column "reserved"`);
  }
}
