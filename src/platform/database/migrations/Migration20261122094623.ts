import { Migration } from "@mikro-orm/migrations";

/**
 * The initial Orderspine schema (docs: brief SCHEMA.md). Hand-written so the constraints read as
 * intended; constraint and index names follow MikroORM's naming so `orm.schema` sees no difference
 * between these tables and the entities.
 */
export class Migration20261122094623 extends Migration {
  override name = "Migration20261122094623";

  override up(): void {
    this.addSql(`create table tenants (
      id uuid not null primary key,
      name text not null,
      orders_enabled boolean not null default true,
      created_at timestamptz not null default now())`);

    this.addSql(`create table api_keys (
      id uuid not null primary key,
      tenant_id uuid not null constraint api_keys_tenant_id_foreign references tenants (id),
      name text not null,
      role text not null constraint api_keys_role_check check (role in ('viewer', 'editor', 'admin')),
      mode text not null constraint api_keys_mode_check check (mode in ('live', 'test')),
      lookup_id text not null constraint api_keys_lookup_id_unique unique,
      secret_hash text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz null,
      revoked_at timestamptz null)`);

    this.addSql(`create table customers (
      id uuid not null primary key,
      tenant_id uuid not null constraint customers_tenant_id_foreign references tenants (id),
      email text not null,
      name text not null,
      company text null,
      phone text null,
      default_billing_address jsonb null,
      default_shipping_address jsonb null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now())`);
    // e-mail identity is case-insensitive: Ann@x.io and ann@x.io are the same customer
    this.addSql("create unique index customers_tenant_id_lower_email_unique on customers (tenant_id, lower(email))");

    this.addSql(`create table orders (
      id uuid not null primary key,
      tenant_id uuid not null constraint orders_tenant_id_foreign references tenants (id),
      order_number text not null,
      customer_id uuid not null constraint orders_customer_id_foreign references customers (id),
      status text not null,
      payment_status text not null,
      currency char(3) not null,
      channel text not null,
      property_id text null,
      subtotal numeric(19,4) not null,
      shipping_total numeric(19,4) not null,
      discount_total numeric(19,4) not null,
      tax_total numeric(19,4) not null,
      total numeric(19,4) not null,
      shipping_address jsonb null,
      billing_address jsonb null,
      customer_note text null,
      internal_note text null,
      metadata jsonb not null default '{}',
      request_id uuid null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint orders_tenant_id_order_number_unique unique (tenant_id, order_number))`);
    // newest-first listing per tenant, `id` breaks ties for keyset pagination
    this.addSql("create index orders_tenant_id_created_at_id_index on orders (tenant_id, created_at desc, id desc)");

    this.addSql(`create table order_lines (
      id uuid not null primary key,
      order_id uuid not null constraint order_lines_order_id_foreign references orders (id) on delete cascade,
      tenant_id uuid not null,
      position integer not null,
      sku text not null,
      name text not null,
      description text null,
      quantity integer not null,
      unit_price numeric(19,4) not null,
      tax_amount numeric(19,4) null,
      line_total numeric(19,4) not null,
      product_id uuid null,
      variant_id uuid null,
      constraint order_lines_order_id_position_unique unique (order_id, position))`);

    this.addSql(`create table order_number_counters (
      tenant_id uuid not null primary key,
      last_value bigint not null)`);

    this.addSql(`create table idempotency_records (
      tenant_id uuid not null,
      request_id uuid not null,
      method text not null,
      request_hash text not null,
      response bytea not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (tenant_id, request_id))`);
    // lets the expiry sweep find old records without scanning the table
    this.addSql("create index idempotency_records_expires_at_index on idempotency_records (expires_at)");

    this.addSql(`create table outbox_events (
      id uuid not null primary key,
      tenant_id uuid not null,
      aggregate_type text not null,
      aggregate_id uuid not null,
      event_type text not null,
      subject text not null,
      payload bytea not null,
      occurred_at timestamptz not null,
      published_at timestamptz null,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_error text null)`);
    // the relay's work queue stays as small as the backlog: published rows are not in it
    this.addSql(
      "create index outbox_events_unpublished_index on outbox_events (next_attempt_at, occurred_at) where published_at is null",
    );
  }

  override down(): void {
    // children before parents, so no foreign key is left pointing at a dropped table
    this.addSql("drop table outbox_events");
    this.addSql("drop table idempotency_records");
    this.addSql("drop table order_number_counters");
    this.addSql("drop table order_lines");
    this.addSql("drop table orders");
    this.addSql("drop table customers");
    this.addSql("drop table api_keys");
    this.addSql("drop table tenants");
  }
}
