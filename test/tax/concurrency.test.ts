import { create } from "@bufbuild/protobuf";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaxZoneSchema } from "../../gen/orders/v1/tax_pb.js";
import {
  CreateTaxZoneRequestSchema,
  CreateTaxZoneResponseSchema,
  DeleteTaxZoneRequestSchema,
  DeleteTaxZoneResponseSchema,
} from "../../gen/orders/v1/tax_service_pb.js";
import { idempotencyKey } from "../../src/platform/idempotency/idempotency.js";
import type { Clients } from "../support/clients.js";
import { testDatabaseUrl, waitingOnLock } from "../support/database.js";
import { Code, observedError } from "../support/errors.js";
import { insertIdempotencyRecord } from "../support/idempotency-records.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { waitFor } from "../support/wait-for.js";

let service: InMemoryService;
let db: pg.Pool;

beforeAll(async () => {
  service = await buildInMemoryService();
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 3 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.close();
});

async function newAdmin(): Promise<{ tenantId: string; clients: Clients }> {
  const { tenantId, key } = await service.newTenant("admin");
  return { tenantId, clients: service.clients(key) };
}

/** Another replica's write, uncommitted: `work` runs in a transaction that `then` commits once `waiting` holds. */
async function whileUncommitted<T>(
  work: (other: pg.PoolClient) => Promise<void>,
  call: () => Promise<T>,
  waiting: string,
): Promise<T> {
  const other = await db.connect();
  try {
    await other.query("begin");
    await work(other);
    const result = call();
    await waitFor(`the call to wait for the uncommitted ${waiting}`, () => waitingOnLock(db, waiting));
    await other.query("commit");
    return await result;
  } finally {
    other.release();
  }
}

const insertZone = (other: pg.PoolClient, id: string, tenantId: string, prefixes: string[]) =>
  other.query(
    `insert into tax_zones (id, tenant_id, display_name, country, region, postal_code_prefixes, rates)
     values ($1, $2, 'Holder', 'US', 'NY', $3, '[{"taxCategory":"standard","displayName":"NY","rate":"0.04"}]')`,
    [id, tenantId, prefixes],
  );

const zone = {
  displayName: "NYC",
  country: "US",
  region: "NY",
  postalCodePrefixes: ["100"],
  rates: [{ displayName: "NY", rate: "0.04" }],
};

describe("one tax zone per place, however writes interleave", () => {
  it("10 concurrent creates of one place: one zone is created, the others are told which zone is there", async () => {
    const { tenantId, clients } = await newAdmin();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        clients.tax.createTaxZone({ taxZone: { ...zone, displayName: `#${i}`, postalCodePrefixes: ["100", "101"] } }),
      ),
    );
    const winners = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.taxZone] : []));
    expect(winners).toHaveLength(1);
    const { rows } = await db.query("select id from tax_zones where tenant_id = $1", [tenantId]);
    expect(rows).toEqual([{ id: winners[0]?.id }]);
    for (const result of results) {
      if (result.status === "rejected") {
        expect(observedError(result.reason)).toMatchObject({
          code: Code.AlreadyExists,
          reason: "TAX_ZONE_EXISTS",
          metadata: { taxZoneId: winners[0]?.id },
        });
      }
    }
  });

  it("a zone that passed the check while another write held its place uncommitted is refused by the key", async () => {
    const { tenantId, clients } = await newAdmin();
    const holderId = crypto.randomUUID();
    const error = await whileUncommitted(
      (other) => insertZone(other, holderId, tenantId, ["100"]).then(() => undefined),
      () =>
        clients.tax.createTaxZone({ taxZone: zone }).then(
          () => undefined,
          (reason: unknown) => observedError(reason),
        ),
      "tax_zones",
    );
    expect(error).toMatchObject({
      code: Code.AlreadyExists,
      reason: "TAX_ZONE_EXISTS",
      metadata: { taxZoneId: holderId },
    });
    const { rows } = await db.query("select display_name from tax_zones where tenant_id = $1", [tenantId]);
    expect(rows).toEqual([{ display_name: "Holder" }]);
  });

  it("an update moving onto a place another write holds uncommitted is refused as TAX_ZONE_EXISTS", async () => {
    const { tenantId, clients } = await newAdmin();
    const { taxZone: mover } = await clients.tax.createTaxZone({ taxZone: { ...zone, postalCodePrefixes: ["200"] } });
    const holderId = crypto.randomUUID();
    const error = await whileUncommitted(
      (other) => insertZone(other, holderId, tenantId, ["100"]).then(() => undefined),
      () =>
        clients.tax
          .updateTaxZone({
            taxZone: { id: mover?.id, postalCodePrefixes: ["100"] },
            updateMask: { paths: ["postal_code_prefixes"] },
          })
          .then(
            () => undefined,
            (reason: unknown) => observedError(reason),
          ),
      "tax_zones",
    );
    expect(error).toMatchObject({
      code: Code.AlreadyExists,
      reason: "TAX_ZONE_EXISTS",
      metadata: { taxZoneId: holderId },
    });
  });

  it("the same request_id on two replicas at once: the one that loses the race for a place answers as the winner", async () => {
    const { tenantId, clients } = await newAdmin();
    const request = create(CreateTaxZoneRequestSchema, { taxZone: zone, requestId: crypto.randomUUID() });
    // The winner is another replica, played here by a transaction writing what its CreateTaxZone writes.
    const winnerId = crypto.randomUUID();
    const answer = create(CreateTaxZoneResponseSchema, {
      taxZone: create(TaxZoneSchema, { ...zone, id: winnerId, etag: "0123456789abcdef" }),
    });
    const key = idempotencyKey(tenantId, "orders.v1.TaxService/CreateTaxZone", CreateTaxZoneRequestSchema, request);
    const result = await whileUncommitted(
      async (other) => {
        await insertZone(other, winnerId, tenantId, ["100"]);
        await insertIdempotencyRecord(other, key, CreateTaxZoneResponseSchema, answer);
      },
      () => clients.tax.createTaxZone(request),
      "tax_zones",
    );
    expect(result).toEqual(answer);
    const { rows } = await db.query("select id from tax_zones where tenant_id = $1", [tenantId]);
    expect(rows).toEqual([{ id: winnerId }]);
  });

  it("the same delete on two replicas at once: the one that waited for the zone's lock answers as the first", async () => {
    const { tenantId, clients } = await newAdmin();
    const { taxZone } = await clients.tax.createTaxZone({ taxZone: zone });
    const id = taxZone?.id ?? "";
    const request = create(DeleteTaxZoneRequestSchema, { id, requestId: crypto.randomUUID() });
    const key = idempotencyKey(tenantId, "orders.v1.TaxService/DeleteTaxZone", DeleteTaxZoneRequestSchema, request);
    const result = await whileUncommitted(
      async (other) => {
        await other.query("delete from tax_zones where id = $1", [id]);
        await insertIdempotencyRecord(other, key, DeleteTaxZoneResponseSchema, create(DeleteTaxZoneResponseSchema));
      },
      () => clients.tax.deleteTaxZone(request),
      "tax_zones",
    );
    expect(result).toEqual(create(DeleteTaxZoneResponseSchema));
  });
});

describe("the tenant's tax settings, however updates interleave", () => {
  it("8 concurrent first updates under the defaults' etag: exactly one wins, the others are ETAG_MISMATCH", async () => {
    const { tenantId, clients } = await newAdmin();
    const { taxSettings: defaults } = await clients.tax.getTaxSettings({});
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        clients.tax.updateTaxSettings({
          taxSettings: { etag: defaults?.etag, shippingTaxCategory: `category-${i}` },
          updateMask: { paths: ["shipping_tax_category"] },
        }),
      ),
    );
    const winners = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.taxSettings] : []));
    expect(winners).toHaveLength(1);
    for (const result of results) {
      if (result.status === "rejected") {
        expect(observedError(result.reason)).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
      }
    }
    const { rows } = await db.query("select shipping_tax_category, version from tax_settings where tenant_id = $1", [
      tenantId,
    ]);
    expect(rows).toEqual([{ shipping_tax_category: winners[0]?.shippingTaxCategory, version: 2 }]);
  });

  it("8 concurrent updates without an etag all apply, one after the other", async () => {
    const { tenantId, clients } = await newAdmin();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        clients.tax.updateTaxSettings({
          taxSettings: { taxShipping: i % 2 === 0 },
          updateMask: { paths: ["tax_shipping"] },
        }),
      ),
    );
    expect(new Set(results.map((result) => result.taxSettings?.etag)).size).toBe(8);
    const { rows } = await db.query("select version from tax_settings where tenant_id = $1", [tenantId]);
    expect(rows).toEqual([{ version: 9 }]);
  });
});
