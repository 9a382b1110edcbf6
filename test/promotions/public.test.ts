import type { MessageInitShape } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PromotionKind, type Promotion, type PromotionSchema } from "../../gen/orders/v1/promotion_pb.js";
import { createOrm } from "../../src/database.js";
import type { Queryable } from "../../src/platform/database/query.js";
import {
  findPromotionsForCodes,
  recordRedemptions,
  recordUnlimitedRedemptions,
  releaseRedemptions,
  type Buyer,
} from "../../src/promotions/public.js";
import type { Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { waitFor } from "../support/wait-for.js";

let service: InMemoryService;
let clients: Clients;
let tenantId: string;
/** Its own pool, big enough for the concurrent orders below to wait on the promotion's lock rather than for a connection. */
let orm: MikroORM;
let db: pg.Pool;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  tenantId = tenant.tenantId;
  clients = service.clients(tenant.key);
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 12 });
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 4 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(orm)?.close(true);
  await ifSetUp(service)?.close();
});

function code(prefix = "CODE"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

async function newPromotion(
  promotion: Exclude<MessageInitShape<typeof PromotionSchema>, Promotion> = {},
  as = clients,
): Promise<Promotion> {
  const { promotion: created } = await as.promotions.createPromotion({
    promotion: {
      displayName: "Ten percent",
      kind: PromotionKind.ORDER_PERCENTAGE,
      value: "10",
      codes: [code()],
      ...promotion,
    },
  });
  if (!created) throw new Error("no promotion");
  return created;
}

async function readPromotion(id: string): Promise<Promotion> {
  const { promotion } = await clients.promotions.getPromotion({ id });
  if (!promotion) throw new Error("no promotion");
  return promotion;
}

/** What CreateOrder does with a code, in its own transaction: find it under lock, redeem it when the limits allow. */
async function placeOrder(promotionCode: string, buyer: Buyer, orderId = randomUUID()): Promise<boolean> {
  return orm.em.fork().transactional(async (tx) => {
    const found = await findPromotionsForCodes(tx, tenantId, [promotionCode], buyer, { lock: true });
    const promotion = found.get(promotionCode.toLowerCase());
    if (!promotion) throw new Error(`no promotion for ${promotionCode}`);
    const withinLimit = promotion.usageLimit === undefined || promotion.usageCount < promotion.usageLimit;
    const withinCustomerLimit =
      promotion.perCustomerLimit === undefined || promotion.customerUsageCount < promotion.perCustomerLimit;
    if (!withinLimit || !withinCustomerLimit) return false;
    await recordRedemptions(tx, tenantId, orderId, buyer, [
      { promotionId: promotion.id, code: promotion.code, amount: "1.00" },
    ]);
    return true;
  });
}

async function redemptionRows(promotionId: string): Promise<{ released: number; unreleased: number }> {
  const { rows } = await db.query<{ released: number; unreleased: number }>(
    `select count(*) filter (where released_at is not null)::int as released,
            count(*) filter (where released_at is null)::int as unreleased
       from promotion_redemptions where promotion_id = $1`,
    [promotionId],
  );
  return rows[0] ?? { released: 0, unreleased: 0 };
}

describe("findPromotionsForCodes", () => {
  it("finds the promotions of codes in any case, as the pricing engine takes them, keyed by the code in lower case", async () => {
    const productId = randomUUID();
    const items = await newPromotion({
      displayName: "Injectors",
      kind: PromotionKind.ITEM_FIXED_AMOUNT,
      value: "5",
      currency: "USD",
      skus: ["INJ-6.7-CR"],
      productIds: [productId],
      codes: [code("INJ"), code("inj")],
      minimumSubtotal: "100",
      startTime: { seconds: 1_782_864_000n },
      endTime: { seconds: 1_785_542_400n, nanos: 250_000_000 },
      usageLimit: 50,
      perCustomerLimit: 2,
    });
    const shipping = await newPromotion({ kind: PromotionKind.FREE_SHIPPING, value: "", active: false });
    const other = await newPromotion({}, service.clients((await service.newTenant()).key));
    const [first, second] = items.codes as [string, string];
    const found = await findPromotionsForCodes(
      orm.em.fork(),
      tenantId,
      [first.toLowerCase(), second.toUpperCase(), shipping.codes[0] ?? "", "NO-SUCH", other.codes[0] ?? ""],
      { customerId: randomUUID() },
      { lock: false },
    );
    expect([...found.keys()].sort()).toEqual(
      [first, second, shipping.codes[0] ?? ""].map((c) => c.toLowerCase()).sort(),
    );
    expect(found.get(first.toLowerCase())).toEqual({
      id: items.id,
      name: "Injectors",
      code: first,
      kind: "ITEM_FIXED_AMOUNT",
      value: "5.00",
      skus: ["INJ-6.7-CR"],
      productIds: [productId],
      currency: "USD",
      minimumSubtotal: "100.00",
      startTime: new Date("2026-07-01T00:00:00.000Z"),
      endTime: new Date("2026-08-01T00:00:00.250Z"),
      active: true,
      usageLimit: 50,
      usageCount: 0,
      perCustomerLimit: 2,
      customerUsageCount: 0,
    });
    expect(found.get(second.toLowerCase())).toMatchObject({ id: items.id, code: second });
    expect(found.get(shipping.codes[0]?.toLowerCase() ?? "")).toEqual({
      id: shipping.id,
      name: "Ten percent",
      code: shipping.codes[0],
      kind: "FREE_SHIPPING",
      value: "",
      skus: [],
      productIds: [],
      currency: "",
      minimumSubtotal: "",
      startTime: undefined,
      endTime: undefined,
      active: false,
      usageLimit: undefined,
      usageCount: 0,
      perCustomerLimit: undefined,
      customerUsageCount: 0,
    });
    expect(await findPromotionsForCodes(orm.em.fork(), tenantId, [], {}, { lock: true })).toEqual(new Map());
  });

  it("reads the same through a pg client of the caller's own, in its transaction", async () => {
    const promotion = await newPromotion({ kind: PromotionKind.ORDER_FIXED_AMOUNT, value: "7.5", currency: "EUR" });
    const promotionCode = promotion.codes[0] ?? "";
    const viaOrm = await findPromotionsForCodes(orm.em.fork(), tenantId, [promotionCode], {}, { lock: false });
    const client = await db.connect();
    try {
      await client.query("begin");
      const viaClient = await findPromotionsForCodes(client, tenantId, [promotionCode], {}, { lock: true });
      await client.query("commit");
      expect(viaClient).toEqual(viaOrm);
      expect(viaClient.get(promotionCode.toLowerCase())).toMatchObject({ value: "7.50", currency: "EUR" });
    } finally {
      client.release();
    }
  });

  it("counts the buyer's unreleased uses: by customer id, or by guest e-mail in any case", async () => {
    const promotion = await newPromotion({ perCustomerLimit: 5 });
    const promotionCode = promotion.codes[0] ?? "";
    const customerId = randomUUID();
    const count = async (buyer: Buyer) =>
      (await findPromotionsForCodes(orm.em.fork(), tenantId, [promotionCode], buyer, { lock: false })).get(
        promotionCode.toLowerCase(),
      )?.customerUsageCount;
    await placeOrder(promotionCode, { customerId });
    await placeOrder(promotionCode, { customerId, email: "ignored@example.com" });
    await placeOrder(promotionCode, { email: "Guest@Example.com" });
    const released = randomUUID();
    await placeOrder(promotionCode, { email: "guest@example.com" }, released);
    await releaseRedemptions(orm.em.fork(), tenantId, released);
    expect(await count({ customerId })).toBe(2);
    expect(await count({ email: "GUEST@example.COM" })).toBe(1);
    expect(await count({ email: "ignored@example.com" })).toBe(0);
    expect(await count({})).toBe(0);
    expect((await readPromotion(promotion.id)).usageCount).toBe(3);
  });

  it("reads the counts a concurrent order left when it had to wait for that order's lock", async () => {
    const promotion = await newPromotion({ perCustomerLimit: 1 });
    const promotionCode = promotion.codes[0] ?? "";
    const buyer = { customerId: randomUUID() };
    const first = await db.connect();
    const second = await db.connect();
    try {
      await first.query("begin");
      await findPromotionsForCodes(first, tenantId, [promotionCode], buyer, { lock: true });
      await recordRedemptions(first, tenantId, randomUUID(), buyer, [
        { promotionId: promotion.id, code: promotionCode, amount: "2.50" },
      ]);
      await second.query("begin");
      const { rows } = await second.query<{ pid: number }>("select pg_backend_pid() as pid");
      const waiting = findPromotionsForCodes(second, tenantId, [promotionCode], buyer, { lock: true });
      await waitFor("the second order to wait for the promotion's lock", async () => {
        const lockWait = await db.query("select 1 from pg_stat_activity where pid = $1 and wait_event_type = 'Lock'", [
          rows[0]?.pid,
        ]);
        return lockWait.rows.length > 0;
      });
      await first.query("commit");
      const seen = (await waiting).get(promotionCode.toLowerCase());
      await second.query("rollback");
      // The statement began before the first order committed; the usage it reports is the committed one.
      expect(seen).toMatchObject({ usageCount: 1, customerUsageCount: 1 });
    } finally {
      // Destroyed, not returned: a failure above may leave a transaction open on them.
      first.release(true);
      second.release(true);
    }
  });
});

describe("recordRedemptions and releaseRedemptions", () => {
  it("count an order's uses and give them back exactly once, without changing the promotion's etag", async () => {
    const promotion = await newPromotion();
    const other = await newPromotion();
    const orderId = randomUUID();
    const buyer = { email: "ada@example.com" };
    await orm.em.fork().transactional(async (tx) => {
      await findPromotionsForCodes(tx, tenantId, [...promotion.codes, ...other.codes], buyer, { lock: true });
      await recordRedemptions(tx, tenantId, orderId, buyer, [
        { promotionId: promotion.id, code: promotion.codes[0] ?? "", amount: "12.3456" },
        { promotionId: other.id, code: other.codes[0] ?? "", amount: "1" },
      ]);
    });
    const used = await readPromotion(promotion.id);
    expect(used).toEqual({ ...promotion, usageCount: 1 });
    expect((await readPromotion(other.id)).usageCount).toBe(1);
    const { rows } = await db.query<{ amount: string; customerKey: string }>(
      `select amount::text, customer_key as "customerKey" from promotion_redemptions where order_id = $1 order by amount`,
      [orderId],
    );
    expect(rows).toEqual([
      { amount: "1.0000", customerKey: "email:ada@example.com" },
      { amount: "12.3456", customerKey: "email:ada@example.com" },
    ]);

    await Promise.all([1, 2, 3].map(() => releaseRedemptions(orm.em.fork(), tenantId, orderId)));
    await releaseRedemptions(orm.em.fork(), tenantId, orderId);
    expect(await readPromotion(promotion.id)).toEqual(promotion);
    expect((await readPromotion(other.id)).usageCount).toBe(0);
    expect(await redemptionRows(promotion.id)).toEqual({ released: 1, unreleased: 0 });
    // Another tenant's release of the same order id, and a release of an order without uses, change nothing.
    await releaseRedemptions(orm.em.fork(), (await service.newTenant()).tenantId, orderId);
    await releaseRedemptions(orm.em.fork(), tenantId, randomUUID());
  });

  it("write nothing for no redemptions, and refuse a buyer without identity or another tenant's promotion", async () => {
    const promotion = await newPromotion();
    const redemption = { promotionId: promotion.id, code: promotion.codes[0] ?? "", amount: "1" };
    await recordRedemptions(orm.em.fork(), tenantId, randomUUID(), {}, []);
    await expect(recordRedemptions(orm.em.fork(), tenantId, randomUUID(), {}, [redemption])).rejects.toThrow(
      /without a customer or e-mail/,
    );
    const otherTenant = (await service.newTenant()).tenantId;
    await expect(
      orm.em
        .fork()
        .transactional((tx: Queryable) =>
          recordRedemptions(tx, otherTenant, randomUUID(), { customerId: randomUUID() }, [redemption]),
        ),
    ).rejects.toThrow(/not the tenant's/);
    expect(await redemptionRows(promotion.id)).toEqual({ released: 0, unreleased: 0 });
    expect((await readPromotion(promotion.id)).usageCount).toBe(0);
  });
});

describe("recordUnlimitedRedemptions", () => {
  const uses = (promotion: Promotion) => [{ promotionId: promotion.id, code: promotion.codes[0] ?? "", amount: "1" }];
  const record = (promotion: Promotion, orderId = randomUUID()) =>
    orm.em
      .fork()
      .transactional((tx: Queryable) =>
        recordUnlimitedRedemptions(tx, tenantId, orderId, { email: "ada@example.com" }, uses(promotion)),
      );

  it("counts the uses of promotions without limits with no lock taken, 40 orders at once", async () => {
    const promotion = await newPromotion();
    const results = await Promise.all(Array.from({ length: 40 }, () => record(promotion)));
    expect(results.every(Boolean)).toBe(true);
    expect((await readPromotion(promotion.id)).usageCount).toBe(40);
    expect(await redemptionRows(promotion.id)).toEqual({ released: 0, unreleased: 40 });
  });

  it("writes nothing and answers false for a promotion with a limit, in total or per customer, or inactive", async () => {
    const limited = await newPromotion({ usageLimit: 100 });
    const perCustomer = await newPromotion({ perCustomerLimit: 5 });
    const inactive = await newPromotion();
    await clients.promotions.deactivatePromotion({ id: inactive.id });
    for (const promotion of [limited, perCustomer, inactive]) {
      expect(await record(promotion)).toBe(false);
      expect((await readPromotion(promotion.id)).usageCount).toBe(0);
      expect(await redemptionRows(promotion.id)).toEqual({ released: 0, unreleased: 0 });
    }
    // another tenant's promotion is not counted either
    const otherTenant = (await service.newTenant()).tenantId;
    const unlimited = await newPromotion();
    expect(
      await orm.em
        .fork()
        .transactional((tx: Queryable) =>
          recordUnlimitedRedemptions(tx, otherTenant, randomUUID(), { email: "ada@example.com" }, uses(unlimited)),
        ),
    ).toBe(false);
    expect(await redemptionRows(unlimited.id)).toEqual({ released: 0, unreleased: 0 });
  });
});

describe("usage limits under concurrency", () => {
  it("100 concurrent orders with a code limited to 10 uses: exactly 10 redeem it", async () => {
    const promotion = await newPromotion({ usageLimit: 10 });
    const promotionCode = promotion.codes[0] ?? "";
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => placeOrder(promotionCode, { email: `buyer-${i}@example.com` })),
    );
    expect(results.filter(Boolean)).toHaveLength(10);
    expect((await readPromotion(promotion.id)).usageCount).toBe(10);
    expect(await redemptionRows(promotion.id)).toEqual({ released: 0, unreleased: 10 });
  });

  it("20 concurrent orders of one customer, limited to 2 uses each: exactly 2 redeem it, another customer still can", async () => {
    const promotion = await newPromotion({ perCustomerLimit: 2 });
    const promotionCode = promotion.codes[0] ?? "";
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        placeOrder(i % 2 === 0 ? promotionCode : promotionCode.toLowerCase(), {
          email: i % 2 === 0 ? "Repeat@Example.com" : "repeat@example.com",
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(2);
    expect(await placeOrder(promotionCode, { email: "someone-else@example.com" })).toBe(true);
    expect((await readPromotion(promotion.id)).usageCount).toBe(3);
  });

  it("a canceled order gives its use back once, however many releases race, and exactly one racer gets it", async () => {
    const promotion = await newPromotion({ usageLimit: 3 });
    const promotionCode = promotion.codes[0] ?? "";
    const orders = Array.from({ length: 3 }, () => randomUUID());
    for (const [i, orderId] of orders.entries()) {
      expect(await placeOrder(promotionCode, { email: `first-${i}@example.com` }, orderId)).toBe(true);
    }
    expect(await placeOrder(promotionCode, { email: "late@example.com" })).toBe(false);
    await Promise.all([1, 2, 3].map(() => releaseRedemptions(orm.em.fork(), tenantId, orders[0] ?? "")));
    expect((await readPromotion(promotion.id)).usageCount).toBe(2);
    const racers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => placeOrder(promotionCode, { email: `racer-${i}@example.com` })),
    );
    expect(racers.filter(Boolean)).toHaveLength(1);
    expect((await readPromotion(promotion.id)).usageCount).toBe(3);
    expect(await redemptionRows(promotion.id)).toEqual({ released: 1, unreleased: 3 });
  });
});
