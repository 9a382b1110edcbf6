import { Migration } from "@mikro-orm/migrations";

/**
 * Webhooks' housekeeping deletes deliveries that finished (succeeded or failed) 30 days ago: a partial index of the
 * finished rows by their last change lets each pass find them without reading the whole table. The SQL is what
 * MikroORM's schema generator writes for the entity.
 */
export class Migration20261203021000 extends Migration {
  override name = "Migration20261203021000";

  override up(): void {
    this.addSql(
      `create index webhook_deliveries_finished_index on webhook_deliveries (updated_at) where status <> 'pending'`,
    );
  }

  override down(): void {
    this.addSql(`drop index webhook_deliveries_finished_index`);
  }
}
