import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 11, what the seeds put on an order: guest orders (customer_id may be null when the order has an email; every
 * order stores the buyer's email, existing ones get their customer's), PO number, customer reference, ship dates,
 * requested shipping service, custom fields, locale, private metadata on orders and lines, line metadata; indexes
 * for ListOrders' email (case-insensitive) and po_number filters. The SQL is what MikroORM's schema generator writes
 * for the entities, plus the email backfill.
 */
export class Migration20261201130000 extends Migration {
  override name = "Migration20261201130000";

  override up(): void {
    this.addSql(
      `alter table "orders" add "email" text null, add "po_number" text null, add "customer_reference" text null, add "requested_ship_date" date null, add "hold_until_date" date null, add "ship_by_date" date null, add "requested_shipping_service" text null, add "custom_fields" jsonb null, add "locale" text null, add "private_metadata" jsonb not null default '{}'`,
    );
    this.addSql(`update "orders" set "email" = c."email" from "customers" c where c."id" = "orders"."customer_id"`);
    this.addSql(`alter table "orders" alter column "customer_id" drop not null`);
    this.addSql(
      `create index orders_tenant_id_po_number_created_at_id_index on orders (tenant_id, po_number, created_at desc, id desc)`,
    );
    this.addSql(
      `create index orders_tenant_id_lower_email_created_at_id_index on orders (tenant_id, lower(email), created_at desc, id desc)`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_customer_or_email_check" check (customer_id is not null or email is not null)`,
    );
    this.addSql(
      `alter table "order_lines" add "metadata" jsonb not null default '{}', add "private_metadata" jsonb not null default '{}'`,
    );
  }

  override down(): void {
    this.addSql(`alter table "order_lines" drop column "metadata", drop column "private_metadata"`);
    this.addSql(`alter table "orders" drop constraint "orders_customer_or_email_check"`);
    this.addSql(`delete from "orders" where "customer_id" is null`);
    this.addSql(`drop index "orders_tenant_id_po_number_created_at_id_index"`);
    this.addSql(`drop index "orders_tenant_id_lower_email_created_at_id_index"`);
    this.addSql(
      `alter table "orders" drop column "email", drop column "po_number", drop column "customer_reference", drop column "requested_ship_date", drop column "hold_until_date", drop column "ship_by_date", drop column "requested_shipping_service", drop column "custom_fields", drop column "locale", drop column "private_metadata"`,
    );
    this.addSql(`alter table "orders" alter column "customer_id" set not null`);
  }
}
