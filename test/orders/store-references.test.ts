import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import type { Clients } from "../support/clients.js";

// An order's market, sales channel and preferred stock location (issue 11 section 5, seed 002), over the routes in
// memory with the real StoreService.
let service: InMemoryService;
let admin: Clients;
let market: string;
let primary: string;
let web: string;
let warehouse: string;
let closed: string;

const item = { sku: "GIFT-BOX", name: "Gift box", unitPrice: "25.00" };
const address = { name: "Lager", line1: "Hafenstr. 1", city: "Hamburg", postalCode: "20457", country: "DE" };

beforeAll(async () => {
  service = await buildInMemoryService();
  admin = service.clients((await service.newTenant("admin")).key);
  market =
    (
      await admin.store.createMarket({
        market: { name: "Germany", currency: "EUR", countries: ["DE", "AT"], defaultLocale: "de-DE" },
      })
    ).market?.id ?? "";
  primary = (await admin.store.createSalesChannel({ salesChannel: { name: "Online store" } })).salesChannel?.id ?? "";
  web = (await admin.store.createSalesChannel({ salesChannel: { name: "Marketplace" } })).salesChannel?.id ?? "";
  warehouse =
    (await admin.store.createStockLocation({ stockLocation: { name: "Hamburg", address } })).stockLocation?.id ?? "";
  closed =
    (await admin.store.createStockLocation({ stockLocation: { name: "Old depot", address, active: false } }))
      .stockLocation?.id ?? "";
});
afterAll(() => ifSetUp(service)?.close());

describe("an order's market, sales channel and stock location", () => {
  it("takes the market's currency and locale, the primary sales channel, and the stock location given", async () => {
    const { order } = await admin.orders.createOrder({
      email: "kunde@example.de",
      marketId: market,
      preferredStockLocationId: warehouse,
      items: [item],
    });
    expect(order).toMatchObject({
      marketId: market,
      salesChannelId: primary,
      preferredStockLocationId: warehouse,
      currency: "EUR",
      locale: "de-DE",
      total: "25.00",
    });
    expect(order?.display?.total).toBe("25,00\u00a0€");
    expect((await admin.orders.getOrder({ id: order?.id ?? "" })).order).toEqual(order);
  });

  it("keeps a sales channel, currency and locale that are given", async () => {
    const { order } = await admin.orders.createOrder({
      email: "k@example.at",
      marketId: market,
      currency: "EUR",
      locale: "de-AT",
      salesChannelId: web,
      items: [item],
    });
    expect(order).toMatchObject({
      salesChannelId: web,
      currency: "EUR",
      locale: "de-AT",
      preferredStockLocationId: "",
    });
  });

  it("leaves the sales channel empty for a tenant without one", async () => {
    const other = service.clients((await service.newTenant()).key);
    const { order } = await other.orders.createOrder({ email: "x@example.com", items: [item] });
    expect(order).toMatchObject({ salesChannelId: "", marketId: "", currency: "USD" });
  });

  const unknown = "0c7b1a2d-4e5f-4a6b-9c8d-2e1f0a9b8c7d";
  it.each([
    ["marketId", "MARKET_NOT_FOUND"],
    ["salesChannelId", "SALES_CHANNEL_NOT_FOUND"],
    ["preferredStockLocationId", "STOCK_LOCATION_NOT_FOUND"],
  ])("answers an unknown %s with NOT_FOUND %s", async (field, reason) => {
    const error = await rejectionOf(
      admin.orders.createOrder({ email: "n@example.com", items: [item], [field]: unknown }),
    );
    expect(error).toMatchObject({ code: Code.NotFound, reason });
  });

  it("does not take another tenant's market", async () => {
    const other = service.clients((await service.newTenant()).key);
    const error = await rejectionOf(
      other.orders.createOrder({ email: "n@example.com", items: [item], marketId: market }),
    );
    expect(error).toMatchObject({ code: Code.NotFound, reason: "MARKET_NOT_FOUND" });
  });

  it("refuses a currency the market does not sell in, and an inactive stock location", async () => {
    const error = await rejectionOf(
      admin.orders.createOrder({
        email: "n@example.com",
        items: [item],
        marketId: market,
        currency: "USD",
        preferredStockLocationId: closed,
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        expect.objectContaining({ field: "currency", reason: "CURRENCY_NOT_IN_MARKET" }),
        expect.objectContaining({ field: "preferred_stock_location_id", reason: "STOCK_LOCATION_INACTIVE" }),
      ],
    });
  });

  it("previews the same choices", async () => {
    const preview = await admin.orders.previewOrder({
      order: { email: "p@example.de", marketId: market, items: [item] },
    });
    expect(preview.order).toMatchObject({
      marketId: market,
      salesChannelId: primary,
      currency: "EUR",
      locale: "de-DE",
    });
  });
});
