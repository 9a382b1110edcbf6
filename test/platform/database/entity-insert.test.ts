import { randomUUID } from "node:crypto";
import { defineEntity, p } from "@mikro-orm/core";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { initOrm } from "../../../src/platform/database/orm.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertedColumns, insertInto } from "../../../src/platform/database/entity-insert.js";
import { Parameters, query } from "../../../src/platform/database/query.js";
import { createOrm } from "../../../src/database.js";
import { IdempotencyRecordSchema } from "../../../src/platform/idempotency/entities/idempotency-record.js";
import { OrderHistoryEntrySchema } from "../../../src/orders/entities/order-history-entry.js";
import { OrderLineSchema } from "../../../src/orders/entities/order-line.js";
import { OrderSchema } from "../../../src/orders/entities/order.js";
import { OutboxEventSchema } from "../../../src/platform/outbox/entities/outbox-event.js";
import { createScratchDatabase, type ScratchDatabase } from "../../support/scratch-database.js";
import { testDatabaseUrl } from "../../support/database.js";
import { ifSetUp } from "../../support/set-up.js";

/** The tables CreateOrder's one statement writes (orders/queries/insert-order.ts). */
const CREATE_ORDER_TABLES = [
  ["orders", OrderSchema],
  ["order_lines", OrderLineSchema],
  ["order_history_entries", OrderHistoryEntrySchema],
  ["outbox_events", OutboxEventSchema],
  ["idempotency_records", IdempotencyRecordSchema],
] as const;

describe("the generated insert of CreateOrder's tables", () => {
  let orm: MikroORM;
  beforeAll(async () => {
    orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 2 });
  });
  afterAll(() => ifSetUp(orm)?.close(true));

  it.each(CREATE_ORDER_TABLES)("names every column of %s that the migrated database has", async (table, schema) => {
    const { rows } = await query<{ column_name: string }>(
      orm.em,
      "select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1",
      [table],
    );
    expect(rows.length).toBeGreaterThan(0);
    expect([...insertedColumns(orm.em, schema)].sort()).toEqual(rows.map((row) => row.column_name).sort());
  });
});

/**
 * A table of the test's own: the properties a later issue adds to orders (a nullable integer, a json list) are
 * spread onto an existing definition, and insertInto, which has no per-entity code, writes them with no other edit
 * and refuses a row that leaves one neither written nor defaulted.
 */
const widgetV1 = {
  name: "Widget",
  tableName: "widgets",
  properties: {
    id: p.uuid().primary(),
    label: p.text(),
    price: p.decimal("string").precision(19).scale(4),
    note: p.text().nullable(),
    attributes: p.json<Record<string, unknown>>().defaultRaw("'{}'"),
    payload: p.uint8array(),
    madeAt: p.datetime(),
    stock: p.integer().default(7),
    version: p.integer().version(),
  },
};
const WidgetV2 = defineEntity({
  ...widgetV1,
  properties: {
    ...widgetV1.properties,
    weightGrams: p.integer().nullable(),
    sizes: p.json<string[]>(),
  },
});

describe("insertInto", () => {
  let database: ScratchDatabase;
  let orm: MikroORM;
  let em: EntityManager;

  beforeAll(async () => {
    database = await createScratchDatabase(testDatabaseUrl(), "entity_insert");
    orm = await initOrm({ databaseUrl: database.url, poolMax: 2, entities: [WidgetV2] });
    await orm.schema.create();
    em = orm.em.fork();
  });
  afterAll(async () => {
    await ifSetUp(orm)?.close(true);
    await ifSetUp(database)?.drop();
  });

  async function insert(rows: Record<string, unknown>[]) {
    const params = new Parameters();
    const sql = insertInto(em, WidgetV2, rows as never, params);
    await query(em, sql, params.values);
    return sql;
  }

  const widget = () => ({
    id: randomUUID(),
    label: `it's "quoted" \\ $1`,
    price: "12.3456",
    note: null,
    payload: new Uint8Array([0, 1, 255]),
    madeAt: new Date("2026-11-30T12:00:00.123Z"),
    weightGrams: 250,
    sizes: ["S", "M"],
  });

  it("writes a property added to the entity, converting json, bytea, numeric and times as the ORM reads them", async () => {
    const rows = [widget(), { ...widget(), note: "second", attributes: { colour: "red" }, stock: 3 }];
    const sql = await insert(rows);
    expect(sql.match(/insert into/g)).toHaveLength(1);

    const read = await orm.em.fork().find(WidgetV2, {}, { orderBy: { label: "asc", note: "asc" } });
    const byId = new Map(read.map((row) => [row.id, row]));
    for (const row of rows) {
      expect(byId.get(row.id)).toMatchObject({
        label: row.label,
        price: row.price,
        note: row.note,
        madeAt: row.madeAt,
        weightGrams: 250,
        sizes: ["S", "M"],
        // omitted: the column default; given: the value
        attributes: "attributes" in row ? row.attributes : {},
        stock: "stock" in row ? row.stock : 7,
        version: 1,
      });
      expect(Array.from(byId.get(row.id)?.payload ?? [])).toEqual([0, 1, 255]);
    }
  });

  it("refuses a row that leaves a column neither written nor defaulted, naming it, before sending anything", () => {
    const { weightGrams: _omitted, ...withoutWeight } = widget();
    expect(() => insertInto(em, WidgetV2, [withoutWeight] as never, new Parameters())).toThrow(
      /Widget\.weightGrams \(column weight_grams\) is neither written nor defaulted/,
    );
    const { sizes: _sizes, ...withoutSizes } = widget();
    expect(() => insertInto(em, WidgetV2, [withoutSizes] as never, new Parameters())).toThrow(/Widget\.sizes/);
  });

  it("refuses null for a column that is not nullable, and a key the entity does not have", () => {
    expect(() => insertInto(em, WidgetV2, [{ ...widget(), label: null }] as never, new Parameters())).toThrow(
      /Widget\.label \(column label\) is not nullable/,
    );
    expect(() => insertInto(em, WidgetV2, [{ ...widget(), colour: "red" }] as never, new Parameters())).toThrow(
      /Widget has no persisted property "colour"/,
    );
  });

  it("writes every column of the entity, in the order it defines them", () => {
    expect(insertedColumns(em, WidgetV2)).toEqual([
      ...["id", "label", "price", "note", "attributes", "payload", "made_at", "stock", "version"],
      ...["weight_grams", "sizes"],
    ]);
  });
});
