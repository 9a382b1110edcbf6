import { Migration } from "@mikro-orm/migrations";

/**
 * Orders after creation: payment totals, fulfilment, tags, the imported placed time and the per-order
 * event sequence on `orders`; the history of status and payment changes in `order_history_entries`;
 * `outbox_events.aggregate_sequence` for the CloudEvents `ce-sequence` header; and one index per
 * ListOrders filter. Every new `orders` column has a default that describes an order that never
 * changed after creation, so existing rows need no rewrite and CreateOrder's insert may leave them out.
 */
export class Migration20261122103500 extends Migration {
  override name = "Migration20261122103500";

  override up(): void {
    this.addSql(`alter table orders
      add column paid_total numeric(19,4) not null default 0,
      add column refunded_total numeric(19,4) not null default 0,
      add column fulfillment jsonb null,
      add column tags jsonb not null default '[]',
      add column placed_at timestamptz null,
      add column event_sequence integer not null default 1`);
    // a safety net under the domain rules: money can never be refunded that was not paid, nor paid beyond the total
    this.addSql(`alter table orders add constraint orders_payment_totals_check
      check (paid_total >= 0 and refunded_total >= 0 and refunded_total <= paid_total and paid_total <= total)`);
    // one per ListOrders filter, each ending in the listing order (newest first, id breaks ties)
    for (const column of ["status", "payment_status", "customer_id", "channel"]) {
      this.addSql(
        `create index orders_tenant_id_${column}_created_at_id_index on orders (tenant_id, ${column}, created_at desc, id desc)`,
      );
    }

    this.addSql(`create table order_history_entries (
      id uuid not null primary key,
      order_id uuid not null constraint order_history_entries_order_id_foreign references orders (id) on delete cascade,
      tenant_id uuid not null,
      position integer not null,
      kind text not null constraint order_history_entries_kind_check check (kind in ('status', 'payment')),
      from_status text null,
      to_status text null,
      from_payment_status text null,
      to_payment_status text null,
      amount numeric(19,4) null,
      reason text null,
      payment_method text null,
      gateway_reference text null,
      api_key_id uuid null,
      created_at timestamptz not null default now(),
      constraint order_history_entries_order_id_position_unique unique (order_id, position))`);

    this.addSql("alter table outbox_events add column aggregate_sequence integer null");
    // every event written so far is an order.created, the first event of its order
    this.addSql("update outbox_events set aggregate_sequence = 1 where event_type = 'order.created'");
  }

  override down(): void {
    this.addSql("alter table outbox_events drop column aggregate_sequence");
    this.addSql("drop table order_history_entries");
    for (const column of ["status", "payment_status", "customer_id", "channel"]) {
      this.addSql(`drop index orders_tenant_id_${column}_created_at_id_index`);
    }
    this.addSql(`alter table orders
      drop constraint orders_payment_totals_check,
      drop column paid_total,
      drop column refunded_total,
      drop column fulfillment,
      drop column tags,
      drop column placed_at,
      drop column event_sequence`);
  }
}
