import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 12, checkout pricing on the order: how its tax was found (the tenant's tax zone, or the request's) and
 * split into tax included in the prices and tax added on top; the shipping method snapshot; the discounts
 * (adjustments) and the payments (gift cards, the payment given at creation, authorized or captured) as jsonb
 * snapshots in the contract's JSON form, amounts as decimal strings; whether it is a test order; and on each line
 * its share of the discounts and its tax lines. Existing orders priced their tax on top of the prices, so their
 * additional tax is their tax total. The SQL is what MikroORM's schema generator writes for the entities, plus
 * that backfill.
 */
export class Migration20261202140000 extends Migration {
  override name = "Migration20261202140000";

  override up(): void {
    this.addSql(
      `alter table "orders" add "included_tax_total" numeric(19,4) not null default 0, add "additional_tax_total" numeric(19,4) not null default 0, add "tax_source" text not null default 'client', add "tax_zone_id" uuid null, add "shipping_line" jsonb null, add "adjustments" jsonb not null default '[]', add "payments" jsonb not null default '[]', add "is_test" boolean not null default false`,
    );
    this.addSql(`update "orders" set "additional_tax_total" = "tax_total" where "tax_total" <> 0`);
    this.addSql(
      `alter table "order_lines" add "discount_total" numeric(19,4) not null default 0, add "tax_lines" jsonb not null default '[]'`,
    );
  }

  override down(): void {
    this.addSql(`alter table "order_lines" drop column "discount_total", drop column "tax_lines"`);
    this.addSql(
      `alter table "orders" drop column "included_tax_total", drop column "additional_tax_total", drop column "tax_source", drop column "tax_zone_id", drop column "shipping_line", drop column "adjustments", drop column "payments", drop column "is_test"`,
    );
  }
}
