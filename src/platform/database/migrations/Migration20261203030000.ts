import { Migration } from "@mikro-orm/migrations";

/**
 * `orderspine_refuse(reason)`: raises SQLSTATE OS001 with `reason` as its message. A statement of data-modifying CTEs
 * calls it when something it found while writing says it must not commit (platform/database/refusal.ts): the error
 * undoes every CTE of the statement, which is its own transaction. The SQL is what MikroORM's schema generator writes
 * for the routine refusal.ts declares. CreateOrder writes an order and the uses of its
 * promotions without limits so, and takes the locked way when a promotion got a limit meanwhile.
 */
export class Migration20261203030000 extends Migration {
  override name = "Migration20261203030000";

  override up(): void {
    this.addSql(
      `create or replace function "orderspine_refuse"("reason" text) returns boolean volatile language plpgsql as $$ begin raise exception using errcode = 'OS001', message = reason; end; $$`,
    );
  }

  override down(): void {
    this.addSql('drop function if exists "orderspine_refuse"(text)');
  }
}
