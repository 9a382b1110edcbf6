import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SalesChannel } from "../../gen/orders/v1/store_pb.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;

beforeAll(async () => {
  service = await buildInMemoryService();
});
afterAll(() => ifSetUp(service)?.close());

/** A tenant of its own per test: which channel is primary is a per-tenant fact. */
async function newAdmin(): Promise<Clients> {
  return service.clients((await service.newTenant("admin")).key);
}

async function createChannel(clients: Clients, name: string, primary = false): Promise<SalesChannel> {
  const { salesChannel } = await clients.store.createSalesChannel({ salesChannel: { name, primary } });
  if (!salesChannel) throw new Error("CreateSalesChannel returned no channel");
  return salesChannel;
}

async function primaryNames(clients: Clients): Promise<string[]> {
  const { salesChannels } = await clients.store.listSalesChannels({});
  return salesChannels.filter((channel) => channel.primary).map((channel) => channel.name);
}

describe("CreateSalesChannel", () => {
  it("makes the first channel primary, even when asked not to, and the next ones not", async () => {
    const admin = await newAdmin();
    const online = await createChannel(admin, "Online Store");
    const pos = await createChannel(admin, "Point of Sale");
    expect(online).toMatchObject({ name: "Online Store", primary: true });
    expect(pos).toMatchObject({ name: "Point of Sale", primary: false });
    expect((await admin.store.getSalesChannel({ id: online.id })).salesChannel).toEqual(online);
  });

  it("with primary true takes over as primary, and the old primary's etag and update time change", async () => {
    const admin = await newAdmin();
    const online = await createChannel(admin, "Online Store");
    const b2b = await createChannel(admin, "B2B Portal", true);
    expect(b2b.primary).toBe(true);
    const { salesChannel: old } = await admin.store.getSalesChannel({ id: online.id });
    expect(old).toMatchObject({ primary: false });
    expect(old?.etag).not.toBe(online.etag);
    expect(await primaryNames(admin)).toEqual(["B2B Portal"]);
  });

  it("refuses a channel without a name, and answers a retry with the same request_id as the first call", async () => {
    const admin = await newAdmin();
    expect(await rejectionOf(admin.store.createSalesChannel({ salesChannel: {} }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "sales_channel.name", reason: "REQUIRED" }],
    });
    const request = { salesChannel: { name: "Marketplace" }, requestId: crypto.randomUUID() };
    const first = await admin.store.createSalesChannel(request);
    expect(await admin.store.createSalesChannel(request)).toEqual(first);
    expect((await admin.store.listSalesChannels({})).salesChannels).toHaveLength(1);
  });
});

describe("UpdateSalesChannel", () => {
  it("renames a channel and makes another one primary, unsetting the old one", async () => {
    const admin = await newAdmin();
    const online = await createChannel(admin, "Online Store");
    const pos = await createChannel(admin, "POS");
    const { salesChannel: updated } = await admin.store.updateSalesChannel({
      salesChannel: { id: pos.id, etag: pos.etag, name: "Point of Sale", primary: true },
      updateMask: { paths: ["name", "primary"] },
    });
    expect(updated).toMatchObject({ name: "Point of Sale", primary: true });
    expect((await admin.store.getSalesChannel({ id: online.id })).salesChannel?.primary).toBe(false);
    expect(await primaryNames(admin)).toEqual(["Point of Sale"]);
  });

  it("keeps the primary channel primary when primary is not in the mask, or set to true again", async () => {
    const admin = await newAdmin();
    const online = await createChannel(admin, "Online Store");
    await admin.store.updateSalesChannel({
      salesChannel: { id: online.id, name: "Web" },
      updateMask: { paths: ["name"] },
    });
    await admin.store.updateSalesChannel({
      salesChannel: { id: online.id, primary: true },
      updateMask: { paths: ["primary"] },
    });
    expect(await primaryNames(admin)).toEqual(["Web"]);
  });

  it("refuses to unset the primary channel: FAILED_PRECONDITION, PRIMARY_CHANNEL_REQUIRED", async () => {
    const admin = await newAdmin();
    const online = await createChannel(admin, "Online Store");
    const error = await rejectionOf(
      admin.store.updateSalesChannel({
        salesChannel: { id: online.id, name: "Web", primary: false },
        updateMask: { paths: ["*"] },
      }),
    );
    expect(error).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "PRIMARY_CHANNEL_REQUIRED",
      metadata: { salesChannelId: online.id },
    });
    expect((await admin.store.getSalesChannel({ id: online.id })).salesChannel).toEqual(online);
  });

  it("setting primary false on a channel that is not primary changes nothing but its version", async () => {
    const admin = await newAdmin();
    await createChannel(admin, "Online Store");
    const pos = await createChannel(admin, "POS");
    const { salesChannel } = await admin.store.updateSalesChannel({
      salesChannel: { id: pos.id, primary: false },
      updateMask: { paths: ["primary"] },
    });
    expect(salesChannel?.primary).toBe(false);
    expect(await primaryNames(admin)).toEqual(["Online Store"]);
  });

  it("is ABORTED with ETAG_MISMATCH when the channel changed, also by losing primary", async () => {
    const admin = await newAdmin();
    const online = await createChannel(admin, "Online Store");
    await createChannel(admin, "B2B", true);
    const error = await rejectionOf(
      admin.store.updateSalesChannel({
        salesChannel: { id: online.id, etag: online.etag, name: "Web" },
        updateMask: { paths: ["name"] },
      }),
    );
    expect(error).toMatchObject({
      code: Code.Aborted,
      reason: "ETAG_MISMATCH",
      metadata: { salesChannelId: online.id },
    });
  });

  it("refuses a bad id and mask, an empty name, and answers unknown and other tenants' channels as NOT_FOUND", async () => {
    const admin = await newAdmin();
    const online = await createChannel(admin, "Online Store");
    expect(
      await rejectionOf(
        admin.store.updateSalesChannel({ salesChannel: { id: "x", name: "" }, updateMask: { paths: ["name", "id"] } }),
      ),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "sales_channel.id", reason: "INVALID_UUID" },
        { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
      ],
    });
    expect(
      await rejectionOf(
        admin.store.updateSalesChannel({ salesChannel: { id: online.id, name: "" }, updateMask: { paths: ["name"] } }),
      ),
    ).toMatchObject({ code: Code.InvalidArgument, violations: [{ field: "sales_channel.name", reason: "REQUIRED" }] });
    const stranger = await newAdmin();
    for (const [clients, id] of [
      [admin, crypto.randomUUID()],
      [stranger, online.id],
    ] as const) {
      // One call at a time: a second promise made up front would reject while the first is awaited.
      for (const call of [
        () => clients.store.getSalesChannel({ id }),
        () =>
          clients.store.updateSalesChannel({ salesChannel: { id, primary: true }, updateMask: { paths: ["primary"] } }),
      ]) {
        expect(await rejectionOf(call())).toMatchObject({
          code: Code.NotFound,
          reason: "SALES_CHANNEL_NOT_FOUND",
          metadata: { salesChannelId: id },
        });
      }
    }
    expect(await primaryNames(stranger)).toEqual([]);
    expect((await admin.store.getSalesChannel({ id: online.id })).salesChannel).toEqual(online);
  });
});
