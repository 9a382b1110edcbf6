import { readFileSync } from "node:fs";
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { ORDERS_STREAM } from "../../src/platform/outbox/stream.js";
import { clientsFor } from "../support/clients.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { readStored } from "../support/stream-reader.js";
import { waitFor } from "../support/wait-for.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

const FILE = "docs/test-mode.md";
const PAGE = readFileSync(FILE, "utf8");
const CREATE = "<!-- test/docs/test-mode.test.ts runs the command of the next block";
const READ = "<!-- test/docs/test-mode.test.ts runs every command of the next block";
const FILTERS = "<!-- test/docs/test-mode.test.ts creates a JetStream consumer with each filter";

/** The JSON blocks that follow `marker`, in order. */
function answersAfter(marker: string): unknown[] {
  const after = PAGE.slice(PAGE.indexOf(marker));
  const end = after.indexOf("<!--", 1);
  return [...(end < 0 ? after : after.slice(0, end)).matchAll(/```json\n([\s\S]*?)```/g)].map((m): unknown =>
    JSON.parse(m[1] ?? ""),
  );
}

interface FilterRow {
  filter: string;
  live: boolean;
  test: boolean;
}

/** The rows of the page's table of filters: `filter` | live events | test events | takes. */
function filterRows(): FilterRow[] {
  const after = PAGE.slice(PAGE.indexOf(FILTERS));
  const rows = [...after.matchAll(/^\| `([^`]+)` \| (yes|no) \| (yes|no) \|/gm)];
  return rows.map((row) => ({ filter: row[1] ?? "", live: row[2] === "yes", test: row[3] === "yes" }));
}

let service: TestService;
let tenant: TestTenant;
let testKey: string;
let nc: NatsConnection;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ mode: "live" });
  testKey = (await tenant.issueKey({ role: "editor", mode: "test" })).key;
  nc = await connect({ servers: inject("natsUrl") });
});
afterAll(async () => {
  await ifSetUp(nc)?.close();
  await ifSetUp(service)?.shutdown();
});

let testOrderId = "";

it("docs/test-mode.md's test order is invisible to the live key, as the page shows", async () => {
  const env = { TEST_KEY: testKey, LIVE_KEY: tenant.key };
  const [create] = curlCommands(FILE, CREATE);
  const created = (await runCurl(create ?? "", service.url, env)) as { order: { id: string } };
  expect(created).toMatchObject(answersAfter(CREATE)[0] as object);
  testOrderId = created.order.id;

  const commands = curlCommands(FILE, READ);
  expect(commands).toHaveLength(2);
  const outputs = [];
  for (const command of commands) outputs.push(await runCurl(command, service.url, { ...env, ORDER_ID: testOrderId }));
  const [notFound, emptyList] = answersAfter(READ);
  expect(outputs[0]).toMatchObject(JSON.parse(JSON.stringify(notFound).replace("<ORDER_ID>", testOrderId)) as object);
  expect(outputs[1]).toEqual(emptyList);
});

it("each filter of docs/test-mode.md's table receives the modes it says, and orders.*.* only live events", async () => {
  expect(testOrderId).not.toBe("");
  const live = clientsFor("grpc-http2", service.url, tenant.key);
  const test = clientsFor("grpc-http2", service.url, testKey);
  const { order: liveOrder } = await live.orders.createOrder({
    email: "ops@example.com",
    currency: "USD",
    items: [{ sku: "INJ-6.7-CR", name: "Injector", quantity: 1, unitPrice: "289.50" }],
  });
  await live.orders.cancelOrder({ id: liveOrder?.id ?? "" });
  await test.orders.cancelOrder({ id: testOrderId });

  // What the tenant wrote, by event id, from the outbox: the truth the stream is checked against.
  const connection = service.orm.em.fork().getConnection();
  let written: { id: string; test: boolean; type: string }[] = [];
  await waitFor("every outbox row published", async () => {
    const rows = await connection.execute<
      { id: string; aggregate_id: string; event_type: string; published: boolean }[]
    >(
      "select id, aggregate_id, event_type, published_at is not null as published from outbox_events where tenant_id = ?",
      [tenant.tenantId],
    );
    written = rows.map((r) => ({ id: r.id, test: r.aggregate_id === testOrderId, type: r.event_type }));
    return rows.length === 4 && rows.every((r) => r.published);
  });
  // Where they are in the stream: the first and last sequence a reader must cover.
  const stored = [
    ...(await readStored(nc, `orders.${tenant.tenantId}.>`)),
    ...(await readStored(nc, `orders.test.${tenant.tenantId}.>`)),
  ];
  expect(stored.map((event) => event.headers["ce-id"]).sort()).toEqual(written.map((event) => event.id).sort());
  const first = Math.min(...stored.map((event) => event.seq));
  const last = Math.max(...stored.map((event) => event.seq));

  const rows = filterRows();
  expect(rows).toHaveLength(7);
  expect(rows.map((row) => row.filter)).toContain("orders.*.*");
  for (const row of rows) {
    const filter = row.filter.replace("<tenant_id>", tenant.tenantId);
    const received = await tenantEventsThrough(nc, filter, first, last, tenant.tenantId);
    // a filter naming one event takes only that event
    const event = filter.split(".").at(-1);
    const expected = written.filter(
      (e) => (e.test ? row.test : row.live) && (event === "*" || event === ">" || e.type === `order.${event}`),
    );
    expect({ filter: row.filter, ids: received.sort() }).toEqual({
      filter: row.filter,
      ids: expected.map((e) => e.id).sort(),
    });
  }
});

/**
 * The ce-id of this tenant's events a JetStream consumer with `filter` receives between the stream sequences
 * `first` and `last` (other test files publish to the same stream meanwhile: their events are skipped).
 */
async function tenantEventsThrough(
  connection: NatsConnection,
  filter: string,
  first: number,
  last: number,
  tenantId: string,
): Promise<string[]> {
  const consumer = await jetstream(connection).consumers.get(ORDERS_STREAM, {
    filter_subjects: filter,
    deliver_policy: DeliverPolicy.StartSequence,
    opt_start_seq: first,
  });
  const ids: string[] = [];
  for (;;) {
    let seen = 0;
    for await (const message of await consumer.fetch({ max_messages: 500, expires: 1000 })) {
      seen += 1;
      if (message.seq > last) return ids;
      if (message.headers?.get("ce-tenantid") === tenantId) ids.push(message.headers.get("ce-id"));
      if (message.info.pending === 0) return ids;
    }
    if (seen === 0) return ids;
  }
}
