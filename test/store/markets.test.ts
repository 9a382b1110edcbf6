import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Market, MarketSchema } from "../../gen/orders/v1/store_pb.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let admin: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  admin = service.clients((await service.newTenant("admin")).key);
});
afterAll(() => ifSetUp(service)?.close());

const europe = { name: "Europe", currency: "EUR", countries: ["FR", "DE"], defaultLocale: "de-DE" };

async function createMarket(clients: Clients, market: MessageInitShape<typeof MarketSchema> = europe): Promise<Market> {
  const { market: created } = await clients.store.createMarket({ market });
  if (!created) throw new Error("CreateMarket returned no market");
  return created;
}

describe("CreateMarket and GetMarket", () => {
  it("creates a market, its countries sorted and its locale canonical, and reads it back", async () => {
    const market = await createMarket(admin, { ...europe, defaultLocale: "de-de" });
    expect(market).toMatchObject({ name: "Europe", currency: "EUR", countries: ["DE", "FR"], defaultLocale: "de-DE" });
    expect(market.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(market.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(market.createTime).toEqual(market.updateTime);
    const { market: read } = await admin.store.getMarket({ id: market.id });
    expect(read).toEqual(market);
  });

  it("answers a retry with the same request_id as the first call, and a changed retry as a reuse", async () => {
    const requestId = crypto.randomUUID();
    const first = await admin.store.createMarket({ market: { ...europe, countries: ["AT"] }, requestId });
    const again = await admin.store.createMarket({ market: { ...europe, countries: ["AT"] }, requestId });
    expect(again).toEqual(first);
    const reused = await rejectionOf(
      admin.store.createMarket({ market: { ...europe, name: "Other", countries: ["AT"] }, requestId }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("refuses a missing market and each missing field as REQUIRED", async () => {
    expect(await rejectionOf(admin.store.createMarket({}))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "market", reason: "REQUIRED" }],
    });
    const error = await rejectionOf(admin.store.createMarket({ market: {} }));
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "market.name", reason: "REQUIRED" },
        { field: "market.currency", reason: "REQUIRED" },
        { field: "market.countries", reason: "REQUIRED" },
        { field: "market.default_locale", reason: "REQUIRED" },
      ],
    });
  });

  it("refuses an unknown currency, country and locale with a field violation each", async () => {
    const error = await rejectionOf(
      admin.store.createMarket({
        market: { name: "Gold", currency: "XAU", countries: ["FR", "ZZ", "UK"], defaultLocale: "zz-US" },
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "market.currency", reason: "UNKNOWN_CURRENCY" },
        { field: "market.countries[1]", reason: "UNKNOWN_COUNTRY" },
        { field: "market.countries[2]", reason: "UNKNOWN_COUNTRY" },
        { field: "market.default_locale", reason: "INVALID_LOCALE" },
      ],
    });
  });

  it("refuses what the contract's rules refuse: lower-case codes, repeated countries, long values", async () => {
    const error = await rejectionOf(
      admin.store.createMarket({
        market: {
          name: "x".repeat(201),
          currency: "eur",
          countries: ["fr", "FR", "FR"],
          defaultLocale: "a".repeat(36),
        },
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations.map((v) => v.field)).toEqual(
      expect.arrayContaining([
        "market.name",
        "market.currency",
        "market.countries",
        "market.countries[0]",
        "market.default_locale",
      ]),
    );
  });

  it("keeps a country in one market of a tenant: COUNTRY_TAKEN names the market holding it", async () => {
    const holder = await createMarket(admin, { ...europe, name: "Nordics", countries: ["SE", "NO"] });
    const error = await rejectionOf(admin.store.createMarket({ market: { ...europe, countries: ["DK", "NO"] } }));
    expect(error).toMatchObject({
      code: Code.AlreadyExists,
      reason: "COUNTRY_TAKEN",
      metadata: { country: "NO", marketId: holder.id },
    });
    // Another tenant's markets are no obstacle.
    const other = service.clients((await service.newTenant("admin")).key);
    await expect(createMarket(other, { ...europe, countries: ["NO"] })).resolves.toMatchObject({ countries: ["NO"] });
  });

  it("answers a missing id and another tenant's market as NOT_FOUND, and a malformed id as INVALID_ARGUMENT", async () => {
    const market = await createMarket(admin, { ...europe, countries: ["BE"] });
    const stranger = service.clients((await service.newTenant("viewer")).key);
    for (const [clients, id] of [
      [admin, crypto.randomUUID()],
      [stranger, market.id],
    ] as const) {
      expect(await rejectionOf(clients.store.getMarket({ id }))).toMatchObject({
        code: Code.NotFound,
        reason: "MARKET_NOT_FOUND",
        metadata: { marketId: id },
      });
    }
    expect(await rejectionOf(admin.store.getMarket({ id: "not-a-uuid" }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "id", reason: "STRING_UUID" }],
    });
  });
});

describe("UpdateMarket", () => {
  it("sets exactly the masked fields, canonicalises the locale and changes the etag", async () => {
    const market = await createMarket(admin, { ...europe, countries: ["IT"] });
    const { market: updated } = await admin.store.updateMarket({
      market: { id: market.id, etag: market.etag, name: "Southern Europe", currency: "CHF", defaultLocale: "IT-it" },
      updateMask: { paths: ["name", "default_locale"] },
    });
    expect(updated).toMatchObject({
      name: "Southern Europe",
      currency: "EUR",
      countries: ["IT"],
      defaultLocale: "it-IT",
    });
    expect(updated?.etag).not.toBe(market.etag);
    expect((await admin.store.getMarket({ id: market.id })).market).toEqual(updated);
  });

  it("replaces the countries, freeing the ones dropped for other markets", async () => {
    const market = await createMarket(admin, { ...europe, countries: ["PT", "ES"] });
    const { market: updated } = await admin.store.updateMarket({
      market: { id: market.id, countries: ["ES", "AD"] },
      updateMask: { paths: ["countries"] },
    });
    expect(updated?.countries).toEqual(["AD", "ES"]);
    expect(updated?.etag).not.toBe(market.etag);
    await expect(createMarket(admin, { ...europe, countries: ["PT"] })).resolves.toMatchObject({ countries: ["PT"] });
    const taken = await rejectionOf(
      admin.store.updateMarket({
        market: { id: market.id, countries: ["ES", "PT"] },
        updateMask: { paths: ["countries"] },
      }),
    );
    expect(taken).toMatchObject({ code: Code.AlreadyExists, reason: "COUNTRY_TAKEN", metadata: { country: "PT" } });
    expect((await admin.store.getMarket({ id: market.id })).market).toEqual(updated);
  });

  it('takes "*" as every field', async () => {
    const market = await createMarket(admin, { ...europe, countries: ["GR"] });
    const { market: updated } = await admin.store.updateMarket({
      market: { id: market.id, name: "Greece", currency: "USD", countries: ["GR", "CY"], defaultLocale: "el" },
      updateMask: { paths: ["*"] },
    });
    expect(updated).toMatchObject({ name: "Greece", currency: "USD", countries: ["CY", "GR"], defaultLocale: "el" });
  });

  it("is ABORTED with ETAG_MISMATCH for a stale etag and changes nothing", async () => {
    const market = await createMarket(admin, { ...europe, countries: ["IE"] });
    await admin.store.updateMarket({ market: { id: market.id, name: "Ireland" }, updateMask: { paths: ["name"] } });
    const error = await rejectionOf(
      admin.store.updateMarket({
        market: { id: market.id, etag: market.etag, name: "Eire" },
        updateMask: { paths: ["name"] },
      }),
    );
    expect(error).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { marketId: market.id } });
    expect((await admin.store.getMarket({ id: market.id })).market?.name).toBe("Ireland");
  });

  it("answers a retry with the same request_id as the first call, even though the etag moved", async () => {
    const market = await createMarket(admin, { ...europe, countries: ["LU"] });
    const request = {
      market: { id: market.id, etag: market.etag, name: "Luxembourg" },
      updateMask: { paths: ["name"] },
      requestId: crypto.randomUUID(),
    };
    const first = await admin.store.updateMarket(request);
    expect(await admin.store.updateMarket(request)).toEqual(first);
  });

  it("refuses a bad mask, a bad id and bad values with field violations", async () => {
    const market = await createMarket(admin, { ...europe, countries: ["MT"] });
    expect(
      await rejectionOf(admin.store.updateMarket({ market: { id: market.id }, updateMask: { paths: [] } })),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "update_mask", reason: "REQUIRED" }],
    });
    expect(
      await rejectionOf(
        admin.store.updateMarket({ market: { id: "nope" }, updateMask: { paths: ["name", "etag", "countries.0"] } }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "market.id", reason: "INVALID_UUID" },
        { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
        { field: "update_mask.paths[2]", reason: "NOT_UPDATABLE" },
      ],
    });
    expect(
      await rejectionOf(
        admin.store.updateMarket({
          market: { id: market.id, currency: "ABC", countries: [], defaultLocale: "en_US" },
          updateMask: { paths: ["currency", "countries", "default_locale"] },
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "market.currency", reason: "UNKNOWN_CURRENCY" },
        { field: "market.countries", reason: "REQUIRED" },
        { field: "market.default_locale", reason: "INVALID_LOCALE" },
      ],
    });
  });

  it("answers unknown and other tenants' markets as NOT_FOUND", async () => {
    const market = await createMarket(admin, { ...europe, countries: ["SI"] });
    const stranger = service.clients((await service.newTenant("admin")).key);
    for (const [clients, id] of [
      [admin, crypto.randomUUID()],
      [stranger, market.id],
    ] as const) {
      expect(
        await rejectionOf(clients.store.updateMarket({ market: { id, name: "x" }, updateMask: { paths: ["name"] } })),
      ).toMatchObject({ code: Code.NotFound, reason: "MARKET_NOT_FOUND" });
    }
    expect((await admin.store.getMarket({ id: market.id })).market).toEqual(market);
  });
});
