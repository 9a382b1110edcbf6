import { Migration } from "@mikro-orm/migrations";

/**
 * `companies` (the Company entity of src/companies): business accounts of a tenant, their shipping addresses a
 * jsonb list inside the row, and the index ListCompanies pages through (newest first, id breaks ties). The SQL is
 * what MikroORM's schema generator writes for the entity.
 */
export class Migration20261201110000 extends Migration {
  override name = "Migration20261201110000";

  override up(): void {
    this.addSql(
      `create table "companies" ("id" uuid not null, "tenant_id" uuid not null, "name" text not null, "tax_id" text null, "billing_address" jsonb null, "shipping_addresses" jsonb not null default '[]', "metadata" jsonb not null default '{}', "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      "create index companies_tenant_id_created_at_id_index on companies (tenant_id, created_at desc, id desc)",
    );
    this.addSql(
      `alter table "companies" add constraint "companies_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "companies" cascade`);
  }
}
