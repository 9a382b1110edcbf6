import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 14, returns: `orders.returns` (jsonb, default `[]`) keeps every return of an order, oldest first, with what
 * each refunds, on the order's own row, so a return and its refund change it under the row lock every change takes.
 */
export class Migration20261203042000 extends Migration {
  override name = "Migration20261203042000";

  override up(): void {
    this.addSql(`alter table "orders" add "returns" jsonb not null default '[]'`);
  }

  override down(): void {
    this.addSql(`alter table "orders" drop column "returns"`);
  }
}
