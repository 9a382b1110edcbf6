import type { MessageInitShape } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaxZone, TaxZoneSchema } from "../../gen/orders/v1/tax_pb.js";
import type { Clients } from "../support/clients.js";
import { query } from "../../src/platform/database/query.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let admin: Clients;
let viewer: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("admin");
  admin = service.clients(tenant.key);
  viewer = service.clients(await service.newKey(tenant.tenantId, "viewer"));
});
afterAll(() => ifSetUp(service)?.close());

type ZoneInit = MessageInitShape<typeof TaxZoneSchema>;

const nyc: ZoneInit = {
  displayName: "New York City",
  country: "US",
  region: "NY",
  postalCodePrefixes: ["100", "101", "102"],
  rates: [
    { taxCategory: "standard", displayName: "NY State", rate: "0.04" },
    { taxCategory: "standard", displayName: "NYC", rate: "0.04875" },
  ],
};

/** A zone of its own place: each test that writes takes another country so they never meet. */
async function createZone(clients: Clients, zone: ZoneInit): Promise<TaxZone> {
  const { taxZone } = await clients.tax.createTaxZone({ taxZone: zone });
  if (!taxZone) throw new Error("CreateTaxZone returned no zone");
  return taxZone;
}

describe("CreateTaxZone and GetTaxZone", () => {
  it("creates a zone and reads it back, with viewer keys too", async () => {
    const zone = await createZone(admin, nyc);
    expect(zone).toMatchObject({
      displayName: "New York City",
      country: "US",
      region: "NY",
      postalCodePrefixes: ["100", "101", "102"],
      rates: [
        { taxCategory: "standard", displayName: "NY State", rate: "0.04" },
        { taxCategory: "standard", displayName: "NYC", rate: "0.04875" },
      ],
    });
    expect(zone.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(zone.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(zone.createTime).toEqual(zone.updateTime);
    expect((await viewer.tax.getTaxZone({ id: zone.id })).taxZone).toEqual(zone);
  });

  it("normalises prefixes (upper case, no spaces, sorted), rates (no trailing zeros) and defaults the category", async () => {
    const zone = await createZone(admin, {
      displayName: "London",
      country: "GB",
      postalCodePrefixes: ["sw1a", "EC 1", "n1"],
      rates: [
        { displayName: "VAT", rate: "0.200000" },
        { taxCategory: "zero", displayName: "VAT", rate: "0" },
      ],
    });
    expect(zone).toMatchObject({
      region: "",
      postalCodePrefixes: ["EC1", "N1", "SW1A"],
      rates: [
        { taxCategory: "standard", displayName: "VAT", rate: "0.2" },
        { taxCategory: "zero", displayName: "VAT", rate: "0" },
      ],
    });
  });

  it("answers a retry with the same request_id as the first call, and a changed retry as a reuse", async () => {
    const requestId = crypto.randomUUID();
    const zone = { ...nyc, country: "CA", region: "ON", postalCodePrefixes: [] };
    const first = await admin.tax.createTaxZone({ taxZone: zone, requestId });
    const again = await admin.tax.createTaxZone({ taxZone: zone, requestId });
    expect(again).toEqual(first);
    const reused = await rejectionOf(
      admin.tax.createTaxZone({ taxZone: { ...zone, displayName: "Ontario" }, requestId }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("refuses a missing zone and each missing field as REQUIRED", async () => {
    expect(await rejectionOf(admin.tax.createTaxZone({}))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "tax_zone", reason: "REQUIRED" }],
    });
    expect(await rejectionOf(admin.tax.createTaxZone({ taxZone: {} }))).toMatchObject({
      code: Code.InvalidArgument,
      reason: "INVALID_ARGUMENT",
      violations: [
        { field: "tax_zone.display_name", reason: "REQUIRED" },
        { field: "tax_zone.country", reason: "REQUIRED" },
        { field: "tax_zone.rates", reason: "REQUIRED" },
      ],
    });
  });

  it("refuses an unknown country and a prefix given twice (in another case or with spaces) with their reasons", async () => {
    const error = await rejectionOf(
      admin.tax.createTaxZone({
        taxZone: { ...nyc, country: "ZZ", postalCodePrefixes: ["ab1", "AB 1", "AB2"] },
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "tax_zone.country", reason: "UNKNOWN_COUNTRY" },
        { field: "tax_zone.postal_code_prefixes[1]", reason: "DUPLICATE_POSTAL_CODE_PREFIX" },
      ],
    });
  });

  it("refuses what the contract's rules refuse, each at its field with its reason", async () => {
    const error = await rejectionOf(
      admin.tax.createTaxZone({
        taxZone: {
          displayName: "x".repeat(101),
          country: "us",
          region: "New York",
          postalCodePrefixes: ["10-001", "12345678901"],
          rates: [
            { taxCategory: "Standard", displayName: "", rate: "1.5" },
            { displayName: "Too fine", rate: "0.0000001" },
            { displayName: "Percent", rate: "8.875" },
          ],
        },
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual(
      expect.arrayContaining([
        { field: "tax_zone.display_name", reason: "STRING_MAX_LEN" },
        { field: "tax_zone.country", reason: "INVALID_COUNTRY_CODE" },
        { field: "tax_zone.region", reason: "INVALID_REGION_CODE" },
        { field: "tax_zone.postal_code_prefixes[0]", reason: "INVALID_POSTAL_CODE_PREFIX" },
        { field: "tax_zone.postal_code_prefixes[1]", reason: "INVALID_POSTAL_CODE_PREFIX" },
        { field: "tax_zone.rates[0].tax_category", reason: "INVALID_TAX_CATEGORY" },
        { field: "tax_zone.rates[0].display_name", reason: "REQUIRED" },
        { field: "tax_zone.rates[0].rate", reason: "INVALID_TAX_RATE" },
        { field: "tax_zone.rates[1].rate", reason: "INVALID_TAX_RATE" },
        { field: "tax_zone.rates[2].rate", reason: "INVALID_TAX_RATE" },
      ]),
    );
    // A response carries at most 10 violations (docs/errors.md); the rest of the rates are checked alone.
    for (const rate of ["-0.1", "1.000001", "0.5 ", ".5", "1e-2", "0,5"]) {
      expect(
        await rejectionOf(admin.tax.createTaxZone({ taxZone: { ...nyc, rates: [{ displayName: "R", rate }] } })),
        rate,
      ).toMatchObject({ violations: [{ field: "tax_zone.rates[0].rate", reason: "INVALID_TAX_RATE" }] });
    }
  });

  it("bounds rates at 20 and prefixes at 100", async () => {
    const rates = Array.from({ length: 21 }, (_, i) => ({ displayName: `R${i}`, rate: "0.01" }));
    const prefixes = Array.from({ length: 101 }, (_, i) => `${1000 + i}`);
    const error = await rejectionOf(
      admin.tax.createTaxZone({ taxZone: { ...nyc, postalCodePrefixes: prefixes, rates } }),
    );
    expect(error.violations).toEqual([
      { field: "tax_zone.postal_code_prefixes", reason: "REPEATED_MAX_ITEMS" },
      { field: "tax_zone.rates", reason: "REPEATED_MAX_ITEMS" },
    ]);
    const most = await createZone(admin, {
      ...nyc,
      country: "MX",
      region: "",
      postalCodePrefixes: prefixes.slice(1),
      rates: rates.slice(1),
    });
    expect(most.postalCodePrefixes).toHaveLength(100);
    expect(most.rates).toHaveLength(20);
  });

  it("keeps one zone per country, region and set of prefixes: TAX_ZONE_EXISTS names the zone there", async () => {
    const base = { ...nyc, country: "DE", region: "BY", postalCodePrefixes: ["80", "81"] };
    const holder = await createZone(admin, base);
    // The same set in another order and case is the same place.
    const error = await rejectionOf(
      admin.tax.createTaxZone({ taxZone: { ...base, displayName: "Munich", postalCodePrefixes: ["81", "80"] } }),
    );
    expect(error).toMatchObject({
      code: Code.AlreadyExists,
      reason: "TAX_ZONE_EXISTS",
      metadata: { taxZoneId: holder.id },
    });
    // Another set, another region, the whole country and another tenant's zones are other places.
    await createZone(admin, { ...base, postalCodePrefixes: ["80"] });
    await createZone(admin, { ...base, region: "BE" });
    await createZone(admin, { ...base, region: "", postalCodePrefixes: [] });
    const other = service.clients((await service.newTenant("admin")).key);
    await expect(createZone(other, base)).resolves.toMatchObject({ country: "DE" });
  });

  it("answers a missing id and another tenant's zone as NOT_FOUND, and a malformed id as INVALID_ARGUMENT", async () => {
    const zone = await createZone(admin, { ...nyc, country: "FR", region: "", postalCodePrefixes: ["75"] });
    const stranger = service.clients((await service.newTenant("viewer")).key);
    for (const [clients, id] of [
      [admin, crypto.randomUUID()],
      [stranger, zone.id],
    ] as const) {
      expect(await rejectionOf(clients.tax.getTaxZone({ id }))).toMatchObject({
        code: Code.NotFound,
        reason: "TAX_ZONE_NOT_FOUND",
        metadata: { taxZoneId: id },
      });
    }
    expect(await rejectionOf(admin.tax.getTaxZone({ id: "not-a-uuid" }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "id", reason: "STRING_UUID" }],
    });
  });
});

describe("ListTaxZones", () => {
  it("lists a tenant's zones oldest first, by pages, of one country when asked", async () => {
    const clients = service.clients((await service.newTenant("admin")).key);
    const zones: TaxZone[] = [];
    for (const [country, region] of [
      ["US", "NY"],
      ["US", "NJ"],
      ["DE", ""],
      ["US", "CA"],
      ["US", "TX"],
    ] as const) {
      zones.push(await createZone(clients, { ...nyc, country, region, postalCodePrefixes: [] }));
    }
    const first = await clients.tax.listTaxZones({ pageSize: 2 });
    expect(first.taxZones).toEqual(zones.slice(0, 2));
    const second = await clients.tax.listTaxZones({ pageSize: 2, pageToken: first.nextPageToken });
    expect(second.taxZones).toEqual(zones.slice(2, 4));
    const last = await clients.tax.listTaxZones({ pageSize: 2, pageToken: second.nextPageToken });
    expect(last).toMatchObject({ taxZones: zones.slice(4), nextPageToken: "" });

    const us = zones.filter((zone) => zone.country === "US");
    const firstUs = await clients.tax.listTaxZones({ pageSize: 3, country: "US" });
    expect(firstUs.taxZones).toEqual(us.slice(0, 3));
    const restUs = await clients.tax.listTaxZones({ pageSize: 3, country: "US", pageToken: firstUs.nextPageToken });
    expect(restUs).toMatchObject({ taxZones: us.slice(3), nextPageToken: "" });
    expect((await clients.tax.listTaxZones({ country: "FR" })).taxZones).toEqual([]);
  });

  it("refuses a page token of other filters or another tenant, a made-up one and a bad country", async () => {
    const clients = service.clients((await service.newTenant("admin")).key);
    for (const region of ["NY", "NJ"]) await createZone(clients, { ...nyc, region, postalCodePrefixes: [] });
    const page = await clients.tax.listTaxZones({ pageSize: 1, country: "US" });
    expect(page.nextPageToken).not.toBe("");
    const filtersChanged = {
      code: Code.InvalidArgument,
      violations: [{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }],
    };
    expect(await rejectionOf(clients.tax.listTaxZones({ pageToken: page.nextPageToken }))).toMatchObject(
      filtersChanged,
    );
    expect(
      await rejectionOf(viewer.tax.listTaxZones({ pageSize: 1, country: "US", pageToken: page.nextPageToken })),
    ).toMatchObject(filtersChanged);
    expect(await rejectionOf(clients.tax.listTaxZones({ pageToken: "made-up" }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }],
    });
    expect(await rejectionOf(clients.tax.listTaxZones({ country: "usa" }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "country", reason: "INVALID_COUNTRY_CODE" }],
    });
  });
});

describe("UpdateTaxZone", () => {
  it("sets exactly the masked fields, replaces rates and prefixes as a whole, and changes the etag", async () => {
    const zone = await createZone(admin, { ...nyc, country: "IT", region: "", postalCodePrefixes: ["00"] });
    const { taxZone: updated } = await admin.tax.updateTaxZone({
      taxZone: {
        id: zone.id,
        etag: zone.etag,
        displayName: "Rome",
        country: "ES",
        postalCodePrefixes: ["001", "002"],
        rates: [{ displayName: "IVA", rate: "0.22" }],
      },
      updateMask: { paths: ["display_name", "postal_code_prefixes", "rates"] },
    });
    expect(updated).toMatchObject({
      id: zone.id,
      displayName: "Rome",
      country: "IT",
      region: "",
      postalCodePrefixes: ["001", "002"],
      rates: [{ taxCategory: "standard", displayName: "IVA", rate: "0.22" }],
      createTime: zone.createTime,
    });
    expect(updated?.etag).not.toBe(zone.etag);
    expect((await admin.tax.getTaxZone({ id: zone.id })).taxZone).toEqual(updated);

    // "*" names every field; region and prefixes may be cleared.
    const { taxZone: all } = await admin.tax.updateTaxZone({
      taxZone: { id: zone.id, displayName: "Italia", country: "IT", rates: [{ displayName: "IVA", rate: "0.22" }] },
      updateMask: { paths: ["*"] },
    });
    expect(all).toMatchObject({ displayName: "Italia", region: "", postalCodePrefixes: [] });
  });

  it("answers a retry with the same request_id as the first call, even after a later change", async () => {
    const zone = await createZone(admin, { ...nyc, country: "PT", region: "", postalCodePrefixes: [] });
    const request = {
      taxZone: { id: zone.id, etag: zone.etag, displayName: "Portugal" },
      updateMask: { paths: ["display_name"] },
      requestId: crypto.randomUUID(),
    };
    const first = await admin.tax.updateTaxZone(request);
    await admin.tax.updateTaxZone({
      taxZone: { id: zone.id, displayName: "PT" },
      updateMask: { paths: ["display_name"] },
    });
    expect(await admin.tax.updateTaxZone(request)).toEqual(first);
    expect(
      await rejectionOf(admin.tax.updateTaxZone({ ...request, taxZone: { ...request.taxZone, displayName: "P" } })),
    ).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("refuses a stale etag as ABORTED ETAG_MISMATCH and changes nothing", async () => {
    const zone = await createZone(admin, { ...nyc, country: "NL", region: "", postalCodePrefixes: [] });
    await admin.tax.updateTaxZone({
      taxZone: { id: zone.id, displayName: "NL" },
      updateMask: { paths: ["display_name"] },
    });
    const error = await rejectionOf(
      admin.tax.updateTaxZone({
        taxZone: { id: zone.id, etag: zone.etag, displayName: "Holland" },
        updateMask: { paths: ["display_name"] },
      }),
    );
    expect(error).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { taxZoneId: zone.id } });
    expect((await admin.tax.getTaxZone({ id: zone.id })).taxZone?.displayName).toBe("NL");
  });

  it("refuses moving a zone onto another zone's place as TAX_ZONE_EXISTS", async () => {
    const holder = await createZone(admin, { ...nyc, country: "AT", region: "", postalCodePrefixes: ["1"] });
    const mover = await createZone(admin, { ...nyc, country: "AT", region: "", postalCodePrefixes: ["10"] });
    const error = await rejectionOf(
      admin.tax.updateTaxZone({
        taxZone: { id: mover.id, postalCodePrefixes: ["1"] },
        updateMask: { paths: ["postal_code_prefixes"] },
      }),
    );
    expect(error).toMatchObject({
      code: Code.AlreadyExists,
      reason: "TAX_ZONE_EXISTS",
      metadata: { taxZoneId: holder.id },
    });
    // Setting a zone's own place again is no conflict.
    await admin.tax.updateTaxZone({
      taxZone: { id: holder.id, country: "AT", postalCodePrefixes: ["1"] },
      updateMask: { paths: ["country", "postal_code_prefixes"] },
    });
  });

  it("refuses a bad mask, a bad id and cleared required fields with a field violation each", async () => {
    expect(
      await rejectionOf(
        admin.tax.updateTaxZone({
          taxZone: { id: "nope", displayName: "", country: "", rates: [] },
          updateMask: { paths: ["display_name", "country", "rates", "etag"] },
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "tax_zone.id", reason: "INVALID_UUID" },
        { field: "update_mask.paths[3]", reason: "NOT_UPDATABLE" },
      ],
    });
    expect(
      await rejectionOf(
        admin.tax.updateTaxZone({
          taxZone: { id: crypto.randomUUID(), displayName: "", country: "", rates: [] },
          updateMask: { paths: ["display_name", "country", "rates"] },
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "tax_zone.display_name", reason: "REQUIRED" },
        { field: "tax_zone.country", reason: "REQUIRED" },
        { field: "tax_zone.rates", reason: "REQUIRED" },
      ],
    });
    expect(
      await rejectionOf(admin.tax.updateTaxZone({ taxZone: { id: crypto.randomUUID() }, updateMask: { paths: [] } })),
    ).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "update_mask", reason: "REQUIRED" }] });
  });

  it("refuses a time no encoding can carry at its field, before fingerprinting the request_id", async () => {
    const error = await rejectionOf(
      admin.tax.updateTaxZone({
        taxZone: { id: crypto.randomUUID(), displayName: "X", createTime: { seconds: 253402300800n } },
        updateMask: { paths: ["display_name"] },
        requestId: crypto.randomUUID(),
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "tax_zone.create_time", reason: "TIMESTAMP_GTE_LTE" }],
    });
  });

  it("answers a missing id and another tenant's zone as NOT_FOUND", async () => {
    const zone = await createZone(admin, { ...nyc, country: "BE", region: "", postalCodePrefixes: [] });
    const stranger = service.clients((await service.newTenant("admin")).key);
    for (const [clients, id] of [
      [admin, crypto.randomUUID()],
      [stranger, zone.id],
    ] as const) {
      expect(
        await rejectionOf(
          clients.tax.updateTaxZone({ taxZone: { id, displayName: "X" }, updateMask: { paths: ["display_name"] } }),
        ),
      ).toMatchObject({ code: Code.NotFound, reason: "TAX_ZONE_NOT_FOUND", metadata: { taxZoneId: id } });
    }
  });
});

describe("DeleteTaxZone", () => {
  it("deletes a zone, frees its place, and answers a retry with its request_id as the first call", async () => {
    const zone = await createZone(admin, { ...nyc, country: "SE", region: "", postalCodePrefixes: [] });
    const requestId = crypto.randomUUID();
    expect(await admin.tax.deleteTaxZone({ id: zone.id, etag: zone.etag, requestId })).toEqual({
      $typeName: "orders.v1.DeleteTaxZoneResponse",
    });
    expect(await admin.tax.deleteTaxZone({ id: zone.id, etag: zone.etag, requestId })).toEqual({
      $typeName: "orders.v1.DeleteTaxZoneResponse",
    });
    expect(await rejectionOf(admin.tax.getTaxZone({ id: zone.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "TAX_ZONE_NOT_FOUND",
    });
    // Without the request_id, deleting it again is NOT_FOUND.
    expect(await rejectionOf(admin.tax.deleteTaxZone({ id: zone.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "TAX_ZONE_NOT_FOUND",
      metadata: { taxZoneId: zone.id },
    });
    await expect(
      createZone(admin, { ...nyc, country: "SE", region: "", postalCodePrefixes: [] }),
    ).resolves.toBeDefined();
  });

  it("refuses a stale etag as ABORTED ETAG_MISMATCH and keeps the zone; another tenant's zone is NOT_FOUND", async () => {
    const zone = await createZone(admin, { ...nyc, country: "NO", region: "", postalCodePrefixes: [] });
    await admin.tax.updateTaxZone({
      taxZone: { id: zone.id, displayName: "Norge" },
      updateMask: { paths: ["display_name"] },
    });
    expect(await rejectionOf(admin.tax.deleteTaxZone({ id: zone.id, etag: zone.etag }))).toMatchObject({
      code: Code.Aborted,
      reason: "ETAG_MISMATCH",
    });
    const stranger = service.clients((await service.newTenant("admin")).key);
    expect(await rejectionOf(stranger.tax.deleteTaxZone({ id: zone.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "TAX_ZONE_NOT_FOUND",
    });
    expect((await admin.tax.getTaxZone({ id: zone.id })).taxZone?.displayName).toBe("Norge");
  });
});

describe("tax_zones", () => {
  it("refuses a rate written as a JSON number, whoever writes it", async () => {
    const tenantId = (await service.newTenant("admin")).tenantId;
    const insert = (rates: string) =>
      query(
        service.app.orm.em.fork(),
        `insert into tax_zones (id, tenant_id, display_name, country, region, postal_code_prefixes, rates)
         values (gen_random_uuid(), $1, 'Z', 'US', '', '{}', $2::jsonb)`,
        [tenantId, rates],
      );
    await expect(insert('[{"taxCategory":"standard","displayName":"S","rate":0.04}]')).rejects.toThrow(
      /tax_zones_rates_without_numbers/,
    );
    await expect(insert('[{"taxCategory":"standard","displayName":"S","rate":"0.04"}]')).resolves.toMatchObject({
      rowCount: 1,
    });
  });
});
