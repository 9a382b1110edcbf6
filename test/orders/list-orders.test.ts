import { timestampDate, timestampFromDate } from "@bufbuild/protobuf/wkt";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, OrderStatus, PaymentStatus, type Order } from "../../gen/orders/v1/order_pb.js";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListOrdersRequestSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { clientsFor, PROTOCOLS, type Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, placeOrder } from "./support/order-fixtures.js";

let service: TestService;
let db: pg.Pool;

beforeAll(async () => {
  service = await startTestService();
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.shutdown();
});

type ListRequest = MessageInitShape<typeof ListOrdersRequestSchema>;

/** Every page of a listing, following next_page_token; `between` runs after each page. */
async function allPages(clients: Clients, request: ListRequest, between: () => Promise<void> = async () => {}) {
  const pages: Order[][] = [];
  let pageToken = "";
  do {
    const response = await clients.orders.listOrders({ ...request, pageToken });
    pages.push(response.orders);
    pageToken = response.nextPageToken;
    await between();
  } while (pageToken !== "" && pages.length < 1000);
  return pages;
}

/** A tenant with a customer, and `count` orders of it bulk-inserted with the given created_at (SQL, for speed). */
async function bulkTenant(count: number, createdAt: (i: number) => string) {
  const tenant = await service.newTenant();
  const clients = clientsFor("grpc-http2", service.url, tenant.key);
  const customerId = await createCustomerId(clients);
  const times = Array.from({ length: count }, (_, i) => createdAt(i));
  await db.query(
    `insert into orders (id, tenant_id, order_number, customer_id, status, payment_status, currency, channel,
                         subtotal, shipping_total, discount_total, tax_total, total, created_at, updated_at)
     select gen_random_uuid(), $1, 'B-' || n, $2, 'placed', 'unpaid', 'USD', 'admin', 1, 0, 0, 0, 1, t, t
       from unnest($3::timestamptz[]) with ordinality as x(t, n)`,
    [tenant.tenantId, customerId, times],
  );
  return { tenant, clients };
}

describe("ListOrders paging", () => {
  it.each(PROTOCOLS)(
    "lists newest first with a default page of 50 and a last page without token, over %s",
    async (protocol) => {
      const base = Date.parse("2026-01-01T00:00:00Z");
      const { tenant } = await bulkTenant(53, (i) => new Date(base + i * 1000).toISOString());
      const clients = clientsFor(protocol, service.url, tenant.key);
      const first = await clients.orders.listOrders({});
      expect(first.orders).toHaveLength(50);
      expect(first.orders[0]?.orderNumber).toBe("B-53");
      expect(first.nextPageToken).not.toBe("");
      const second = await clients.orders.listOrders({ pageToken: first.nextPageToken });
      expect(second.orders.map((o) => o.orderNumber)).toEqual(["B-3", "B-2", "B-1"]);
      expect(second.nextPageToken).toBe("");
    },
  );

  it("coerces page_size above 500 to 500 and refuses a negative one", async () => {
    const base = Date.parse("2026-02-01T00:00:00Z");
    const { clients } = await bulkTenant(501, (i) => new Date(base + i).toISOString());
    const page = await clients.orders.listOrders({ pageSize: 100_000 });
    expect(page.orders).toHaveLength(500);
    expect((await clients.orders.listOrders({ pageSize: 500, pageToken: page.nextPageToken })).orders).toHaveLength(1);
    expect(await rejectionOf(clients.orders.listOrders({ pageSize: -1 }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "page_size" }],
    });
  });

  it("pages through orders created in the same microsecond by id, without duplicates or gaps", async () => {
    const { clients } = await bulkTenant(25, () => "2026-03-01T00:00:00.123456Z");
    const pages = await allPages(clients, { pageSize: 4 });
    const numbers = pages.flat().map((o) => o.orderNumber);
    expect(pages).toHaveLength(7);
    expect(new Set(numbers).size).toBe(25);
    const ids = pages.flat().map((o) => o.id);
    expect(ids).toEqual([...ids].sort().reverse());
  });

  it("is stable while orders are being created: every order that existed is listed once, no duplicates", async () => {
    const tenant = await service.newTenant();
    const clients = clientsFor("connect-binary-http2", service.url, tenant.key);
    const customerId = await createCustomerId(clients);
    const existing: string[] = [];
    for (let i = 0; i < 23; i++) existing.push((await placeOrder(clients, customerId)).id);
    let created = 0;
    const pages = await allPages(clients, { pageSize: 5 }, async () => {
      // Two new orders and a change of an old one between every two pages.
      await Promise.all([placeOrder(clients, customerId), placeOrder(clients, customerId)]);
      created += 2;
      await clients.orders.cancelOrder({ id: existing[created % existing.length] ?? "" }).catch(() => undefined);
    });
    const listed = pages.flat().map((o) => o.id);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.filter((id) => existing.includes(id)).sort()).toEqual([...existing].sort());
    // Newest first throughout.
    const times = pages.flat().map((o) => timestampDate(o.createTime ?? timestampFromDate(new Date(0))).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("returns whole orders: lines, history and payment state", async () => {
    const tenant = await service.newTenant();
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    const order = await placeOrder(clients, await createCustomerId(clients));
    const paid = orderOf(await clients.orders.recordPayment({ id: order.id, amount: "10.00" }));
    const { orders } = await clients.orders.listOrders({});
    expect(orders).toEqual([paid]);
  });
});

describe("ListOrders page tokens", () => {
  let clients: Clients;
  let key: string;
  beforeAll(async () => {
    const base = Date.parse("2026-04-01T00:00:00Z");
    let tenant: Awaited<ReturnType<typeof bulkTenant>>["tenant"];
    ({ clients, tenant } = await bulkTenant(12, (i) => new Date(base + i * 1000).toISOString()));
    key = tenant.key;
  });

  it("may continue with another page size", async () => {
    const first = await clients.orders.listOrders({ pageSize: 5 });
    const next = await clients.orders.listOrders({ pageSize: 3, pageToken: first.nextPageToken });
    expect(next.orders.map((o) => o.orderNumber)).toEqual(["B-7", "B-6", "B-5"]);
  });

  it.each<[string, Omit<ListRequest, "$typeName">]>([
    ["status", { status: OrderStatus.PLACED }],
    ["payment_status", { paymentStatus: PaymentStatus.UNPAID }],
    ["customer_id", { customerId: crypto.randomUUID() }],
    ["channel", { channel: Channel.ADMIN }],
    ["order_number", { orderNumber: "B-1" }],
    ["create_time_start", { createTimeStart: timestampFromDate(new Date("2020-01-01T00:00:00Z")) }],
    ["create_time_end", { createTimeEnd: timestampFromDate(new Date("2030-01-01T00:00:00Z")) }],
  ])("is INVALID_ARGUMENT when reused with another %s filter", async (_, filter) => {
    const first = await clients.orders.listOrders({ pageSize: 5 });
    expect(
      await rejectionOf(clients.orders.listOrders({ pageSize: 5, pageToken: first.nextPageToken, ...filter })),
    ).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }],
    });
  });

  it("is INVALID_ARGUMENT when a filter is dropped", async () => {
    const first = await clients.orders.listOrders({ pageSize: 5, status: OrderStatus.PLACED });
    expect(await rejectionOf(clients.orders.listOrders({ pageToken: first.nextPageToken }))).toMatchObject({
      violations: [{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }],
    });
  });

  it("is INVALID_ARGUMENT in another tenant", async () => {
    const first = await clients.orders.listOrders({ pageSize: 5 });
    const other = clientsFor("grpc-http2", service.url, (await service.newTenant()).key);
    expect(await rejectionOf(other.orders.listOrders({ pageSize: 5, pageToken: first.nextPageToken }))).toMatchObject({
      violations: [{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }],
    });
  });

  it("is INVALID_ARGUMENT when it is not one of ours", async () => {
    for (const pageToken of ["garbage", Buffer.from('{"v":1,"t":"x"}').toString("base64url")]) {
      expect(await rejectionOf(clients.orders.listOrders({ pageToken }))).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }],
      });
    }
  });

  /**
   * A token with one field of its JSON payload changed and everything else (a signature, if it has one)
   * kept: what a caller who reads the base64 can do to any token.
   */
  function edited(token: string, change: (payload: Record<string, unknown>) => void): string {
    const [payload = "", ...rest] = token.split(".");
    const json = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    change(json);
    return [Buffer.from(JSON.stringify(json)).toString("base64url"), ...rest].join(".");
  }

  it.each<[string, (payload: Record<string, unknown>) => void]>([
    ["its time to a day that does not exist (2024-02-30)", (p) => (p["t"] = "2024-02-30T00:00:00.000000Z")],
    ["its time to hour 24", (p) => (p["t"] = "2026-04-01T24:00:00.000000Z")],
    ["its time to year 0", (p) => (p["t"] = "0000-01-01T00:00:00.000000Z")],
    ["its time to another real time (skipping pages)", (p) => (p["t"] = "2026-04-01T00:00:03.000000Z")],
    ["its id to another order id", (p) => (p["i"] = crypto.randomUUID())],
  ])("is INVALID_ARGUMENT INVALID_PAGE_TOKEN when edited %s", async (_, change) => {
    const first = await clients.orders.listOrders({ pageSize: 5 });
    for (const protocol of ["connect-json-http1", "grpc-http2"] as const) {
      const c = clientsFor(protocol, service.url, key);
      expect(
        await rejectionOf(c.orders.listOrders({ pageSize: 5, pageToken: edited(first.nextPageToken, change) })),
      ).toMatchObject({
        code: Code.InvalidArgument,
        reason: "INVALID_ARGUMENT",
        violations: [{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }],
      });
    }
  });

  it("is INVALID_ARGUMENT INVALID_PAGE_TOKEN without its signature", async () => {
    const first = await clients.orders.listOrders({ pageSize: 5 });
    const [payload = ""] = first.nextPageToken.split(".");
    const forged = Buffer.from(payload, "base64url").toString("base64url");
    expect(await rejectionOf(clients.orders.listOrders({ pageSize: 5, pageToken: forged }))).toMatchObject({
      violations: [{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }],
    });
  });

  it("never shows another tenant's orders", async () => {
    const other = clientsFor("grpc-http2", service.url, (await service.newTenant()).key);
    await placeOrder(other, await createCustomerId(other));
    const mine = await allPages(clients, { pageSize: 100 });
    expect(mine.flat()).toHaveLength(12);
    expect((await other.orders.listOrders({})).orders).toHaveLength(1);
  });
});

describe("ListOrders filters", () => {
  let clients: Clients;
  let alice: string;
  let bob: string;
  const orders: Record<string, Order> = {};

  beforeAll(async () => {
    const tenant = await service.newTenant();
    clients = clientsFor("grpc-http2", service.url, tenant.key);
    alice = await createCustomerId(clients);
    bob = await createCustomerId(clients);
    const create = async (name: string, customerId: string, channel: Channel) => {
      const { order } = await clients.orders.createOrder({
        customerId,
        channel,
        orderNumber: name,
        items: [{ sku: "A", name: "A", unitPrice: "10.00" }],
      });
      orders[name] = orderOf({ order });
    };
    await create("A-placed", alice, Channel.STOREFRONT);
    await create("A-fulfilled", alice, Channel.B2B_PORTAL);
    await create("B-canceled", bob, Channel.STOREFRONT);
    await create("B-paid", bob, Channel.MCP);
    await clients.orders.fulfillOrder({ id: orders["A-fulfilled"]?.id ?? "" });
    await clients.orders.cancelOrder({ id: orders["B-canceled"]?.id ?? "" });
    await clients.orders.recordPayment({ id: orders["B-paid"]?.id ?? "", amount: "10.00" });
  });

  const numbers = async (request: ListRequest) =>
    (await allPages(clients, { pageSize: 2, ...request })).flat().map((o) => o.orderNumber);

  it("by status", async () => {
    expect(await numbers({ status: OrderStatus.PLACED })).toEqual(["B-paid", "A-placed"]);
    expect(await numbers({ status: OrderStatus.FULFILLED })).toEqual(["A-fulfilled"]);
    expect(await numbers({ status: OrderStatus.DELIVERED })).toEqual([]);
  });

  it("by payment status", async () => {
    expect(await numbers({ paymentStatus: PaymentStatus.PAID })).toEqual(["B-paid"]);
    expect(await numbers({ paymentStatus: PaymentStatus.UNPAID })).toEqual(["B-canceled", "A-fulfilled", "A-placed"]);
  });

  it("by customer and channel, combined", async () => {
    expect(await numbers({ customerId: alice })).toEqual(["A-fulfilled", "A-placed"]);
    expect(await numbers({ channel: Channel.STOREFRONT })).toEqual(["B-canceled", "A-placed"]);
    expect(await numbers({ customerId: bob, channel: Channel.STOREFRONT })).toEqual(["B-canceled"]);
  });

  it("by order number", async () => {
    expect(await numbers({ orderNumber: "B-paid" })).toEqual(["B-paid"]);
    expect(await numbers({ orderNumber: "nope" })).toEqual([]);
  });

  it("by create time: start inclusive, end exclusive", async () => {
    const createTime = (name: string) => orders[name]?.createTime;
    expect(await numbers({ createTimeStart: createTime("A-fulfilled"), createTimeEnd: createTime("B-paid") })).toEqual([
      "B-canceled",
      "A-fulfilled",
    ]);
  });

  it("refuses an end before the start", async () => {
    const t = timestampFromDate(new Date());
    expect(await rejectionOf(clients.orders.listOrders({ createTimeStart: t, createTimeEnd: t }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "create_time_end", reason: "BEFORE_START" }],
    });
  });

  it("refuses a malformed customer id", async () => {
    expect(await rejectionOf(clients.orders.listOrders({ customerId: "alice" }))).toMatchObject({
      violations: [{ field: "customer_id" }],
    });
  });
});
