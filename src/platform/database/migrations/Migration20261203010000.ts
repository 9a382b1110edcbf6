import { Migration } from "@mikro-orm/migrations";

/**
 * `carts` (the Cart entity of src/carts, issue 13 §1): one row per cart, its lines a JSON array, the CreateOrder
 * fields it drafts in proto JSON, its state (a completed cart names its order: the check keeps the two together),
 * and the index housekeeping purges expired carts by. The SQL is what MikroORM's schema generator writes for the
 * entity.
 */
export class Migration20261203010000 extends Migration {
  override name = "Migration20261203010000";

  override up(): void {
    this.addSql(
      `create table "carts" ("id" uuid not null, "tenant_id" uuid not null, "is_test" boolean not null, "state" text not null, "order_id" uuid null, "customer_id" uuid null, "email" text null, "currency" char(3) null, "billing_address" jsonb null, "shipping_address" jsonb null, "shipping_method" jsonb null, "coupon_codes" jsonb not null, "gift_card_codes" jsonb not null, "metadata" jsonb not null, "lines" jsonb not null, "expires_at" timestamptz not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"))`,
    );
    this.addSql(`create index "carts_expires_at_index" on "carts" ("expires_at")`);
    this.addSql(
      `alter table "carts" add constraint "carts_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(`alter table "carts" add constraint "carts_state_check" check (state in ('active', 'completed'))`);
    this.addSql(
      `alter table "carts" add constraint "carts_completed_order_check" check ((state = 'completed') = (order_id is not null))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "carts" cascade`);
  }
}
