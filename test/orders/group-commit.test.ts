import { toJson } from "@bufbuild/protobuf";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, OrderSchema } from "../../gen/orders/v1/order_pb.js";
import { CreateOrderResponseSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { observedError } from "../support/errors.js";
import { BROOKLYN, setUpNewYorkShop } from "../support/new-york-shop.js";
import { scrape } from "../support/metrics.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

// Group commit (docs/performance.md) must not change any answer: the same mixed workload, with conflicts, runs
// against a service that batches CreateOrder and one that writes every order alone, and every answer, every stored
// order and every event must be the same. Calls of a round are sent all at once, so the batching service writes
// them in batches (asserted from the rows: orders committed together share their transaction id, xmin).

/** Rounds with conflicts, then one without any (whose batches all commit whole). */
const ROUNDS = 3;

let db: pg.Pool;
const services: TestService[] = [];

beforeAll(() => {
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.shutdown()));
  await ifSetUp(db)?.end();
});

/** A call of the workload, in a group whose outcomes are compared as a whole when its calls race each other. */
interface Call {
  group: string;
  /** Calls of a race group conflict with each other: which of them wins may differ, how many do may not. */
  race: boolean;
  request: Parameters<Clients["orders"]["createOrder"]>[0];
}

interface Shop {
  clients: Clients;
  customers: string[];
  shippingMethodId: string;
}

/** The tenant a run uses: customers, the New York shop (tax, SPRING10 without limits, UPS Ground) and a taken number. */
async function shopOn(service: TestService): Promise<Shop> {
  const tenant = await service.newTenant();
  const clients = clientsFor("grpc-http2", service.url, tenant.key);
  const admin = clientsFor("grpc-http2", service.url, (await tenant.issueKey({ role: "admin" })).key);
  const shippingMethodId = await setUpNewYorkShop(admin);
  const customers: string[] = [];
  for (let i = 0; i < 3; i++) {
    const { customer } = await clients.customers.createCustomer({ email: `buyer-${i}@batch.example`, name: `B ${i}` });
    customers.push(customer?.id ?? "");
  }
  await clients.orders.createOrder({ customerId: customers[0], items: [line(0)], orderNumber: "TAKEN-1" });
  return { clients, customers, shippingMethodId };
}

function line(i: number) {
  return { sku: `SKU-${i}`, name: `Part ${i}`, quantity: 1 + (i % 3), unitPrice: `${10 + i}.25` };
}

/** Request ids are the same in both runs (each run has its own tenant), so answers compare as they are. */
function requestId(round: number, n: number): string {
  return `00000000-0000-4000-8000-${String(round).padStart(4, "0")}${String(n).padStart(8, "0")}`;
}

function workload(shop: Shop, round: number): Call[] {
  const { customers } = shop;
  const customer = (i: number) => customers[i % customers.length] ?? "";
  const order = (i: number, extra: object = {}) => ({
    customerId: customer(i),
    currency: "USD",
    channel: Channel.B2B_PORTAL,
    items: Array.from({ length: 1 + (i % 5) }, (_, k) => line(k)),
    ...extra,
  });
  const calls: Call[] = [];
  const add = (group: string, race: boolean, ...requests: Call["request"][]) =>
    calls.push(...requests.map((request) => ({ group: `${round}/${group}`, race, request })));
  for (let i = 0; i < 24; i++)
    add(`normal ${i}`, false, order(i, i % 3 === 0 ? { requestId: requestId(round, i) } : {}));
  if (round === ROUNDS) return calls;
  // A concurrent duplicate with the same body: one order, both answered with it.
  const same = order(1, { requestId: requestId(round, 100) });
  add("duplicate request_id, same body", true, same, same);
  // A concurrent duplicate with another body: one order, the other call refused as a reuse.
  add("duplicate request_id, other body", true, order(2, { requestId: requestId(round, 101) }), {
    ...order(3),
    requestId: requestId(round, 101),
  });
  add("number taken before", false, order(4, { orderNumber: "TAKEN-1" }));
  add(
    "one new number twice",
    true,
    order(5, { orderNumber: `DUP-${round}` }),
    order(6, { orderNumber: `DUP-${round}` }),
  );
  add("unknown customer", false, order(7, { customerId: "0b7e3f5e-3e59-4c5c-9a59-000000000001" }));
  add("no items", false, { customerId: customer(8), currency: "USD" });
  for (let i = 0; i < 3; i++)
    add(`coupon ${i}`, false, {
      ...order(i, { requestId: requestId(round, 200 + i) }),
      shippingAddress: BROOKLYN,
      shippingMethod: { id: shop.shippingMethodId },
      couponCodes: ["SPRING10"],
    });
  return calls;
}

interface Outcome {
  group: string;
  race: boolean;
  answer: string;
  orderId?: string;
}

/** What a client sees, without what differs by nature between two tenants: ids, times, etags, generated numbers. */
function normalized(json: unknown, shop: Shop): string {
  let text = JSON.stringify(json);
  shop.customers.forEach((id, i) => (text = text.replaceAll(id, `customer-${i}`)));
  if (shop.shippingMethodId) text = text.replaceAll(shop.shippingMethodId, "shipping-method");
  return text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<id>")
    .replace(/"\d{4}-\d\d-\d\dT[^"]*Z"/g, '"<time>"')
    .replace(/"etag":"[0-9a-f]+"/g, '"etag":"<etag>"')
    .replace(/"orderNumber":"\d+"/g, '"orderNumber":"<generated>"');
}

async function run(service: TestService): Promise<{ outcomes: Outcome[]; shop: Shop; tenantOrders: number }> {
  const shop = await shopOn(service);
  const outcomes: Outcome[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const calls = workload(shop, round);
    const settled = await Promise.allSettled(calls.map((c) => shop.clients.orders.createOrder(c.request)));
    settled.forEach((result, i) => {
      const call = calls[i];
      if (!call) return;
      if (result.status === "fulfilled") {
        const answer = normalized(toJson(CreateOrderResponseSchema, result.value), shop);
        outcomes.push({ group: call.group, race: call.race, answer: `ok ${answer}`, orderId: result.value.order?.id });
      } else {
        const { code, reason, violations, message } = observedError(result.reason);
        outcomes.push({
          group: call.group,
          race: call.race,
          answer: `error ${normalized({ code, reason, violations, message }, shop)}`,
        });
      }
    });
  }
  // What was answered was stored: every order reads back as its answer said.
  for (const { orderId, answer } of outcomes) {
    if (!orderId) continue;
    const { order: stored } = await shop.clients.orders.getOrder({ id: orderId });
    const order = normalized(stored ? toJson(OrderSchema, stored) : null, shop);
    expect(answer).toContain(order.slice(0, -1));
  }
  const { rows } = await db.query<{ count: string }>(
    "select count(*) from orders o join customers c on c.id = o.customer_id where c.id = any($1::uuid[])",
    [shop.customers],
  );
  return { outcomes, shop, tenantOrders: Number(rows[0]?.count) };
}

/** The outcomes of each group: in call order where nothing races, as a sorted list where calls race each other. */
function byGroup(outcomes: readonly Outcome[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  for (const o of outcomes) (groups[o.group] ??= []).push(o.race ? kind(o.answer) : o.answer);
  for (const o of outcomes) if (o.race) groups[o.group]?.sort();
  return groups;
}

/** A racing call's outcome as far as it may not depend on who won: success, or the error's code and reason. */
function kind(answer: string): string {
  const match = /"code":(\d+),"reason":"([A-Z_]+)"/.exec(answer);
  return match ? `error ${match[1]} ${match[2]}` : "ok";
}

/** Per order of the run's tenant: its events and the transaction (xmin) it was committed in; its uses of SPRING10. */
async function commits(shop: Shop): Promise<{
  orders: number;
  events: number;
  largestCommit: number;
  redemptions: number;
  usageCount: number;
  largestCouponCommit: number;
}> {
  const { rows } = await db.query<Record<"orders" | "events" | "largest" | "redemptions" | "usage" | "coupon", string>>(
    `with t as (select o.id, o.tenant_id, o.xmin::text as tx from orders o where o.customer_id = any($1::uuid[])),
          redeemed as (select t.* from t where exists (select 1 from promotion_redemptions r where r.order_id = t.id))
     select (select count(*) from t) as orders,
            (select count(*) from outbox_events e join t on e.aggregate_id = t.id where e.event_type = 'order.created') as events,
            (select max(n) from (select count(*) as n from t group by tx) g) as largest,
            (select count(*) from redeemed) as redemptions,
            (select sum(p.usage_count) from promotions p where p.tenant_id = (select tenant_id from t limit 1)) as usage,
            (select max(n) from (select count(*) as n from t where tx in (select tx from redeemed) group by tx) g) as coupon`,
    [shop.customers],
  );
  const [row] = rows;
  return {
    orders: Number(row?.orders),
    events: Number(row?.events),
    largestCommit: Number(row?.largest),
    redemptions: Number(row?.redemptions),
    usageCount: Number(row?.usage),
    largestCouponCommit: Number(row?.coupon),
  };
}

describe("CreateOrder with group commit (CREATE_ORDER_BATCH)", () => {
  it("answers a mixed workload with conflicts exactly as the service without batching, and stores the same", async () => {
    const batched = await startTestService({
      databasePoolMax: 10,
      createOrderBatch: { enabled: true, maxItems: 64, maxBytes: 2 * 1024 * 1024 },
    });
    services.push(batched);
    const alone = await startTestService({
      databasePoolMax: 10,
      createOrderBatch: { enabled: false, maxItems: 64, maxBytes: 2 * 1024 * 1024 },
    });
    services.push(alone);

    // orderspine_create_order_batch_size: observed per committed statement, by the batching service only.
    const histogram = async () => {
      const scraped = await scrape(batched.metricsUrl);
      return {
        statements: scraped.value("orderspine_create_order_batch_size_count") ?? 0,
        orders: scraped.value("orderspine_create_order_batch_size_sum") ?? 0,
        lookupStatements: scraped.value("orderspine_create_order_lookups_batch_size_count") ?? 0,
        lookedUp: scraped.value("orderspine_create_order_lookups_batch_size_sum") ?? 0,
      };
    };
    const before = await histogram();
    const withBatches = await run(batched);
    const after = await histogram();
    const without = await run(alone);

    expect(byGroup(withBatches.outcomes)).toEqual(byGroup(without.outcomes));
    // The workload's conflicts happened as designed, in both runs.
    const groups = byGroup(without.outcomes);
    expect(groups["0/duplicate request_id, other body"]).toEqual(["error 6 IDEMPOTENCY_KEY_REUSED", "ok"]);
    expect(groups["0/one new number twice"]).toEqual(["error 6 ORDER_NUMBER_TAKEN", "ok"]);
    expect(groups["0/number taken before"]?.[0]).toContain('"reason":"ORDER_NUMBER_TAKEN"');
    expect(groups["0/unknown customer"]?.[0]).toContain('"reason":"CUSTOMER_NOT_FOUND"');
    // The duplicate with the same body was answered with one order, in both runs.
    for (const { outcomes } of [withBatches, without]) {
      const same = outcomes.filter((o) => o.group === "0/duplicate request_id, same body").map((o) => o.orderId);
      expect(new Set(same).size).toBe(1);
    }

    const stored = await commits(withBatches.shop);
    const storedAlone = await commits(without.shop);
    const unbatchedFigures = { largestCommit: 0, largestCouponCommit: 0 };
    expect({ ...stored, ...unbatchedFigures }).toEqual({ ...storedAlone, ...unbatchedFigures });
    expect(stored.events).toBe(stored.orders);
    // Every coupon order counted one use of SPRING10 (no limits), also where it was committed with other orders.
    expect(stored.redemptions).toBe(3 * ROUNDS);
    expect(stored.usageCount).toBe(stored.redemptions);
    // ... and coupon orders were committed together with other orders: uses of promotions without limits batch too.
    expect(stored.largestCouponCommit).toBeGreaterThan(1);
    expect(withBatches.tenantOrders).toBe(without.tenantOrders);
    // Batches formed (orders committed in one transaction) with batching on, and never without it.
    expect(stored.largestCommit).toBeGreaterThan(1);
    expect(storedAlone.largestCommit).toBe(1);
    // The histogram saw them: fewer committed statements than orders, more than one order per statement on average.
    const statements = after.statements - before.statements;
    expect(statements).toBeGreaterThan(0);
    expect(after.orders - before.orders).toBeGreaterThan(statements);
    // The statement before the write (lookups and order numbers) was batched too.
    const lookupStatements = after.lookupStatements - before.lookupStatements;
    expect(lookupStatements).toBeGreaterThan(0);
    expect(after.lookedUp - before.lookedUp).toBeGreaterThan(lookupStatements);
  });
});
