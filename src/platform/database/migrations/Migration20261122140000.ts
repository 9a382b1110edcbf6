import { Migration } from "@mikro-orm/migrations";

/**
 * The `notify_auth_changed` triggers of the ApiKey and Tenant entities: every committed change to `api_keys` or
 * `tenants` — by the admin CLI, a migration or plain SQL — notifies `orderspine_auth`, so each replica drops the API
 * keys it keeps in memory (platform/auth/api-key-store.ts) as soon as a key is revoked or a tenant's module switched off.
 * The SQL is what MikroORM's schema generator writes for those definitions.
 */
export class Migration20261122140000 extends Migration {
  override name = "Migration20261122140000";

  override up(): void {
    for (const table of ["api_keys", "tenants"]) {
      this.addSql(
        `create or replace function "${table}_notify_auth_changed_fn"() returns trigger as $$ begin perform pg_notify('orderspine_auth', ''); return null; end; $$ language plpgsql`,
      );
      this.addSql(
        `create trigger "notify_auth_changed" AFTER INSERT OR UPDATE OR DELETE on "${table}" for each STATEMENT execute function "${table}_notify_auth_changed_fn"()`,
      );
    }
  }

  override down(): void {
    for (const table of ["api_keys", "tenants"]) {
      this.addSql(`drop trigger if exists "notify_auth_changed" on "${table}"`);
      this.addSql(`drop function if exists "${table}_notify_auth_changed_fn"()`);
    }
  }
}
