import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InventoryTransactionKind, type InventoryLevel } from "../../gen/orders/v1/inventory_pb.js";
import { query } from "../../src/platform/database/query.js";
import { injectorProduct, uniqueSku } from "../catalog/support/product-fixtures.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

// InventoryService over the routes in memory (issue 14 §1): levels per variant and stock location, their ledger,
// tracking, and every error path, with the real catalog and store services creating what stock refers to.
let service: InMemoryService;
let tenantId: string;
let admin: Clients;
let editor: Clients;
let viewer: Clients;
let other: Clients;
let depot: string;

const address = { name: "Lager", line1: "Hafenstr. 1", city: "Hamburg", postalCode: "20457", country: "DE" };

async function newVariant(clients: Clients = editor): Promise<string> {
  const { product } = await clients.catalog.createProduct({
    product: injectorProduct({ variants: [{ sku: uniqueSku("INV"), prices: { USD: "10" } }] }),
  });
  const id = product?.variants[0]?.id;
  if (!id) throw new Error("no variant created");
  return id;
}

async function newLocation(clients: Clients = admin, name = "Depot"): Promise<string> {
  const { stockLocation } = await clients.store.createStockLocation({ stockLocation: { name, address } });
  if (!stockLocation) throw new Error("no stock location created");
  return stockLocation.id;
}

function levelOf(response: { inventoryLevel?: InventoryLevel }): InventoryLevel {
  if (!response.inventoryLevel) throw new Error("no inventory level in the response");
  return response.inventoryLevel;
}

async function ledgerRows(variantId: string): Promise<number> {
  const { rows } = await query<{ n: string }>(
    service.app.orm.em.fork(),
    "select count(*) as n from inventory_transactions where tenant_id = $1 and variant_id = $2",
    [tenantId, variantId],
  );
  return Number(rows[0]?.n);
}

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("admin");
  tenantId = tenant.tenantId;
  admin = service.clients(tenant.key);
  editor = service.clients(await service.newKey(tenantId, "editor"));
  viewer = service.clients(await service.newKey(tenantId, "viewer"));
  other = service.clients((await service.newTenant("admin")).key);
  depot = await newLocation();
});
afterAll(() => ifSetUp(service)?.close());

describe("SetInventoryLevel and AdjustInventoryLevel", () => {
  it("record stock with a ledger entry per change, make the variant tracked, and read back alike", async () => {
    const variantId = await newVariant();
    const set = await editor.inventory.setInventoryLevel({
      variantId,
      stockLocationId: depot,
      onHand: 12,
      reason: "stock count",
    });
    expect(levelOf(set)).toMatchObject({ variantId, stockLocationId: depot, onHand: 12, tracked: true });
    expect(set.transaction).toMatchObject({
      variantId,
      stockLocationId: depot,
      kind: InventoryTransactionKind.SET,
      quantityChange: 12,
      onHandAfter: 12,
      reason: "stock count",
    });

    const taken = await editor.inventory.adjustInventoryLevel({
      variantId,
      stockLocationId: depot,
      quantityChange: -5,
      reason: "damaged",
    });
    expect(levelOf(taken).onHand).toBe(7);
    expect(levelOf(taken).etag).not.toBe(levelOf(set).etag);
    expect(taken.transaction).toMatchObject({
      kind: InventoryTransactionKind.ADJUST,
      quantityChange: -5,
      onHandAfter: 7,
    });

    const recount = await editor.inventory.setInventoryLevel({
      variantId,
      stockLocationId: depot,
      onHand: 9,
      reason: "recount",
      etag: levelOf(taken).etag,
    });
    expect(recount.transaction).toMatchObject({ quantityChange: 2, onHandAfter: 9 });

    const read = levelOf(await viewer.inventory.getInventoryLevel({ variantId, stockLocationId: depot }));
    expect(read).toEqual(levelOf(recount));

    const { transactions } = await viewer.inventory.listInventoryTransactions({ variantId });
    expect(transactions.map((t) => [t.kind, t.quantityChange, t.onHandAfter, t.reason])).toEqual([
      [InventoryTransactionKind.SET, 12, 12, "stock count"],
      [InventoryTransactionKind.ADJUST, -5, 7, "damaged"],
      [InventoryTransactionKind.SET, 2, 9, "recount"],
    ]);
    expect(transactions.reduce((sum, t) => sum + t.quantityChange, 0)).toBe(read.onHand);
  });

  it("refuses to take more than is on hand (FAILED_PRECONDITION INSUFFICIENT_STOCK) and changes nothing", async () => {
    const variantId = await newVariant();
    await editor.inventory.adjustInventoryLevel({ variantId, stockLocationId: depot, quantityChange: 3, reason: "in" });
    const error = await rejectionOf(
      editor.inventory.adjustInventoryLevel({ variantId, stockLocationId: depot, quantityChange: -4, reason: "out" }),
    );
    expect(error).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "INSUFFICIENT_STOCK",
      metadata: { variantId, stockLocationId: depot, onHand: "3" },
    });
    expect(levelOf(await viewer.inventory.getInventoryLevel({ variantId, stockLocationId: depot })).onHand).toBe(3);
    expect(await ledgerRows(variantId)).toBe(1);

    // The first change of a pair that would go below 0 leaves no level behind either.
    const elsewhere = await newLocation(admin, "Empty shelf");
    const first = await rejectionOf(
      editor.inventory.adjustInventoryLevel({ variantId, stockLocationId: elsewhere, quantityChange: -1, reason: "x" }),
    );
    expect(first).toMatchObject({ code: Code.FailedPrecondition, metadata: { onHand: "0" } });
    expect(
      await rejectionOf(viewer.inventory.getInventoryLevel({ variantId, stockLocationId: elsewhere })),
    ).toMatchObject({ code: Code.NotFound, reason: "INVENTORY_LEVEL_NOT_FOUND" });
  });

  it("answers INVALID_ARGUMENT for a zero change, a level above its limit, and broken fields", async () => {
    const variantId = await newVariant();
    const zero = await rejectionOf(
      editor.inventory.adjustInventoryLevel({ variantId, stockLocationId: depot, quantityChange: 0, reason: "x" }),
    );
    expect(zero).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "quantity_change", reason: "QUANTITY_ZERO" }],
    });
    await editor.inventory.setInventoryLevel({ variantId, stockLocationId: depot, onHand: 1_000_000_000, reason: "x" });
    const tooMany = await rejectionOf(
      editor.inventory.adjustInventoryLevel({ variantId, stockLocationId: depot, quantityChange: 1, reason: "x" }),
    );
    expect(tooMany).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "quantity_change", reason: "ON_HAND_LIMIT" }],
    });
    const broken = await rejectionOf(
      editor.inventory.setInventoryLevel({ variantId: "nope", stockLocationId: depot, onHand: -1, reason: "" }),
    );
    expect(broken.code).toBe(Code.InvalidArgument);
    expect(broken.violations.map((v) => v.field).sort()).toEqual(["on_hand", "reason", "variant_id"]);
  });

  it("answers NOT_FOUND for a variant or stock location that is not the tenant's", async () => {
    const variantId = await newVariant();
    const theirs = await newVariant(other);
    const theirDepot = await newLocation(other);
    for (const [request, reason, metadata] of [
      [{ variantId: randomUUID(), stockLocationId: depot }, "VARIANT_NOT_FOUND", "variantId"],
      [{ variantId: theirs, stockLocationId: depot }, "VARIANT_NOT_FOUND", "variantId"],
      [{ variantId, stockLocationId: theirDepot }, "STOCK_LOCATION_NOT_FOUND", "stockLocationId"],
      [{ variantId, stockLocationId: randomUUID() }, "STOCK_LOCATION_NOT_FOUND", "stockLocationId"],
    ] as const) {
      const error = await rejectionOf(editor.inventory.setInventoryLevel({ ...request, onHand: 1, reason: "x" }));
      expect(error).toMatchObject({ code: Code.NotFound, reason, metadata: { [metadata]: request[metadata] } });
    }
    expect(
      await rejectionOf(editor.inventory.setInventoryTracking({ variantId: theirs, tracked: false })),
    ).toMatchObject({ code: Code.NotFound, reason: "VARIANT_NOT_FOUND" });
    await other.inventory.setInventoryLevel({ variantId: theirs, stockLocationId: theirDepot, onHand: 5, reason: "x" });
    expect(
      await rejectionOf(viewer.inventory.getInventoryLevel({ variantId: theirs, stockLocationId: theirDepot })),
    ).toMatchObject({ code: Code.NotFound, reason: "INVENTORY_LEVEL_NOT_FOUND" });
    expect((await viewer.inventory.listInventoryTransactions({ variantId: theirs })).transactions).toEqual([]);
  });

  it("keeps stock of an archived product's variant", async () => {
    const { product } = await editor.catalog.createProduct({
      product: injectorProduct({ variants: [{ sku: uniqueSku("ARC"), prices: { USD: "10" } }] }),
    });
    await editor.catalog.archiveProduct({ id: product?.id ?? "" });
    const variantId = product?.variants[0]?.id ?? "";
    const { inventoryLevel } = await editor.inventory.setInventoryLevel({
      variantId,
      stockLocationId: depot,
      onHand: 2,
      reason: "left over",
    });
    expect(inventoryLevel?.onHand).toBe(2);
  });

  it("refuses a stale etag, or an etag for a level that does not exist yet (ABORTED ETAG_MISMATCH)", async () => {
    const variantId = await newVariant();
    const first = levelOf(
      await editor.inventory.setInventoryLevel({ variantId, stockLocationId: depot, onHand: 1, reason: "x" }),
    );
    await editor.inventory.adjustInventoryLevel({ variantId, stockLocationId: depot, quantityChange: 1, reason: "x" });
    for (const call of [
      () =>
        editor.inventory.adjustInventoryLevel({
          variantId,
          stockLocationId: depot,
          quantityChange: 1,
          reason: "x",
          etag: first.etag,
        }),
      () =>
        editor.inventory.setInventoryLevel({
          variantId,
          stockLocationId: depot,
          onHand: 0,
          reason: "x",
          etag: first.etag,
        }),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({
        code: Code.Aborted,
        reason: "ETAG_MISMATCH",
        metadata: { variantId, stockLocationId: depot },
      });
    }
    const fresh = await newVariant();
    expect(
      await rejectionOf(
        editor.inventory.setInventoryLevel({
          variantId: fresh,
          stockLocationId: depot,
          onHand: 1,
          reason: "x",
          etag: first.etag,
        }),
      ),
    ).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    expect(levelOf(await viewer.inventory.getInventoryLevel({ variantId, stockLocationId: depot })).onHand).toBe(2);
  });

  it("answers a retry with the same request_id as the first call, adjusting once; another body is refused", async () => {
    const variantId = await newVariant();
    const request = {
      variantId,
      stockLocationId: depot,
      quantityChange: 4,
      reason: "received",
      requestId: randomUUID(),
    };
    const first = await editor.inventory.adjustInventoryLevel(request);
    const retry = await editor.inventory.adjustInventoryLevel(request);
    expect(retry).toEqual(first);
    expect(levelOf(await viewer.inventory.getInventoryLevel({ variantId, stockLocationId: depot })).onHand).toBe(4);
    expect(await ledgerRows(variantId)).toBe(1);
    expect(await rejectionOf(editor.inventory.adjustInventoryLevel({ ...request, quantityChange: 5 }))).toMatchObject({
      code: Code.AlreadyExists,
      reason: "IDEMPOTENCY_KEY_REUSED",
    });
  });

  it("needs an editor or admin key to change stock; a viewer reads", async () => {
    const variantId = await newVariant();
    for (const call of [
      () => viewer.inventory.setInventoryLevel({ variantId, stockLocationId: depot, onHand: 1, reason: "x" }),
      () =>
        viewer.inventory.adjustInventoryLevel({ variantId, stockLocationId: depot, quantityChange: 1, reason: "x" }),
      () => viewer.inventory.setInventoryTracking({ variantId, tracked: true }),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
    }
    expect(await ledgerRows(variantId)).toBe(0);
    expect((await viewer.inventory.listInventoryLevels({ variantId })).inventoryLevels).toEqual([]);
  });
});

describe("concurrent changes of one level", () => {
  it("never take stock below 0: 25 takes of 1 from 10 on hand, exactly 10 succeed", async () => {
    const variantId = await newVariant();
    await editor.inventory.setInventoryLevel({ variantId, stockLocationId: depot, onHand: 10, reason: "count" });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 25 }, () =>
        editor.inventory.adjustInventoryLevel({
          variantId,
          stockLocationId: depot,
          quantityChange: -1,
          reason: "pick",
        }),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(10);
    const refused = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
    expect(refused).toHaveLength(15);
    expect(refused.map((reason) => observedError(reason).reason)).toEqual(Array(15).fill("INSUFFICIENT_STOCK"));
    expect(levelOf(await viewer.inventory.getInventoryLevel({ variantId, stockLocationId: depot })).onHand).toBe(0);
    const { transactions } = await viewer.inventory.listInventoryTransactions({ variantId });
    expect(transactions.map((t) => t.onHandAfter)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it("count every first change of a new pair made at once", async () => {
    const variantId = await newVariant();
    const location = await newLocation(admin, "New shelf");
    await Promise.all(
      Array.from({ length: 12 }, () =>
        editor.inventory.adjustInventoryLevel({
          variantId,
          stockLocationId: location,
          quantityChange: 2,
          reason: "in",
        }),
      ),
    );
    expect(levelOf(await viewer.inventory.getInventoryLevel({ variantId, stockLocationId: location })).onHand).toBe(24);
    expect(await ledgerRows(variantId)).toBe(12);
  });
});

describe("ListInventoryLevels and ListInventoryTransactions", () => {
  it("page through levels oldest first, by variant or location, with tokens bound to their filters", async () => {
    const variantId = await newVariant();
    const locations = [depot, await newLocation(admin, "B"), await newLocation(admin, "C")];
    for (const [index, stockLocationId] of locations.entries()) {
      await editor.inventory.setInventoryLevel({ variantId, stockLocationId, onHand: index + 1, reason: "count" });
    }
    const first = await viewer.inventory.listInventoryLevels({ variantId, pageSize: 2 });
    expect(first.inventoryLevels.map((l) => l.onHand)).toEqual([1, 2]);
    expect(first.nextPageToken).not.toBe("");
    const second = await viewer.inventory.listInventoryLevels({
      variantId,
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second.inventoryLevels.map((l) => [l.stockLocationId, l.onHand])).toEqual([[locations[2], 3]]);
    expect(second.nextPageToken).toBe("");

    const atDepot = await viewer.inventory.listInventoryLevels({ stockLocationId: depot, pageSize: 500 });
    expect(atDepot.inventoryLevels.every((l) => l.stockLocationId === depot)).toBe(true);
    expect(atDepot.inventoryLevels.some((l) => l.variantId === variantId)).toBe(true);

    for (const call of [
      () => viewer.inventory.listInventoryLevels({ pageSize: 2, pageToken: first.nextPageToken }),
      () => viewer.inventory.listInventoryTransactions({ variantId, pageToken: first.nextPageToken }),
    ]) {
      expect(await rejectionOf(call())).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }],
      });
    }
    expect(await rejectionOf(viewer.inventory.listInventoryLevels({ variantId, pageToken: "made-up" }))).toMatchObject({
      violations: [{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }],
    });
  });

  it("page through a variant's ledger oldest first, at one location or all", async () => {
    const variantId = await newVariant();
    const shelf = await newLocation(admin, "Shelf");
    for (let i = 1; i <= 3; i++) {
      await editor.inventory.adjustInventoryLevel({
        variantId,
        stockLocationId: depot,
        quantityChange: i,
        reason: "in",
      });
      await editor.inventory.adjustInventoryLevel({
        variantId,
        stockLocationId: shelf,
        quantityChange: 10 * i,
        reason: "in",
      });
    }
    const seen: number[] = [];
    let pageToken = "";
    do {
      const page = await viewer.inventory.listInventoryTransactions({ variantId, pageSize: 4, pageToken });
      seen.push(...page.transactions.map((t) => t.quantityChange));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual([1, 10, 2, 20, 3, 30]);
    const atShelf = await viewer.inventory.listInventoryTransactions({ variantId, stockLocationId: shelf });
    expect(atShelf.transactions.map((t) => t.onHandAfter)).toEqual([10, 30, 60]);
  });
});

describe("SetInventoryTracking", () => {
  it("turns tracking off and on; recording stock keeps an untracked variant untracked", async () => {
    const variantId = await newVariant();
    const off = await editor.inventory.setInventoryTracking({ variantId, tracked: false, requestId: randomUUID() });
    expect(off.inventoryItem).toMatchObject({ variantId, tracked: false });
    const level = levelOf(
      await editor.inventory.setInventoryLevel({ variantId, stockLocationId: depot, onHand: 3, reason: "count" }),
    );
    expect(level.tracked).toBe(false);
    const on = await editor.inventory.setInventoryTracking({ variantId, tracked: true });
    expect(on.inventoryItem?.tracked).toBe(true);
    expect(levelOf(await viewer.inventory.getInventoryLevel({ variantId, stockLocationId: depot }))).toMatchObject({
      onHand: 3,
      tracked: true,
    });
  });
});
