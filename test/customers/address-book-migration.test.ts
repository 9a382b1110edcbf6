import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findCustomerDefaults } from "../../src/customers/public.js";
import { createOrm } from "../../src/database.js";
import { query } from "../../src/platform/database/query.js";
import { testDatabaseUrl } from "../support/database.js";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";
import { ifSetUp } from "../support/set-up.js";

/**
 * Migration20261201111000 moves each customer's two default address columns into its new address book, and
 * puts them back on the way down: existing customers keep the defaults orders copy.
 */

let db: ScratchDatabase;
let orm: MikroORM;
const tenantId = randomUUID();
const home = { line1: "2 New Rd", city: "Bristol", country: "GB" };
const office = { line1: "1 Dock St", country: "GB" };
const customers = {
  same: { id: randomUUID(), billing: home, shipping: { country: "GB", city: "Bristol", line1: "2 New Rd" } },
  different: { id: randomUUID(), billing: home, shipping: office },
  billingOnly: { id: randomUUID(), billing: office, shipping: null },
  shippingOnly: { id: randomUUID(), billing: null, shipping: home },
  none: { id: randomUUID(), billing: null, shipping: null },
};

beforeAll(async () => {
  db = await createScratchDatabase(testDatabaseUrl(), "orderspine_scratch");
  orm = await createOrm({ databaseUrl: db.url, poolMax: 2 });
  await orm.migrator.up({ to: "Migration20261201110000" });
  const em = orm.em.fork();
  await query(em, "insert into tenants (id, name) values ($1, 'migrated')", [tenantId]);
  for (const [name, customer] of Object.entries(customers)) {
    await query(
      em,
      `insert into customers (id, tenant_id, email, name, default_billing_address, default_shipping_address)
       values ($1, $2, $3, $4, $5, $6)`,
      [customer.id, tenantId, `${name}@example.com`, name, customer.billing, customer.shipping],
    );
  }
  await orm.migrator.up();
});
afterAll(async () => {
  await ifSetUp(orm)?.close(true);
  await ifSetUp(db)?.drop();
});

async function book(customerId: string) {
  const { rows } = await query<{ address: unknown; defaultBilling: boolean; defaultShipping: boolean }>(
    orm.em.fork(),
    `select address, default_billing as "defaultBilling", default_shipping as "defaultShipping"
       from customer_addresses where customer_id = $1 and tenant_id = $2 order by default_billing desc`,
    [customerId, tenantId],
  );
  return rows;
}

describe("the address book migration", () => {
  it("makes one entry with both roles of the same address, and one entry per address otherwise", async () => {
    expect(await book(customers.same.id)).toEqual([{ address: home, defaultBilling: true, defaultShipping: true }]);
    expect(await book(customers.different.id)).toEqual([
      { address: home, defaultBilling: true, defaultShipping: false },
      { address: office, defaultBilling: false, defaultShipping: true },
    ]);
    expect(await book(customers.billingOnly.id)).toEqual([
      { address: office, defaultBilling: true, defaultShipping: false },
    ]);
    expect(await book(customers.shippingOnly.id)).toEqual([
      { address: home, defaultBilling: false, defaultShipping: true },
    ]);
    expect(await book(customers.none.id)).toEqual([]);
  });

  it("keeps the defaults orders copy exactly as they were", async () => {
    for (const [name, customer] of Object.entries(customers)) {
      expect(await findCustomerDefaults(orm.em.fork(), tenantId, customer.id)).toEqual({
        email: `${name}@example.com`,
        defaultBillingAddress: customer.billing,
        defaultShippingAddress: customer.shipping,
      });
    }
  });

  it("puts the defaults back into the customers' columns on the way down", async () => {
    await orm.migrator.down({ to: "Migration20261201110000" });
    const { rows } = await query<{ id: string; billing: unknown; shipping: unknown }>(
      orm.em.fork(),
      `select id, default_billing_address as billing, default_shipping_address as shipping from customers`,
    );
    expect(new Map(rows.map((row) => [row.id, [row.billing, row.shipping]]))).toEqual(
      new Map(Object.values(customers).map((c) => [c.id, [c.billing, c.shipping]])),
    );
    await orm.migrator.up();
  });
});
