import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { createOrm, IdempotencyRecord, Order, OrderHistoryEntry, OrderLine, OutboxEvent } from "../../src/database.js";
import { insertNewOrder, type NewOrderRows } from "../../src/orders/queries/insert-order.js";
import { nativePool, Parameters, query } from "../../src/platform/database/query.js";
import { NOTIFY_RELAYS_SQL } from "../../src/platform/outbox/outbox-store.js";
import { newOrderRowsFixture } from "../../test/orders/support/new-order-rows.js";
import { createTenantWithCustomer } from "../../test/platform/database/fixtures.js";
import { createScratchDatabase } from "../../test/support/scratch-database.js";
import { round } from "../support/stats.js";
import { RESULTS_DIR } from "../support/results.js";

/**
 * `npm run bench -- --write-statement`: what CreateOrder's write costs the service's own CPU, three ways, on the
 * same rows, in one process, taken in turns so a busy neighbour hits all three alike:
 * - hand-written: the one statement of CTEs as it was spelled column by column before the generator (kept here,
 *   frozen, as the fixed point the generated statement is measured against);
 * - generated: the statement CreateOrder sends now (orders/queries/insert-order.ts), its INSERTs generated from the
 *   entity metadata (platform/database/entity-insert.ts);
 * - unit of work: the same rows as entities, persisted by MikroORM's unit of work (begin, one INSERT per table,
 *   notify, commit).
 * It writes bench/results/write-statement.md. CPU is this process's (user + system) per order: the service's share
 * of the write; PostgreSQL's own work is alike for the three and not counted.
 */
const { values: args } = parseArgs({
  options: {
    "write-statement": { type: "boolean", default: true },
    orders: { type: "string", default: "3000" },
    rounds: { type: "string", default: "5" },
    lines: { type: "string", default: "5" },
    concurrency: { type: "string", default: "8" },
    "database-url": {
      type: "string",
      default: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    },
  },
});
const ordersPerSlice = Number(args.orders);
const rounds = Number(args.rounds);
const linesPerOrder = Number(args.lines);
const concurrency = Number(args.concurrency);

type Writer = (em: EntityManager, rows: NewOrderRows) => Promise<void>;

const WRITERS: Record<string, Writer> = {
  "hand-written statement": handWrittenInsert,
  "generated statement (CreateOrder)": insertNewOrder,
  "unit of work": unitOfWorkInsert,
};

const database = await createScratchDatabase(args["database-url"], "orderspine_write_bench", { migrated: true });
const orm = await createOrm({ databaseUrl: database.url, poolMax: concurrency + 2 });
try {
  const { tenant, customer } = await createTenantWithCustomer(orm.em.fork());
  const newRows = () => orderRows(tenant.id, customer.id, linesPerOrder);
  const totals = new Map(Object.keys(WRITERS).map((name) => [name, { cpuMs: 0, wallMs: 0, orders: 0 }]));
  // one unrecorded slice each: JIT, pool connections, the plans' metadata
  for (const writer of Object.values(WRITERS)) await slice(orm, writer, 300, newRows);
  for (let round = 0; round < rounds; round++) {
    for (const [name, writer] of Object.entries(WRITERS)) {
      const figures = await slice(orm, writer, ordersPerSlice, newRows);
      const total = totals.get(name);
      if (!total) throw new Error(name);
      total.cpuMs += figures.cpuMs;
      total.wallMs += figures.wallMs;
      total.orders += ordersPerSlice;
    }
  }
  const hand = totals.get("hand-written statement");
  if (!hand) throw new Error("no baseline");
  const handCpu = hand.cpuMs / hand.orders;
  const rows = [...totals].map(([name, t]) => {
    const cpu = t.cpuMs / t.orders;
    return `| ${name} | ${round(cpu * 1000)} | ${(cpu / handCpu).toFixed(2)} | ${Math.round((t.orders / t.wallMs) * 1000)} |`;
  });
  const markdown = [
    `Measured by \`npm run bench -- --write-statement\` on ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ` +
      `${cpus().length} x ${cpus()[0]?.model.trim() ?? "CPU"}, load average ${loadavg()[0]?.toFixed(2)} at the start: ` +
      `${rounds} rounds of ${ordersPerSlice} orders of ${linesPerOrder} lines per way, ${concurrency} in flight, the ways in turns.`,
    "",
    "| write | CPU µs/order (this process) | x hand-written | orders/s |",
    "| --- | ---: | ---: | ---: |",
    ...rows,
    "",
  ].join("\n");
  writeFileSync(join(RESULTS_DIR, "write-statement.md"), markdown);
  console.log(markdown);
} finally {
  await orm.close(true);
  await database.drop();
}

async function slice(
  orm: MikroORM,
  writer: Writer,
  orders: number,
  newRows: () => NewOrderRows,
): Promise<{ cpuMs: number; wallMs: number }> {
  const prepared = Array.from({ length: orders }, newRows);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let rows = prepared[next++]; rows; rows = prepared[next++]) await writer(orm.em.fork(), rows);
    }),
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs };
}

function orderRows(tenantId: string, customerId: string, lines: number): NewOrderRows {
  return newOrderRowsFixture({ tenantId, customerId, requestId: randomUUID(), lines });
}

/** The same rows through MikroORM's unit of work: begin, one INSERT per table (lines batched), notify, commit. */
async function unitOfWorkInsert(em: EntityManager, rows: NewOrderRows): Promise<void> {
  const { tenantId, customerId, companyId, ...order } = rows.order;
  await em.transactional(async (tx) => {
    if (rows.idempotency) tx.create(IdempotencyRecord, rows.idempotency);
    const entity = tx.create(Order, { ...order, tenant: tenantId, customer: customerId, company: companyId });
    for (const line of rows.lines) tx.create(OrderLine, { ...line, order: entity, tenantId });
    for (const entry of rows.history ?? []) tx.create(OrderHistoryEntry, { ...entry, order: entity, tenantId });
    const { event } = rows;
    tx.create(OutboxEvent, { ...event, nextAttemptAt: event.occurredAt });
    await tx.flush();
    await query(tx, NOTIFY_RELAYS_SQL);
  });
}

/** CreateOrder's statement as it was spelled by hand before the generator (frozen; see the file comment). */
async function handWrittenInsert(em: EntityManager, rows: NewOrderRows): Promise<void> {
  const params = new Parameters();
  const values = (row: readonly unknown[]) => params.row(row);
  const { order, lines, event, idempotency } = rows;
  const json = (value: object | null) => (value === null ? null : JSON.stringify(value));
  const ctes: string[] = [];
  if (idempotency) {
    ctes.push(
      `new_idempotency_record as (insert into idempotency_records (tenant_id, request_id, method, request_hash, response, created_at, expires_at) values ${values(
        [
          ...[idempotency.tenantId, idempotency.requestId, idempotency.method, idempotency.requestHash],
          ...[Buffer.from(idempotency.response), idempotency.createdAt, idempotency.expiresAt],
        ],
      )})`,
    );
  }
  ctes.push(
    `new_order as (insert into orders (id, tenant_id, order_number, customer_id, status, payment_status, currency, channel, property_id, subtotal, shipping_total, discount_total, tax_total, total, shipping_address, billing_address, customer_note, internal_note, metadata, request_id, created_at, updated_at, tags, paid_total, refunded_total, fulfillment, placed_at, email, po_number, customer_reference, requested_ship_date, hold_until_date, ship_by_date, requested_shipping_service, custom_fields, locale, private_metadata, company_id, market_id, sales_channel_id, preferred_stock_location_id) values ${values(
      [
        ...[order.id, order.tenantId, order.orderNumber, order.customerId, order.status, order.paymentStatus],
        ...[order.currency, order.channel, order.propertyId, order.subtotal, order.shippingTotal],
        ...[order.discountTotal, order.taxTotal, order.total, json(order.shippingAddress), json(order.billingAddress)],
        ...[order.customerNote, order.internalNote, json(order.metadata), order.requestId, order.createdAt],
        ...[order.updatedAt, json(order.tags), order.paidTotal, order.refundedTotal, json(order.fulfillment)],
        ...[order.placedAt, order.email, order.poNumber, order.customerReference, order.requestedShipDate],
        ...[order.holdUntilDate, order.shipByDate, order.requestedShippingService, json(order.customFields)],
        ...[order.locale, json(order.privateMetadata), order.companyId, order.marketId, order.salesChannelId],
        order.preferredStockLocationId,
      ],
    )})`,
  );
  const lineValues = lines.map((line) =>
    values([
      ...[line.id, order.id, order.tenantId, line.position, line.sku, line.name, line.description, line.quantity],
      ...[line.unitPrice, line.taxAmount, line.lineTotal, line.productId, line.variantId, json(line.metadata)],
      ...[json(line.privateMetadata), line.requestedSku, line.taxCategory, line.weightGrams],
    ]),
  );
  ctes.push(
    `new_lines as (insert into order_lines (id, order_id, tenant_id, position, sku, name, description, quantity, unit_price, tax_amount, line_total, product_id, variant_id, metadata, private_metadata, requested_sku, tax_category, weight_grams) values ${lineValues.join(", ")})`,
  );
  ctes.push(
    `new_event as (insert into outbox_events (id, tenant_id, aggregate_type, aggregate_id, aggregate_sequence, event_type, subject, payload, occurred_at, next_attempt_at) values ${values(
      [
        ...[event.id, event.tenantId, event.aggregateType, event.aggregateId, event.aggregateSequence],
        ...[event.eventType, event.subject, Buffer.from(event.payload), event.occurredAt, event.occurredAt],
      ],
    )})`,
  );
  await query(await nativePool(em), `with ${ctes.join(",\n")}\n${NOTIFY_RELAYS_SQL}`, params.values);
}
