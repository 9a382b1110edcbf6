import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrm } from "../../../src/database.js";
import { nativePool } from "../../../src/platform/database/query.js";
import { findOrderLookups, type OrderLookupsAsk } from "../../../src/orders/queries/order-lookups.js";
import { allocateOrderNumber } from "../../../src/orders/queries/order-numbers.js";
import { createTenantWithCustomer } from "../../platform/database/fixtures.js";
import { testDatabaseUrl } from "../../support/database.js";
import { ifSetUp } from "../../support/set-up.js";

let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 12 });
});
afterAll(() => ifSetUp(orm)?.close(true));

async function tenantWithCustomer(): Promise<{ tenantId: string; customerId: string }> {
  const { tenant, customer } = await createTenantWithCustomer(orm.em.fork());
  return { tenantId: tenant.id, customerId: customer.id };
}

/** An order's lookups as prepareOrder asks them: a customer by id (or a guest), lines by SKU, maybe a coupon. */
function ask(
  tenantId: string,
  options: {
    customerId?: string;
    allocateNumber?: boolean;
    skus?: string[];
    couponCodes?: string[];
    methodId?: string;
  },
): OrderLookupsAsk {
  const { customerId } = options;
  return {
    tenantId,
    parties: customerId ? { tenantId, customerId } : undefined,
    allocateNumber: options.allocateNumber ?? true,
    store: {},
    checkout: {
      tenantId,
      marketId: undefined,
      shippingMethodId: options.methodId,
      couponCodes: options.couponCodes ?? [],
      buyer: customerId ? { customerId } : {},
    },
    catalog: (options.skus ?? []).map((sku) => ({ sku })),
  };
}

async function lookUp(asks: readonly OrderLookupsAsk[]) {
  return findOrderLookups(await nativePool(orm.em), asks);
}

describe("findOrderLookups: every lookup of several orders in one statement", () => {
  it("answers each order as its own statement would, and numbers a tenant's orders consecutively in batch order", async () => {
    const a = await tenantWithCustomer();
    const b = await tenantWithCustomer();
    const asks = [
      ask(a.tenantId, { customerId: a.customerId, skus: ["SKU-1", "sku-2"] }),
      ask(b.tenantId, {}),
      // A customer the tenant does not have: the order is refused later, and takes no number.
      ask(a.tenantId, { customerId: randomUUID() }),
      // A preview (or an order with its own number) takes none.
      ask(a.tenantId, { customerId: a.customerId, allocateNumber: false, couponCodes: ["SPRING10"] }),
      ask(a.tenantId, { methodId: randomUUID() }),
      // Another tenant's customer looks like a missing one.
      ask(b.tenantId, { customerId: a.customerId }),
      ask(b.tenantId, { customerId: b.customerId }),
    ];

    const batch = await lookUp(asks);

    expect(batch.map((found) => found.orderNumber)).toEqual([
      "1001",
      "1001",
      undefined,
      undefined,
      "1002",
      undefined,
      "1002",
    ]);
    expect(batch[0]?.parties.customer?.id).toBe(a.customerId);
    expect(batch[2]?.parties.customer).toBeNull();
    expect(batch[5]?.parties.customer).toBeNull();
    expect(batch[0]?.catalog).toEqual([{ kind: "no_match" }, { kind: "no_match" }]);
    // Everything but the number is what each order's statement alone answers (alone, without taking numbers).
    const alone = await Promise.all(asks.map(async (one) => (await lookUp([{ ...one, allocateNumber: false }]))[0]));
    expect(batch.map((found) => ({ ...found, orderNumber: undefined }))).toEqual(alone);
  });

  it("continues a tenant's count from numbers taken one at a time, and takes none when no order wants one", async () => {
    const { tenantId, customerId } = await tenantWithCustomer();
    expect(await allocateOrderNumber(orm.em.fork(), tenantId)).toBe("1001");
    const numbers = await lookUp([1, 2, 3].map(() => ask(tenantId, { customerId })));
    expect(numbers.map((found) => found.orderNumber)).toEqual(["1002", "1003", "1004"]);
    const previews = await lookUp([1, 2].map(() => ask(tenantId, { customerId, allocateNumber: false })));
    expect(previews.map((found) => found.orderNumber)).toEqual([undefined, undefined]);
    expect(await allocateOrderNumber(orm.em.fork(), tenantId)).toBe("1005");
  });

  it("gives concurrent batches and single allocations of one tenant unique numbers without gaps", async () => {
    const { tenantId, customerId } = await tenantWithCustomer();
    const batches = Array.from({ length: 8 }, () =>
      lookUp(Array.from({ length: 8 }, () => ask(tenantId, { customerId }))),
    );
    const singles = Array.from({ length: 16 }, () => allocateOrderNumber(orm.em.fork(), tenantId));
    const [batched, alone] = await Promise.all([Promise.all(batches), Promise.all(singles)]);
    const numbers = [...batched.flat().map((found) => found.orderNumber), ...alone].map(Number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 80 }, (_, i) => 1001 + i));
    // Each batch's numbers are consecutive, in its orders' order.
    for (const found of batched) {
      const own = found.map((one) => Number(one.orderNumber));
      expect(own).toEqual(own.map((_, i) => (own[0] ?? 0) + i));
    }
  });
});
