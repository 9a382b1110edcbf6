import { create } from "@bufbuild/protobuf";
import { timestampFromDate, TimestampSchema, type Timestamp } from "@bufbuild/protobuf/wkt";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, OrderStatus, PaymentStatus, type Order } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, type Clients, type Protocol } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { orderOf, placeOrder } from "./support/order-fixtures.js";

/**
 * The security review's year-0 timestamps (issue 9): a Timestamp outside 0001-01-01..9999-12-31 (or with
 * nanos outside 0..999,999,999) travels in binary protobuf, gRPC and gRPC-Web, but Connect JSON cannot
 * carry it. Every time the service accepts must be one every encoding can carry and the business allows;
 * rows an older version already stored must still read.
 */

let service: TestService;
let tenant: TestTenant;
let db: pg.Pool;
/** Binary protobuf: the encodings that can carry a time JSON cannot. */
let binary: Clients;
/** What the console speaks. */
let json: Clients;
let admin: Clients;
let customerId: string;

const BINARY_PROTOCOLS: Protocol[] = ["grpc-http2", "connect-binary-http2", "grpc-web-http1"];

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
  binary = clientsFor("connect-binary-http2", service.url, tenant.key);
  json = clientsFor("connect-json-http1", service.url, tenant.key);
  admin = clientsFor("grpc-http2", service.url, (await tenant.issueKey({ role: "admin" })).key);
  customerId = await createCustomerId(binary);
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.shutdown();
});

const ts = (seconds: number | bigint, nanos = 0): Timestamp =>
  create(TimestampSchema, { seconds: BigInt(seconds), nanos });
const at = (iso: string) => timestampFromDate(new Date(iso));
const minutesAgo = (minutes: number) => timestampFromDate(new Date(Date.now() - minutes * 60_000));

/** 0000-12-31T23:59:59Z: one second before the first time RFC 3339 can write. */
const YEAR_0 = ts(-62135596801);
/** Times no encoding-independent client can send: before year 1, after year 9999, beyond a JS Date. */
const UNENCODABLE: [string, Timestamp][] = [
  ["0000-12-31T23:59:59Z", YEAR_0],
  ["year 10000", ts(253402300800)],
  ["seconds 9e12", ts(9e12)],
  ["seconds -9e12", ts(-9e12)],
  ["seconds -300000000000", ts(-300000000000)],
];
const BAD_NANOS: [string, Timestamp][] = [
  ["nanos -1", ts(1_700_000_000, -1)],
  ["nanos 1e9", ts(1_700_000_000, 1_000_000_000)],
];

/** The order as a Connect JSON client (the console) reads it, alone and in a listing. */
async function readsOverJson(order: Order) {
  const read = orderOf(await json.orders.getOrder({ id: order.id }));
  const listed = (await json.orders.listOrders({ pageSize: 500 })).orders.find((o) => o.id === order.id);
  expect(listed).toEqual(read);
  return read;
}

async function outboxEventsOf(orderId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>("select count(*) as n from outbox_events where aggregate_id = $1", [
    orderId,
  ]);
  return Number(rows[0]?.n);
}

describe("FulfillOrder ship_time", () => {
  it.each(BINARY_PROTOCOLS)(
    "refuses 0000-12-31T23:59:59Z over %s, and the order still reads over Connect JSON",
    async (protocol) => {
      const clients = clientsFor(protocol, service.url, tenant.key);
      const order = await placeOrder(clients, customerId);
      expect(await rejectionOf(clients.orders.fulfillOrder({ id: order.id, shipTime: YEAR_0 }))).toMatchObject({
        code: Code.InvalidArgument,
        reason: "INVALID_ARGUMENT",
        violations: [{ field: "ship_time", reason: "TIMESTAMP_GTE_LTE" }],
      });
      expect(await readsOverJson(order)).toMatchObject({ status: OrderStatus.PLACED, etag: order.etag });
    },
  );

  it.each([...UNENCODABLE, ["1969-12-31T23:59:59Z, before any order", at("1969-12-31T23:59:59Z")] as const])(
    "refuses %s",
    async (_, shipTime) => {
      const order = await placeOrder(binary, customerId);
      expect(await rejectionOf(binary.orders.fulfillOrder({ id: order.id, shipTime }))).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "ship_time", reason: "TIMESTAMP_GTE_LTE" }],
      });
    },
  );

  it.each(BAD_NANOS)("refuses %s", async (_, shipTime) => {
    const order = await placeOrder(binary, customerId);
    expect(await rejectionOf(binary.orders.fulfillOrder({ id: order.id, shipTime }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "ship_time", reason: "INVALID_TIMESTAMP" }],
    });
  });

  it("refuses a shipment more than the clock skew before the order was placed, and allows one within it", async () => {
    const order = await placeOrder(binary, customerId);
    const placed = new Date(Number(order.placedTime?.seconds) * 1000);
    const early = timestampFromDate(new Date(placed.getTime() - 6 * 60_000));
    expect(await rejectionOf(binary.orders.fulfillOrder({ id: order.id, shipTime: early }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "ship_time", reason: "BEFORE_PLACED" }],
    });
    const withinSkew = timestampFromDate(new Date(placed.getTime() - 4 * 60_000));
    const fulfilled = orderOf(await binary.orders.fulfillOrder({ id: order.id, shipTime: withinSkew }));
    expect(fulfilled.fulfillment?.shipTime).toEqual(withinSkew);
  });

  it("refuses a shipment before an imported order's placed time", async () => {
    const placedTime = at("2024-03-01T12:00:00Z");
    const order = orderOf(
      await admin.orders.createOrder({
        customerId,
        channel: Channel.IMPORT,
        items: [{ sku: "A", name: "A", unitPrice: "1.00" }],
        importDetails: { placedTime },
      }),
    );
    expect(
      await rejectionOf(binary.orders.fulfillOrder({ id: order.id, shipTime: at("2024-02-29T12:00:00Z") })),
    ).toMatchObject({ violations: [{ field: "ship_time", reason: "BEFORE_PLACED" }] });
    const fulfilled = orderOf(await binary.orders.fulfillOrder({ id: order.id, shipTime: at("2024-03-02T08:00:00Z") }));
    expect(fulfilled.fulfillment?.shipTime).toEqual(at("2024-03-02T08:00:00Z"));
  });
});

describe("DeliverOrder deliver_time", () => {
  it.each(BINARY_PROTOCOLS)(
    "refuses 0000-12-31T23:59:59Z over %s: nothing commits, and the order still reads over Connect JSON",
    async (protocol) => {
      const clients = clientsFor(protocol, service.url, tenant.key);
      const fulfilled = orderOf(await clients.orders.fulfillOrder({ id: (await placeOrder(clients, customerId)).id }));
      expect(await rejectionOf(clients.orders.deliverOrder({ id: fulfilled.id, deliverTime: YEAR_0 }))).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "deliver_time", reason: "TIMESTAMP_GTE_LTE" }],
      });
      expect(await readsOverJson(fulfilled)).toMatchObject({ status: OrderStatus.FULFILLED, etag: fulfilled.etag });
      expect(await outboxEventsOf(fulfilled.id)).toBe(2);
    },
  );

  it.each([...UNENCODABLE, ...BAD_NANOS])("refuses %s", async (name, deliverTime) => {
    const fulfilled = orderOf(await binary.orders.fulfillOrder({ id: (await placeOrder(binary, customerId)).id }));
    expect(await rejectionOf(binary.orders.deliverOrder({ id: fulfilled.id, deliverTime }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [
        { field: "deliver_time", reason: name.startsWith("nanos") ? "INVALID_TIMESTAMP" : "TIMESTAMP_GTE_LTE" },
      ],
    });
  });

  it("refuses a delivery before an imported order was placed when no ship time is known", async () => {
    const order = orderOf(
      await admin.orders.createOrder({
        customerId,
        channel: Channel.IMPORT,
        items: [{ sku: "A", name: "A", unitPrice: "1.00" }],
        importDetails: { placedTime: at("2024-03-01T12:00:00Z"), status: OrderStatus.FULFILLED },
      }),
    );
    expect(order.fulfillment?.shipTime).toBeUndefined();
    expect(
      await rejectionOf(binary.orders.deliverOrder({ id: order.id, deliverTime: at("2024-03-01T11:00:00Z") })),
    ).toMatchObject({ violations: [{ field: "deliver_time", reason: "BEFORE_PLACED" }] });
  });
});

describe("import times", () => {
  const importing = (importDetails: Record<string, unknown>) => ({
    customerId,
    channel: Channel.IMPORT,
    items: [{ sku: "A", name: "A", unitPrice: "1.00" }],
    importDetails,
  });

  it.each([...UNENCODABLE, ["1969-12-31T23:59:59Z, before the earliest import", at("1969-12-31T23:59:59Z")] as const])(
    "refuses a placed time of %s, in CreateOrder and PreviewOrder",
    async (_, placedTime) => {
      expect(await rejectionOf(admin.orders.createOrder(importing({ placedTime })))).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "import_details.placed_time", reason: "TIMESTAMP_GTE_LTE" }],
      });
      expect(await rejectionOf(admin.orders.previewOrder({ order: importing({ placedTime }) }))).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "order.import_details.placed_time", reason: "TIMESTAMP_GTE_LTE" }],
      });
    },
  );

  it.each(BAD_NANOS)("refuses a placed time with %s", async (_, placedTime) => {
    expect(await rejectionOf(admin.orders.createOrder(importing({ placedTime })))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "import_details.placed_time", reason: "INVALID_TIMESTAMP" }],
    });
  });

  it("takes the earliest placed time there is: 1970-01-01T00:00:00Z, readable over Connect JSON", async () => {
    const order = orderOf(await admin.orders.createOrder(importing({ placedTime: ts(0) })));
    expect((await readsOverJson(order)).placedTime).toEqual(ts(0));
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    [
      "a ship time of year 0",
      { status: OrderStatus.FULFILLED, fulfillment: { shipTime: YEAR_0 } },
      "import_details.fulfillment.ship_time",
      "TIMESTAMP_GTE_LTE",
    ],
    [
      "a deliver time after year 9999",
      { status: OrderStatus.DELIVERED, fulfillment: { deliverTime: ts(253402300800) } },
      "import_details.fulfillment.deliver_time",
      "TIMESTAMP_GTE_LTE",
    ],
    [
      "a ship time with nanos out of range",
      { status: OrderStatus.FULFILLED, fulfillment: { shipTime: ts(1_700_000_000, 1_000_000_000) } },
      "import_details.fulfillment.ship_time",
      "INVALID_TIMESTAMP",
    ],
    [
      "a shipment before the order was placed",
      {
        placedTime: at("2024-03-01T12:00:00Z"),
        status: OrderStatus.FULFILLED,
        fulfillment: { shipTime: at("2024-02-01T12:00:00Z") },
      },
      "import_details.fulfillment.ship_time",
      "BEFORE_PLACED",
    ],
    [
      "a shipment long before now when no placed time is given (placed now)",
      { status: OrderStatus.FULFILLED, fulfillment: { shipTime: minutesAgo(60) } },
      "import_details.fulfillment.ship_time",
      "BEFORE_PLACED",
    ],
    [
      "a delivery before the order was placed",
      {
        placedTime: at("2024-03-01T12:00:00Z"),
        status: OrderStatus.DELIVERED,
        fulfillment: { deliverTime: at("2024-02-01T12:00:00Z") },
      },
      "import_details.fulfillment.deliver_time",
      "BEFORE_PLACED",
    ],
    [
      "a shipment in the future",
      { status: OrderStatus.FULFILLED, fulfillment: { shipTime: minutesAgo(-60) } },
      "import_details.fulfillment.ship_time",
      "IN_FUTURE",
    ],
    [
      "a delivery in the future",
      {
        placedTime: at("2024-03-01T12:00:00Z"),
        status: OrderStatus.DELIVERED,
        fulfillment: { deliverTime: minutesAgo(-60) },
      },
      "import_details.fulfillment.deliver_time",
      "IN_FUTURE",
    ],
  ])("refuses %s", async (_, details, field, reason) => {
    expect(await rejectionOf(admin.orders.createOrder(importing(details)))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field, reason }],
    });
  });
});

describe("ListOrders create time filters", () => {
  it.each([...UNENCODABLE, ...BAD_NANOS])("refuses a start and an end of %s", async (name, time) => {
    const reason = name.startsWith("nanos") ? "INVALID_TIMESTAMP" : "TIMESTAMP_GTE_LTE";
    expect(await rejectionOf(binary.orders.listOrders({ createTimeStart: time }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "create_time_start", reason }],
    });
    expect(await rejectionOf(binary.orders.listOrders({ createTimeEnd: time }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "create_time_end", reason }],
    });
  });

  it("takes the whole range every encoding carries, from its first to its last nanosecond", async () => {
    const order = await placeOrder(binary, customerId);
    const { orders } = await json.orders.listOrders({
      createTimeStart: ts(-62135596800),
      createTimeEnd: ts(253402300799, 999_999_999),
      pageSize: 500,
    });
    expect(orders.map((o) => o.id)).toContain(order.id);
  });
});

describe("UpdateOrder's order", () => {
  it("refuses unencodable times in fields it otherwise ignores, instead of failing on them", async () => {
    const order = await placeOrder(binary, customerId);
    const update = (extra: Partial<Pick<Order, "createTime" | "updateTime" | "placedTime">>) =>
      binary.orders.updateOrder({
        order: { id: order.id, customerNote: "ring twice", ...extra },
        updateMask: { paths: ["customer_note"] },
        requestId: crypto.randomUUID(),
      });
    expect(await rejectionOf(update({ createTime: YEAR_0 }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "order.create_time", reason: "TIMESTAMP_GTE_LTE" }],
    });
    expect(await rejectionOf(update({ updateTime: ts(1_700_000_000, -1) }))).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "order.update_time", reason: "INVALID_TIMESTAMP" }],
    });
    // The times of an order as the service returns it always pass.
    const asRead = { createTime: order.createTime, updateTime: order.updateTime, placedTime: order.placedTime };
    expect(orderOf(await update(asRead)).customerNote).toBe("ring twice");
  });
});

describe("an order an older version stored with times JSON cannot carry", () => {
  /** What the security review left behind: a year-0 ship time and placed time, stored before the rules. */
  async function poisoned(): Promise<Order> {
    const fulfilled = orderOf(await binary.orders.fulfillOrder({ id: (await placeOrder(binary, customerId)).id }));
    await db.query(
      `update orders set placed_at = '0001-12-31 23:59:59+00 BC',
              fulfillment = jsonb_set(fulfillment, '{shipTime}', '"0000-12-31T23:59:59.000Z"')
        where id = $1`,
      [fulfilled.id],
    );
    return fulfilled;
  }

  it("reads over Connect JSON with those times clamped to the first time there is", async () => {
    const order = await poisoned();
    const read = await readsOverJson(order);
    expect(read.placedTime).toEqual(ts(-62135596800));
    expect(read.fulfillment?.shipTime).toEqual(ts(-62135596800));
    expect(read.createTime).toEqual(order.createTime);
  });

  it("can still be delivered over Connect JSON, and a time after 9999 reads as the last time there is", async () => {
    const order = await poisoned();
    const delivered = orderOf(await json.orders.deliverOrder({ id: order.id }));
    expect(delivered).toMatchObject({ status: OrderStatus.DELIVERED, paymentStatus: PaymentStatus.UNPAID });
    expect(await outboxEventsOf(order.id)).toBe(3);
    await db.query(
      `update orders set fulfillment = jsonb_set(fulfillment, '{deliverTime}', '"+010000-01-01T00:00:00.000Z"')
        where id = $1`,
      [order.id],
    );
    expect((await readsOverJson(order)).fulfillment?.deliverTime).toEqual(ts(253402300799, 999_999_999));
  });
});
