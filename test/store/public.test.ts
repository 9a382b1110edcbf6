import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Market, SalesChannel, StockLocation } from "../../gen/orders/v1/store_pb.js";
import { query } from "../../src/platform/database/query.js";
import {
  resolvedStoreReferences,
  resolveStoreReferences,
  STORE_REFERENCES_SQL,
  storeReferencesParameters,
  storeResourceNotFound,
  type StoreReferencesRow,
} from "../../src/store/public.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let tenantId: string;
let market: Market;
let channels: SalesChannel[];
let location: StockLocation;
let foreign: { marketId: string; salesChannelId: string; stockLocationId: string };

const address = { name: "Dock 4", line1: "1 Port St", city: "Newark", country: "US" };

async function seedStore(key: string) {
  const clients = service.clients(key);
  const { market } = await clients.store.createMarket({
    market: { name: "North America", currency: "USD", countries: ["US", "CA"], defaultLocale: "en-US" },
  });
  const first = (await clients.store.createSalesChannel({ salesChannel: { name: "Online Store" } })).salesChannel;
  const second = (await clients.store.createSalesChannel({ salesChannel: { name: "B2B Portal" } })).salesChannel;
  const { stockLocation } = await clients.store.createStockLocation({
    stockLocation: { name: "Newark", address, active: false },
  });
  if (!market || !first || !second || !stockLocation) throw new Error("the store was not seeded");
  return { market, channels: [first, second], location: stockLocation };
}

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("admin");
  tenantId = tenant.tenantId;
  ({ market, channels, location } = await seedStore(tenant.key));
  const other = await service.newTenant("admin");
  const theirs = await seedStore(other.key);
  foreign = {
    marketId: theirs.market.id,
    salesChannelId: theirs.channels[1]?.id ?? "",
    stockLocationId: theirs.location.id,
  };
});
afterAll(() => ifSetUp(service)?.close());

const primary = () => ({ id: channels[0]?.id, name: "Online Store", primary: true });

describe("store/public.ts: resolveStoreReferences", () => {
  it("returns each named resource of the tenant and the primary channel, in one statement", async () => {
    const resolved = await resolveStoreReferences(service.app.orm.em.fork(), tenantId, {
      marketId: market.id,
      salesChannelId: channels[1]?.id,
      stockLocationId: location.id,
    });
    expect(resolved).toEqual({
      market: {
        id: market.id,
        name: "North America",
        currency: "USD",
        countries: ["CA", "US"],
        defaultLocale: "en-US",
      },
      salesChannel: { id: channels[1]?.id, name: "B2B Portal", primary: false },
      stockLocation: { id: location.id, name: "Newark", address, active: false },
      primarySalesChannel: primary(),
      notFound: [],
    });
  });

  it("names nothing but the primary channel when the order names nothing ('' counts as not given)", async () => {
    const em = service.app.orm.em.fork();
    for (const references of [{}, { marketId: "", salesChannelId: "", stockLocationId: "" }]) {
      expect(await resolveStoreReferences(em, tenantId, references)).toEqual({
        primarySalesChannel: primary(),
        notFound: [],
      });
    }
  });

  it("says which ids are not the tenant's: another tenant's, unknown ones, and ids that are not UUIDs", async () => {
    const em = service.app.orm.em.fork();
    expect(await resolveStoreReferences(em, tenantId, foreign)).toEqual({
      primarySalesChannel: primary(),
      notFound: ["market", "sales_channel", "stock_location"],
    });
    expect(
      await resolveStoreReferences(em, tenantId, {
        marketId: crypto.randomUUID(),
        salesChannelId: "ch_UkLWZg9DAJ",
        stockLocationId: location.id,
      }),
    ).toMatchObject({ notFound: ["market", "sales_channel"], stockLocation: { id: location.id } });
  });

  it("has no primary channel for a tenant without channels", async () => {
    const { tenantId: empty } = await service.newTenant("viewer");
    expect(await resolveStoreReferences(service.app.orm.em.fork(), empty, { marketId: market.id })).toEqual({
      notFound: ["market"],
    });
  });

  it("runs in the caller's transaction, and as a CTE of the caller's own statement", async () => {
    const references = { marketId: market.id, stockLocationId: foreign.stockLocationId };
    const inTransaction = await service.app.orm.em
      .fork()
      .transactional((tx) => resolveStoreReferences(tx, tenantId, references));
    const { rows } = await query<StoreReferencesRow & Record<string, unknown>>(
      service.app.orm.em.fork(),
      `with store as (${STORE_REFERENCES_SQL}) select store.* from store`,
      storeReferencesParameters(tenantId, references),
    );
    const [row] = rows;
    if (!row) throw new Error("no row");
    expect(resolvedStoreReferences(references, row)).toEqual(inTransaction);
    expect(inTransaction).toMatchObject({ market: { id: market.id }, notFound: ["stock_location"] });
  });

  it("gives the errors StoreService answers for the same ids", () => {
    const error = storeResourceNotFound("stock_location", location.id);
    expect(error).toMatchObject({
      kind: "not_found",
      reason: "STOCK_LOCATION_NOT_FOUND",
      metadata: { stockLocationId: location.id },
    });
  });
});
