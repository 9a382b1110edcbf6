import { Migration } from "@mikro-orm/migrations";

/**
 * `service_secrets` (the ServiceSecret entity): keys the service generates for itself and shares between replicas
 * through the database, first the key page tokens are signed with when PAGE_TOKEN_SECRET is unset. The rows are
 * written by the service at its first start (orders/page-token-key.ts), not here, so a key is made with Node's
 * CSPRNG and the migration needs no extension. The SQL is what MikroORM's schema generator writes for the entity.
 */
export class Migration20261130120000 extends Migration {
  override name = "Migration20261130120000";

  override up(): void {
    this.addSql(
      `create table "service_secrets" ("name" text not null, "secret" text not null, "created_at" timestamptz not null default now(), primary key ("name"))`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "service_secrets" cascade`);
  }
}
