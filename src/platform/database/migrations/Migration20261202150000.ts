import { Migration } from "@mikro-orm/migrations";

/**
 * Test mode (docs/test-mode.md): ListOrders reads one mode's orders, so its unfiltered listing index starts with the
 * mode: (tenant_id, is_test, created_at desc, id desc) replaces (tenant_id, created_at desc, id desc). Every page of
 * a live or a test listing without a filter is then a range scan over that mode's orders alone, however many of the
 * other mode's orders are newer. Measured with EXPLAIN on 30,200 orders: a tenant whose newest 5,800 of 6,000 orders
 * were test orders read its first live page through 51 index entries, where the old index stepped over the 5,800
 * (and a tenant with 200 test orders among 4,000 over 969 live ones for a test page); a deep page stays one range
 * scan. The index is about 14% larger (2.0 MB instead of 1.8 MB for those rows, freshly built). The filter indexes
 * stay as they are: among a filter's matches they skip the other mode's orders only (and for a test listing the
 * planner takes this index when the tenant's test orders are the fewer).
 */
export class Migration20261202150000 extends Migration {
  override name = "Migration20261202150000";

  override up(): void {
    this.addSql(
      "create index orders_tenant_id_is_test_created_at_id_index on orders (tenant_id, is_test, created_at desc, id desc)",
    );
    this.addSql("drop index orders_tenant_id_created_at_id_index");
  }

  override down(): void {
    this.addSql("create index orders_tenant_id_created_at_id_index on orders (tenant_id, created_at desc, id desc)");
    this.addSql("drop index orders_tenant_id_is_test_created_at_id_index");
  }
}
