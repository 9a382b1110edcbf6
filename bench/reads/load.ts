import type { MikroORM } from "@mikro-orm/postgresql";
import pg from "pg";
import { createTenant, issueApiKey } from "../../src/admin/tenants.js";

/** Customers the loaded orders are spread over: 1,000 orders each at a million orders. */
export const READS_CUSTOMERS = 1000;

export interface LoadedTenant {
  tenantId: string;
  /** A viewer key: ListOrders is a read. */
  key: string;
  customerIds: string[];
  orders: number;
  loadMs: number;
}

/**
 * One tenant with `orders` orders (one line each) written by set-based SQL (generate_series), so a
 * million rows take about a minute instead of hours of API calls. The rows look like the service's
 * own: statuses and payment states that agree (paid_total), four channels, customers round-robin,
 * create times a few seconds apart with microseconds (which page tokens must carry exactly), totals that differ
 * from order to order (so no memo of formatted amounts sees only one). The indexes are in place while loading, as
 * they would be in a live tenant.
 */
export async function loadTenant(orm: MikroORM, databaseUrl: string, orders: number): Promise<LoadedTenant> {
  const em = orm.em.fork();
  const tenant = await createTenant(em, "bench reads");
  const { key } = await issueApiKey(em, tenant.id, { role: "viewer", mode: "live", name: "bench reads" });
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "bench-reads-load" });
  await client.connect();
  const started = performance.now();
  try {
    await client.query("set synchronous_commit = off");
    await client.query("set maintenance_work_mem = '256MB'");
    const { rows: customers } = await client.query<{ id: string }>(
      `insert into customers (id, tenant_id, email, name, created_at, updated_at)
       select gen_random_uuid(), $1, 'buyer-' || c || '@reads.example', 'Buyer ' || c, now(), now()
         from generate_series(1, $2::int) c
       returning id`,
      [tenant.id, READS_CUSTOMERS],
    );
    // Oldest first: order n is created n x 20 s (plus n mod 997 microseconds) after the start.
    await client.query(
      `insert into orders (id, tenant_id, order_number, customer_id, status, payment_status, currency, channel,
                           subtotal, shipping_total, discount_total, tax_total, total, paid_total, created_at, updated_at)
       select gen_random_uuid(), $1, (1000 + n)::text, ($2::uuid[])[1 + n % $3::int],
              (array['placed', 'fulfilled', 'delivered', 'canceled'])[1 + n % 4],
              case when n % 4 = 3 or n % 8 = 0 then 'unpaid' else 'paid' end,
              'USD', (array['storefront', 'b2b_portal', 'admin', 'mcp'])[1 + (n / 7) % 4],
              amount, 0, 0, 0, amount,
              case when n % 4 = 3 or n % 8 = 0 then 0 else amount end,
              t, t
         from generate_series(1, $4::int) n,
              lateral (select timestamptz '2025-01-01 00:00:00+00' + n * interval '20 seconds' + (n % 997) * interval '1 microsecond' as t,
                              1 + (n % 99991) * 0.37 as amount) per_order`,
      [tenant.id, customers.map((c) => c.id), customers.length, orders],
    );
    await client.query(
      `insert into order_lines (id, order_id, tenant_id, position, sku, name, quantity, unit_price, line_total)
       select gen_random_uuid(), id, tenant_id, 0, 'SKU-' || (order_number::bigint % 500), 'Thing', 1, total, total
         from orders where tenant_id = $1`,
      [tenant.id],
    );
    await client.query("vacuum analyze customers, orders, order_lines");
    return {
      tenantId: tenant.id,
      key,
      customerIds: customers.map((c) => c.id),
      orders,
      loadMs: performance.now() - started,
    };
  } finally {
    await client.end();
  }
}
