import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 14, holds: `orders.hold` (jsonb, null unless the order is on_hold) says why and until when an order is held.
 * A partial index finds the holds housekeeping must end without reading other orders: only held orders with a
 * hold_until are in it, keyed by that time as RFC 3339 text in UTC (Date.toISOString, so it sorts as the time does).
 */
export class Migration20261203040000 extends Migration {
  override name = "Migration20261203040000";

  override up(): void {
    this.addSql(`alter table "orders" add "hold" jsonb null`);
    this.addSql(
      `create index orders_hold_until_index on orders ((hold->>'holdUntil')) where status = 'on_hold' and hold ? 'holdUntil'`,
    );
  }

  override down(): void {
    this.addSql("drop index orders_hold_until_index");
    this.addSql(`alter table "orders" drop column "hold"`);
  }
}
