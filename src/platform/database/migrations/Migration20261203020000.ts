import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 13 §2, webhooks (src/webhooks, docs/webhooks.md): `webhook_endpoints` (a tenant's URLs, their event types,
 * mode and signing secrets), `webhook_deliveries` (one row per endpoint and event, unique on both, with the body
 * every attempt sends and the lease two replicas claim it by; a partial index of the pending rows by due time for
 * the worker's claim) and `webhook_delivery_attempts` (one row per POST). Deliveries and attempts go with their
 * endpoint. The SQL is what MikroORM's schema generator writes for the entities.
 */
export class Migration20261203020000 extends Migration {
  override name = "Migration20261203020000";

  override up(): void {
    this.addSql(
      `create table "webhook_endpoints" ("id" uuid not null, "tenant_id" uuid not null, "is_test" boolean not null, "url" text not null, "description" text not null, "event_types" text[] not null, "enabled" boolean not null, "secret" text not null, "previous_secret" text null, "previous_secret_expires_at" timestamptz null, "failing_since" timestamptz null, "auto_disabled_at" timestamptz null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "webhook_endpoints_tenant_id_is_test_created_at_id_index" on "webhook_endpoints" ("tenant_id", "is_test", "created_at", "id")`,
    );
    this.addSql(
      `alter table "webhook_endpoints" add constraint "webhook_endpoints_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(
      `create table "webhook_deliveries" ("id" uuid not null, "tenant_id" uuid not null, "endpoint_id" uuid not null, "event_id" uuid not null, "event_type" text not null, "is_test_event" boolean not null, "event_time" timestamptz not null, "body" text not null, "status" text not null, "attempt_count" int not null, "next_attempt_at" timestamptz null, "lease_until" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index webhook_deliveries_endpoint_id_created_at_id_index on webhook_deliveries (endpoint_id, created_at desc, id desc)`,
    );
    this.addSql(
      `create index webhook_deliveries_due_index on webhook_deliveries (next_attempt_at) where status = 'pending'`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_event_id_unique" unique ("endpoint_id", "event_id")`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_endpoint_id_foreign" foreign key ("endpoint_id") references "webhook_endpoints" ("id") on delete cascade`,
    );
    this.addSql(
      `alter table "webhook_deliveries" add constraint "webhook_deliveries_status_check" check (status in ('pending', 'succeeded', 'failed'))`,
    );
    this.addSql(
      `create table "webhook_delivery_attempts" ("id" uuid not null, "delivery_id" uuid not null, "attempt_number" int not null, "attempted_at" timestamptz not null, "duration_ms" int not null, "response_code" int not null, "succeeded" boolean not null, "error" text not null, "response_body" text not null, primary key ("id"))`,
    );
    this.addSql(
      `alter table "webhook_delivery_attempts" add constraint "webhook_delivery_attempts_delivery_id_attempt_number_unique" unique ("delivery_id", "attempt_number")`,
    );
    this.addSql(
      `alter table "webhook_delivery_attempts" add constraint "webhook_delivery_attempts_delivery_id_foreign" foreign key ("delivery_id") references "webhook_deliveries" ("id") on delete cascade`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "webhook_delivery_attempts" cascade`);
    this.addSql(`drop table if exists "webhook_deliveries" cascade`);
    this.addSql(`drop table if exists "webhook_endpoints" cascade`);
  }
}
