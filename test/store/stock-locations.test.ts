import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StockLocation } from "../../gen/orders/v1/store_pb.js";
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

const newark = {
  name: "Receiving",
  line1: "1 Port St",
  city: "Newark",
  region: "NJ",
  postalCode: "07114",
  country: "US",
};

async function createLocation(name = "Newark warehouse"): Promise<StockLocation> {
  const { stockLocation } = await admin.store.createStockLocation({ stockLocation: { name, address: newark } });
  if (!stockLocation) throw new Error("CreateStockLocation returned no location");
  return stockLocation;
}

describe("CreateStockLocation and GetStockLocation", () => {
  it("creates an active location with its address and reads it back", async () => {
    const location = await createLocation();
    expect(location).toMatchObject({ name: "Newark warehouse", address: newark, active: true });
    expect((await admin.store.getStockLocation({ id: location.id })).stockLocation).toEqual(location);
  });

  it("creates an inactive location when asked", async () => {
    const { stockLocation } = await admin.store.createStockLocation({
      stockLocation: { name: "Old depot", address: newark, active: false },
    });
    expect(stockLocation?.active).toBe(false);
  });

  it("refuses a missing name and address, and an address breaking the address rules", async () => {
    expect(await rejectionOf(admin.store.createStockLocation({ stockLocation: {} }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "stock_location.name", reason: "REQUIRED" },
        { field: "stock_location.address", reason: "REQUIRED" },
      ],
    });
    expect(
      await rejectionOf(
        admin.store.createStockLocation({ stockLocation: { name: "Nowhere", address: { ...newark, country: "XX" } } }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "stock_location.address.country", reason: "UNKNOWN_COUNTRY" }],
    });
    expect(
      await rejectionOf(
        admin.store.createStockLocation({ stockLocation: { name: "Nowhere", address: { ...newark, line1: "" } } }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "stock_location.address.line1", reason: "REQUIRED" }],
    });
  });

  it("answers a retry with the same request_id as the first call", async () => {
    const request = { stockLocation: { name: "Reno", address: newark }, requestId: crypto.randomUUID() };
    const first = await admin.store.createStockLocation(request);
    expect(await admin.store.createStockLocation(request)).toEqual(first);
  });
});

describe("UpdateStockLocation", () => {
  it("deactivates, moves and renames a location, each by its mask", async () => {
    const location = await createLocation();
    const { stockLocation: inactive } = await admin.store.updateStockLocation({
      stockLocation: { id: location.id, etag: location.etag, name: "ignored" },
      updateMask: { paths: ["active"] },
    });
    expect(inactive).toMatchObject({ name: location.name, active: false });
    const moved = { line1: "9 Dock Rd", city: "Hamburg", postalCode: "20457", country: "DE" };
    const { stockLocation: updated } = await admin.store.updateStockLocation({
      stockLocation: { id: location.id, etag: inactive?.etag ?? "", name: "Hamburg hub", address: moved, active: true },
      updateMask: { paths: ["name", "address", "active"] },
    });
    expect(updated).toMatchObject({ name: "Hamburg hub", address: moved, active: true });
    expect((await admin.store.getStockLocation({ id: location.id })).stockLocation).toEqual(updated);
  });

  it("is ABORTED with ETAG_MISMATCH for a stale etag and changes nothing", async () => {
    const location = await createLocation();
    await admin.store.updateStockLocation({
      stockLocation: { id: location.id, name: "A" },
      updateMask: { paths: ["name"] },
    });
    expect(
      await rejectionOf(
        admin.store.updateStockLocation({
          stockLocation: { id: location.id, etag: location.etag, name: "B" },
          updateMask: { paths: ["name"] },
        }),
      ),
    ).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { stockLocationId: location.id } });
    expect((await admin.store.getStockLocation({ id: location.id })).stockLocation?.name).toBe("A");
  });

  it("refuses clearing the name or address, a bad country, a bad mask and a bad id", async () => {
    const location = await createLocation();
    expect(
      await rejectionOf(
        admin.store.updateStockLocation({
          stockLocation: { id: location.id },
          updateMask: { paths: ["name", "address"] },
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "stock_location.name", reason: "REQUIRED" },
        { field: "stock_location.address", reason: "REQUIRED" },
      ],
    });
    expect(
      await rejectionOf(
        admin.store.updateStockLocation({
          stockLocation: { id: "1", address: { ...newark, country: "UK" } },
          updateMask: { paths: ["address", "address.city"] },
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "stock_location.id", reason: "INVALID_UUID" },
        { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
      ],
    });
    expect(
      await rejectionOf(
        admin.store.updateStockLocation({
          stockLocation: { id: location.id, address: { ...newark, country: "UK" } },
          updateMask: { paths: ["address"] },
        }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "stock_location.address.country", reason: "UNKNOWN_COUNTRY" }],
    });
    expect((await admin.store.getStockLocation({ id: location.id })).stockLocation).toEqual(location);
  });

  it("answers unknown and other tenants' locations as NOT_FOUND", async () => {
    const location = await createLocation();
    const stranger = service.clients((await service.newTenant("admin")).key);
    for (const [clients, id] of [
      [admin, crypto.randomUUID()],
      [stranger, location.id],
    ] as const) {
      // One call at a time: a second promise made up front would reject while the first is awaited.
      for (const call of [
        () => clients.store.getStockLocation({ id }),
        () =>
          clients.store.updateStockLocation({
            stockLocation: { id, active: false },
            updateMask: { paths: ["active"] },
          }),
      ]) {
        expect(await rejectionOf(call())).toMatchObject({
          code: Code.NotFound,
          reason: "STOCK_LOCATION_NOT_FOUND",
          metadata: { stockLocationId: id },
        });
      }
    }
    expect((await admin.store.getStockLocation({ id: location.id })).stockLocation).toEqual(location);
  });
});
