import { create } from "@bufbuild/protobuf";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MarketSchema } from "../../gen/orders/v1/store_pb.js";
import { CreateMarketRequestSchema, CreateMarketResponseSchema } from "../../gen/orders/v1/store_service_pb.js";
import { idempotencyKey } from "../../src/platform/idempotency/idempotency.js";
import type { Clients } from "../support/clients.js";
import { testDatabaseUrl, waitingOnLock } from "../support/database.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { insertIdempotencyRecord } from "../support/idempotency-records.js";
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

async function primaryIds(tenantId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>("select id from sales_channels where tenant_id = $1 and is_primary", [
    tenantId,
  ]);
  return rows.map((row) => row.id);
}

describe("one primary sales channel per tenant, however writes interleave", () => {
  it("12 concurrent first channels: exactly one is primary, and it says so", async () => {
    const { tenantId, clients } = await newAdmin();
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => clients.store.createSalesChannel({ salesChannel: { name: `#${i}` } })),
    );
    const primaries = created.filter(({ salesChannel }) => salesChannel?.primary);
    expect(primaries).toHaveLength(1);
    expect(await primaryIds(tenantId)).toEqual([primaries[0]?.salesChannel?.id]);
  });

  it("12 channels made primary at once, with 6 creates taking over too: every call succeeds, one primary remains", async () => {
    const { tenantId, clients } = await newAdmin();
    const channels = [];
    for (let i = 0; i < 12; i += 1) {
      const { salesChannel } = await clients.store.createSalesChannel({ salesChannel: { name: `#${i}` } });
      channels.push(salesChannel);
    }
    const results = await Promise.allSettled([
      ...channels.map((channel) =>
        clients.store.updateSalesChannel({
          salesChannel: { id: channel?.id ?? "", primary: true },
          updateMask: { paths: ["primary"] },
        }),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        clients.store.createSalesChannel({ salesChannel: { name: `new #${i}`, primary: true } }),
      ),
    ]);
    expect(results.filter((result) => result.status === "rejected").map((r) => observedError(r.reason))).toEqual([]);
    const primaries = await primaryIds(tenantId);
    expect(primaries).toHaveLength(1);
    const { salesChannels } = await clients.store.listSalesChannels({});
    expect(salesChannels.filter((channel) => channel.primary).map((channel) => channel.id)).toEqual(primaries);
  });
});

describe("a country in one market per tenant, however writes interleave", () => {
  it("10 concurrent markets for one country: one is created, the others are told which market has it", async () => {
    const { tenantId, clients } = await newAdmin();
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        clients.store.createMarket({
          market: {
            name: `#${i}`,
            currency: "NZD",
            countries: ["NZ", ...(i % 2 ? ["AU"] : [])],
            defaultLocale: "en-NZ",
          },
        }),
      ),
    );
    const winners = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.market] : []));
    expect(winners).toHaveLength(1);
    const { rows } = await db.query("select market_id from market_countries where tenant_id = $1 and country = 'NZ'", [
      tenantId,
    ]);
    expect(rows).toEqual([{ market_id: winners[0]?.id }]);
    for (const result of results) {
      if (result.status === "rejected") {
        expect(observedError(result.reason)).toMatchObject({ code: Code.AlreadyExists, reason: "COUNTRY_TAKEN" });
      }
    }
  });

  it("a market that passed the check while another write held the country uncommitted is refused by the key", async () => {
    const { tenantId, clients } = await newAdmin();
    const holderId = crypto.randomUUID();
    const other = await db.connect();
    try {
      await other.query("begin");
      await other.query(
        "insert into markets (id, tenant_id, name, currency, default_locale) values ($1, $2, 'Holder', 'NZD', 'en')",
        [holderId, tenantId],
      );
      await other.query("insert into market_countries (tenant_id, country, market_id) values ($1, 'NZ', $2)", [
        tenantId,
        holderId,
      ]);
      const call = rejectionOf(
        clients.store.createMarket({
          market: { name: "Late", currency: "NZD", countries: ["NZ"], defaultLocale: "en" },
        }),
      );
      await waitFor("CreateMarket to wait for the uncommitted country", () => waitingOnLock(db, "market_countries"));
      await other.query("commit");
      expect(await call).toMatchObject({
        code: Code.AlreadyExists,
        reason: "COUNTRY_TAKEN",
        metadata: { country: "NZ", marketId: holderId },
      });
    } finally {
      other.release();
    }
    const { rows } = await db.query("select name from markets where tenant_id = $1", [tenantId]);
    expect(rows).toEqual([{ name: "Holder" }]);
  });

  it("the same request_id on two replicas at once: the one that loses the race for a country answers as the winner", async () => {
    const { tenantId, clients } = await newAdmin();
    const market = { name: "Oceania", currency: "NZD", countries: ["NZ"], defaultLocale: "en-NZ" };
    const request = create(CreateMarketRequestSchema, { market, requestId: crypto.randomUUID() });
    // The winner is another replica, played here by a transaction writing what its CreateMarket writes.
    const winnerId = crypto.randomUUID();
    const answer = create(CreateMarketResponseSchema, {
      market: create(MarketSchema, { ...market, id: winnerId, etag: "0123456789abcdef" }),
    });
    const key = idempotencyKey(tenantId, "orders.v1.StoreService/CreateMarket", CreateMarketRequestSchema, request);
    const other = await db.connect();
    try {
      await other.query("begin");
      await other.query(
        "insert into markets (id, tenant_id, name, currency, default_locale) values ($1, $2, 'Oceania', 'NZD', 'en-NZ')",
        [winnerId, tenantId],
      );
      await other.query("insert into market_countries (tenant_id, country, market_id) values ($1, 'NZ', $2)", [
        tenantId,
        winnerId,
      ]);
      await insertIdempotencyRecord(other, key, CreateMarketResponseSchema, answer);
      const call = clients.store.createMarket(request);
      await waitFor("CreateMarket to wait for the uncommitted country", () => waitingOnLock(db, "market_countries"));
      await other.query("commit");
      expect(await call).toEqual(answer);
    } finally {
      other.release();
    }
    const { rows } = await db.query("select id from markets where tenant_id = $1", [tenantId]);
    expect(rows).toEqual([{ id: winnerId }]);
  });

  it("two markets trading countries concurrently never both hold one", async () => {
    const { tenantId, clients } = await newAdmin();
    const base = { currency: "EUR", defaultLocale: "en" };
    const { market: a } = await clients.store.createMarket({ market: { ...base, name: "A", countries: ["FR"] } });
    const { market: b } = await clients.store.createMarket({ market: { ...base, name: "B", countries: ["DE"] } });
    await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        clients.store.updateMarket({
          market: { id: (i % 2 ? a : b)?.id ?? "", countries: i % 2 ? ["FR", "BE"] : ["DE", "BE"] },
          updateMask: { paths: ["countries"] },
        }),
      ),
    );
    const { rows } = await db.query<{ count: string }>(
      "select count(*) from market_countries where tenant_id = $1 and country = 'BE'",
      [tenantId],
    );
    expect(Number(rows[0]?.count)).toBe(1);
  });
});
