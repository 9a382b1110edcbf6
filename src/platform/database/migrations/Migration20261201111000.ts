import { Migration } from "@mikro-orm/migrations";

/**
 * Customers' address books and companies (issue 11, section 4): `customer_addresses` (the CustomerAddress entity),
 * with at most one default billing and one default shipping address per customer (partial unique indexes);
 * `customers.company_id` (the company a customer buys for), `customers.version` (its etag) and the indexes
 * ListCustomers pages through. Each customer's two default address columns move into its book first: one entry
 * with both roles when they are the same address, else one entry per address, created when the customer was; then
 * the columns go, since the contract's Customer now reads its defaults from the book. The DDL is what MikroORM's
 * schema generator writes for the entities; `down` puts the defaults back into the columns.
 */
export class Migration20261201111000 extends Migration {
  override name = "Migration20261201111000";

  override up(): void {
    this.addSql(
      `create table "customer_addresses" ("id" uuid not null, "tenant_id" uuid not null, "customer_id" uuid not null, "address" jsonb not null, "default_billing" boolean not null default false, "default_shipping" boolean not null default false, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "customer_addresses_customer_id_created_at_id_index" on "customer_addresses" ("customer_id", "created_at", "id")`,
    );
    this.addSql(
      "create unique index customer_addresses_customer_id_default_billing_unique on customer_addresses (customer_id) where default_billing",
    );
    this.addSql(
      "create unique index customer_addresses_customer_id_default_shipping_unique on customer_addresses (customer_id) where default_shipping",
    );
    this.addSql(
      `alter table "customer_addresses" add constraint "customer_addresses_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `alter table "customer_addresses" add constraint "customer_addresses_customer_id_foreign" foreign key ("customer_id") references "customers" ("id")`,
    );

    // The defaults move into the book (jsonb = compares values, whatever the key order).
    this
      .addSql(`insert into customer_addresses (id, tenant_id, customer_id, address, default_billing, default_shipping, created_at, updated_at)
      select gen_random_uuid(), tenant_id, id, default_billing_address, true,
             default_shipping_address is not null and default_shipping_address = default_billing_address, created_at, updated_at
        from customers where default_billing_address is not null`);
    this
      .addSql(`insert into customer_addresses (id, tenant_id, customer_id, address, default_billing, default_shipping, created_at, updated_at)
      select gen_random_uuid(), tenant_id, id, default_shipping_address, false, true, created_at, updated_at
        from customers
       where default_shipping_address is not null
         and (default_billing_address is null or default_billing_address <> default_shipping_address)`);

    this.addSql(
      `alter table "customers" drop column "default_billing_address", drop column "default_shipping_address"`,
    );
    this.addSql(`alter table "customers" add "company_id" uuid null, add "version" int not null default 1`);
    this.addSql(
      `alter table "customers" add constraint "customers_company_id_foreign" foreign key ("company_id") references "companies" ("id") on delete set null`,
    );
    this.addSql(
      "create index customers_tenant_id_created_at_id_index on customers (tenant_id, created_at desc, id desc)",
    );
    this.addSql(
      "create index customers_tenant_id_company_id_created_at_id_index on customers (tenant_id, company_id, created_at desc, id desc)",
    );
  }

  override down(): void {
    this.addSql("drop index customers_tenant_id_company_id_created_at_id_index");
    this.addSql("drop index customers_tenant_id_created_at_id_index");
    this.addSql(`alter table "customers" drop constraint "customers_company_id_foreign"`);
    this.addSql(`alter table "customers" drop column "company_id", drop column "version"`);
    this.addSql(
      `alter table "customers" add "default_billing_address" jsonb null, add "default_shipping_address" jsonb null`,
    );
    this.addSql(`update customers set
      default_billing_address = (select address from customer_addresses where customer_id = customers.id and default_billing),
      default_shipping_address = (select address from customer_addresses where customer_id = customers.id and default_shipping)`);
    this.addSql(`drop table if exists "customer_addresses" cascade`);
  }
}
