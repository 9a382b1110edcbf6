import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let admin: Clients;
let marketIds: string[];
let channelIds: string[];
let locationIds: string[];

const COUNTRIES = ["FR", "DE", "IT", "ES", "PT"];
const address = { line1: "1 Main St", country: "US" };

beforeAll(async () => {
  service = await buildInMemoryService();
  admin = service.clients((await service.newTenant("admin")).key);
  // One after the other, so the create times are in this order.
  marketIds = [];
  channelIds = [];
  locationIds = [];
  for (const [index, country] of COUNTRIES.entries()) {
    const name = `#${index}`;
    const { market } = await admin.store.createMarket({
      market: { name, currency: "EUR", countries: [country], defaultLocale: "en" },
    });
    const { salesChannel } = await admin.store.createSalesChannel({ salesChannel: { name } });
    const { stockLocation } = await admin.store.createStockLocation({ stockLocation: { name, address } });
    marketIds.push(market?.id ?? "");
    channelIds.push(salesChannel?.id ?? "");
    locationIds.push(stockLocation?.id ?? "");
  }
});
afterAll(() => ifSetUp(service)?.close());

describe("the store's lists", () => {
  it("page through markets oldest first, 2 at a time, the last page without a token", async () => {
    const ids: string[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await admin.store.listMarkets({ pageSize: 2, pageToken });
      ids.push(...page.markets.map((market) => market.id));
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken !== "");
    expect(ids).toEqual(marketIds);
    expect(pages).toBe(3);
  });

  it("page through sales channels and stock locations the same way, with the default page size", async () => {
    const channels = await admin.store.listSalesChannels({});
    expect(channels.salesChannels.map((channel) => channel.id)).toEqual(channelIds);
    expect(channels.nextPageToken).toBe("");
    const first = await admin.store.listStockLocations({ pageSize: 4 });
    const rest = await admin.store.listStockLocations({ pageSize: 4, pageToken: first.nextPageToken });
    expect([...first.stockLocations, ...rest.stockLocations].map((location) => location.id)).toEqual(locationIds);
    expect(rest.nextPageToken).toBe("");
  });

  it("show only the caller's tenant's resources", async () => {
    const stranger = service.clients((await service.newTenant("viewer")).key);
    expect((await stranger.store.listMarkets({})).markets).toEqual([]);
    expect((await stranger.store.listSalesChannels({})).salesChannels).toEqual([]);
    expect((await stranger.store.listStockLocations({})).stockLocations).toEqual([]);
  });

  it("refuse a token of another list or another tenant as PAGE_TOKEN_FILTERS_CHANGED, and a made-up one", async () => {
    const { nextPageToken } = await admin.store.listMarkets({ pageSize: 1 });
    expect(await rejectionOf(admin.store.listSalesChannels({ pageToken: nextPageToken }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }],
    });
    const stranger = service.clients((await service.newTenant("viewer")).key);
    expect(await rejectionOf(stranger.store.listMarkets({ pageToken: nextPageToken }))).toMatchObject({
      violations: [{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }],
    });
    expect(await rejectionOf(admin.store.listStockLocations({ pageToken: `${nextPageToken}x` }))).toMatchObject({
      violations: [{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }],
    });
  });

  it("refuse a negative page size and treat a huge one as 500", async () => {
    expect(await rejectionOf(admin.store.listMarkets({ pageSize: -1 }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "page_size", reason: "INT32_GTE" }],
    });
    expect((await admin.store.listMarkets({ pageSize: 100_000 })).markets).toHaveLength(COUNTRIES.length);
  });
});
