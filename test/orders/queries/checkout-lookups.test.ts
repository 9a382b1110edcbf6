import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PromotionKind } from "../../../gen/orders/v1/promotion_pb.js";
import { unlockedCheckoutLookups, type UnlockedLookupsQuery } from "../../../src/orders/queries/checkout-lookups.js";
import { nativePool } from "../../../src/platform/database/query.js";
import { findPromotionsForCodes } from "../../../src/promotions/public.js";
import { findShippingMethod } from "../../../src/shipping/public.js";
import { loadTaxConfiguration } from "../../../src/tax/public.js";
import type { Clients } from "../../support/clients.js";
import { buildInMemoryService, type InMemoryService } from "../../support/in-memory.js";
import { BROOKLYN, setUpNewYorkShop } from "../../support/new-york-shop.js";
import { countingPool } from "../../support/counting-pool.js";
import { ifSetUp } from "../../support/set-up.js";

let service: InMemoryService;
let tenantId: string;
let admin: Clients;
let groundId: string;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("admin");
  tenantId = tenant.tenantId;
  admin = service.clients(tenant.key);
  groundId = await setUpNewYorkShop(admin);
  await admin.promotions.createPromotion({
    promotion: {
      displayName: "Five off, twice each",
      kind: PromotionKind.ORDER_FIXED_AMOUNT,
      value: "5.00",
      currency: "USD",
      perCustomerLimit: 2,
      usageLimit: 100,
      codes: ["FIVE", "FIVE-AGAIN"],
    },
  });
  // Uses the buyer's count must show: one of each promotion by ada, one by someone else.
  for (const email of ["ada@example.com", "bob@example.com"]) {
    await admin.orders.createOrder({
      email,
      items: [{ sku: "A", name: "A", unitPrice: "20.00" }],
      shippingAddress: BROOKLYN,
      couponCodes: email.startsWith("ada") ? ["SPRING10", "five"] : ["FIVE"],
    });
  }
});
afterAll(() => ifSetUp(service)?.close());

/** What each capability's own query answers for `ask`. */
async function eachOnItsOwn(ask: UnlockedLookupsQuery) {
  const em = service.app.orm.em.fork();
  return {
    tax: await loadTaxConfiguration(em, ask.tenantId, ask.marketId),
    shippingMethod: ask.shippingMethodId ? await findShippingMethod(em, ask.tenantId, ask.shippingMethodId) : undefined,
    promotions: await findPromotionsForCodes(em, ask.tenantId, ask.couponCodes, ask.buyer, { lock: false }),
  };
}

describe("unlockedCheckoutLookups (CreateOrder's one lookup statement)", () => {
  it("reads the tax configuration, the shipping method and the promotions with the buyer's uses as their capabilities do, in one statement", async () => {
    for (const ask of [
      {
        tenantId,
        marketId: undefined,
        shippingMethodId: groundId,
        couponCodes: ["spring10", "FIVE-again", "Five", "NOPE"],
        buyer: { email: "Ada@Example.com" },
      },
      { tenantId, marketId: "eu", shippingMethodId: undefined, couponCodes: ["FIVE"], buyer: {} },
      {
        tenantId,
        marketId: undefined,
        shippingMethodId: undefined,
        couponCodes: [],
        buyer: { customerId: randomUUID() },
      },
    ]) {
      const { db, statements } = await countingPool(service.app.orm.em);
      const together = await unlockedCheckoutLookups(db, ask);
      expect(statements()).toBe(1);
      expect(together).toEqual(await eachOnItsOwn(ask));
    }
    const found = await unlockedCheckoutLookups(await nativePool(service.app.orm.em), {
      tenantId,
      marketId: undefined,
      shippingMethodId: groundId,
      couponCodes: ["five", "SPRING10"],
      buyer: { email: "ada@example.com" },
    });
    expect(found.tax?.zones.map((zone) => zone.name)).toEqual(["New York City"]);
    expect(found.shippingMethod).toMatchObject({ id: groundId, carrier: "UPS", service: "Ground", active: true });
    expect(
      [...found.promotions.entries()].map(([code, p]) => [code, p.code, p.usageCount, p.customerUsageCount]),
    ).toEqual(
      expect.arrayContaining([
        ["five", "FIVE", 2, 1],
        ["spring10", "SPRING10", 1, 1],
      ]),
    );
  });

  it("finds nothing of another tenant's, nor a shipping method by an id that is not a UUID", async () => {
    const other = await service.newTenant("admin");
    const ask = {
      tenantId: other.tenantId,
      marketId: undefined,
      shippingMethodId: groundId,
      couponCodes: ["SPRING10"],
      buyer: { email: "ada@example.com" },
    };
    expect(await unlockedCheckoutLookups(await nativePool(service.app.orm.em), ask)).toEqual({
      tax: undefined,
      shippingMethod: undefined,
      promotions: new Map(),
    });
    const notUuid = { ...ask, tenantId, shippingMethodId: "ground" };
    expect((await unlockedCheckoutLookups(service.app.orm.em.fork(), notUuid)).shippingMethod).toBeUndefined();
  });
});
