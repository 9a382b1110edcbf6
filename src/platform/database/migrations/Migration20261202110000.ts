import { Migration } from "@mikro-orm/migrations";

/**
 * Promotions and coupon codes (src/promotions, issue 12): `promotions`, their codes (`promotion_codes`, unique in
 * the tenant without regard to case by an expression index) and the uses orders make of them
 * (`promotion_redemptions`, one row per order and promotion, released when the order is canceled), with the
 * indexes ListPromotions pages through, the release by order and the per-customer count read. The SQL is what
 * MikroORM's schema generator writes for the entities.
 */
export class Migration20261202110000 extends Migration {
  override name = "Migration20261202110000";

  override up(): void {
    this.addSql(
      `create table "promotions" ("id" uuid not null, "tenant_id" uuid not null, "display_name" text not null, "description" text not null default '', "kind" text not null, "value" numeric(19,4) null, "currency" text null, "skus" text[] not null default '{}', "product_ids" text[] not null default '{}', "minimum_subtotal" numeric(19,4) null, "start_time" timestamptz null, "end_time" timestamptz null, "usage_limit" int null, "per_customer_limit" int null, "usage_count" int not null default 0, "active" boolean not null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      "create index promotions_tenant_id_created_at_id_index on promotions (tenant_id, created_at desc, id desc)",
    );
    this.addSql(
      "create index promotions_tenant_id_active_created_at_id_index on promotions (tenant_id, active, created_at desc, id desc)",
    );
    this.addSql(
      `alter table "promotions" add constraint "promotions_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "promotions" add constraint "promotions_kind_check" check (kind in ('ORDER_PERCENTAGE', 'ORDER_FIXED_AMOUNT', 'ITEM_PERCENTAGE', 'ITEM_FIXED_AMOUNT', 'FREE_SHIPPING'))`,
    );
    this.addSql(`alter table "promotions" add constraint "promotions_usage_count_check" check (usage_count >= 0)`);

    this.addSql(
      `create table "promotion_codes" ("promotion_id" uuid not null, "position" smallint not null, "tenant_id" uuid not null, "code" text not null, primary key ("promotion_id", "position"))`,
    );
    this.addSql(
      "create unique index promotion_codes_tenant_id_lower_code_unique on promotion_codes (tenant_id, lower(code))",
    );
    this.addSql(
      `alter table "promotion_codes" add constraint "promotion_codes_promotion_id_foreign" foreign key ("promotion_id") references "promotions" ("id") on delete cascade`,
    );

    this.addSql(
      `create table "promotion_redemptions" ("id" uuid not null, "tenant_id" uuid not null, "promotion_id" uuid not null, "order_id" uuid not null, "code" text not null, "customer_key" text not null, "amount" numeric(19,4) not null, "created_at" timestamptz not null default now(), "released_at" timestamptz null, primary key ("id"))`,
    );
    this.addSql(
      `create index "promotion_redemptions_tenant_id_order_id_index" on "promotion_redemptions" ("tenant_id", "order_id")`,
    );
    this.addSql(
      "create index promotion_redemptions_tenant_id_promotion_id_customer_key_index on promotion_redemptions (tenant_id, promotion_id, customer_key) where released_at is null",
    );
    this.addSql(
      `alter table "promotion_redemptions" add constraint "promotion_redemptions_promotion_id_foreign" foreign key ("promotion_id") references "promotions" ("id")`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "promotion_redemptions" cascade`);
    this.addSql(`drop table if exists "promotion_codes" cascade`);
    this.addSql(`drop table if exists "promotions" cascade`);
  }
}
