import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 14, partial fulfilment: `orders.fulfillments` (jsonb, default `[]`) keeps every shipment of an order, oldest
 * first, on the order's own row, so a fulfilment or delivery changes it under the row lock that already serializes
 * every change of the order. Existing orders get `[]`: one fulfilled before has every unit fulfilled (its status
 * says so) and keeps its `fulfillment`.
 */
export class Migration20261203041000 extends Migration {
  override name = "Migration20261203041000";

  override up(): void {
    this.addSql(`alter table "orders" add "fulfillments" jsonb not null default '[]'`);
  }

  override down(): void {
    this.addSql(`alter table "orders" drop column "fulfillments"`);
  }
}
