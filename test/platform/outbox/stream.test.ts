import { jetstreamManager, StorageType, type JetStreamManager } from "@nats-io/jetstream";
import { connect, nanos, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_DUPLICATE_WINDOW_MS,
  ensureOrdersStream,
  ensureStream,
  ORDERS_STREAM,
  orderEventSubject,
  streamEventSubject,
} from "../../../src/platform/outbox/stream.js";
import { PrivateNatsServer } from "../../support/nats-server.js";
import { ifSetUp } from "../../support/set-up.js";

describe("orderEventSubject", () => {
  it("puts the tenant before the event so consumers can filter on either", () => {
    expect(orderEventSubject("t-1", "order.created", "live")).toBe("orders.t-1.created");
    expect(orderEventSubject("t-1", "order.payment_captured", "live")).toBe("orders.t-1.payment_captured");
  });

  it("puts a test order's event under orders.test, one token longer than every live subject", () => {
    expect(orderEventSubject("t-1", "order.created", "test")).toBe("orders.test.t-1.created");
  });

  it.each([
    ["", "order.created"],
    ["a.b", "order.created"],
    ["*", "order.created"],
    [">", "order.created"],
    ["a b", "order.created"],
    ["test", "order.created"],
  ])("rejects tenant id %j", (tenantId, eventType) => {
    expect(() => orderEventSubject(tenantId, eventType, "live")).toThrow(/tenant id/);
  });

  it.each([
    "created",
    "order.",
    "order",
    "order..created",
    "order.*",
    "order.>",
    "payment.created",
    "order.cre ated",
    // one token: `orders.*.*` must stay every live event
    "order.line.added",
  ])("rejects event type %j", (eventType) => {
    expect(() => orderEventSubject("t-1", eventType, "live")).toThrow(/event type/);
  });
});

describe("streamEventSubject", () => {
  it("puts the tenant after the stream's root and before the event", () => {
    expect(streamEventSubject("catalog", "t-1", "product.created")).toBe("catalog.t-1.product.created");
  });

  it.each([
    ["catalog", "a.b", "product.created", /tenant id/],
    ["catalog", "*", "product.created", /tenant id/],
    ["catalog", "t-1", "product.*", /literal tokens/],
    ["catalog", "t-1", "product..created", /literal tokens/],
    ["cat.>", "t-1", "product.created", /literal tokens/],
    ["", "t-1", "product.created", /literal tokens/],
  ])("refuses %j, tenant %j, event %j", (root, tenantId, event, message) => {
    expect(() => streamEventSubject(root, tenantId, event)).toThrow(message);
  });
});

// These tests change the stream's configuration, so they run against a server of their own.
describe("ensureOrdersStream", () => {
  let server: PrivateNatsServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    server = await PrivateNatsServer.start();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await ifSetUp(nc)?.close();
    await ifSetUp(server)?.dispose();
  });

  beforeEach(async () => {
    await jsm.streams.delete(ORDERS_STREAM).catch(() => false);
  });

  it("creates the stream on file storage with a one hour duplicate window", async () => {
    const info = await ensureOrdersStream(jsm);
    expect(info.config).toMatchObject({
      name: ORDERS_STREAM,
      subjects: ["orders.>"],
      storage: StorageType.File,
      duplicate_window: nanos(DEFAULT_DUPLICATE_WINDOW_MS),
    });
    expect(DEFAULT_DUPLICATE_WINDOW_MS).toBe(3_600_000);
  });

  it("keeps one copy by default, and a single server refuses more (STREAM_REPLICAS above 1 needs a cluster)", async () => {
    expect((await ensureOrdersStream(jsm)).config.num_replicas).toBe(1);
    await jsm.streams.delete(ORDERS_STREAM);
    await expect(ensureOrdersStream(jsm, { replicas: 3 })).rejects.toThrow(/replicas > 1 not supported/);
  });

  it("accepts a configured duplicate window", async () => {
    const info = await ensureOrdersStream(jsm, { duplicateWindowMs: 120_000 });
    expect(info.config.duplicate_window).toBe(nanos(120_000));
  });

  it("leaves a matching stream alone and survives concurrent callers", async () => {
    const results = await Promise.all([ensureOrdersStream(jsm), ensureOrdersStream(jsm), ensureOrdersStream(jsm)]);
    for (const info of results) expect(info.config.subjects).toEqual(["orders.>"]);
    const again = await ensureOrdersStream(jsm);
    expect(again.created).toEqual(results[0].created);
  });

  it("restores subjects and duplicate window that drifted", async () => {
    await jsm.streams.add({
      name: ORDERS_STREAM,
      subjects: ["orders.only-this.>"],
      storage: StorageType.File,
      duplicate_window: nanos(60_000),
    });
    const info = await ensureOrdersStream(jsm);
    expect(info.config.subjects).toEqual(["orders.>"]);
    expect(info.config.duplicate_window).toBe(nanos(DEFAULT_DUPLICATE_WINDOW_MS));
    expect((await jsm.streams.info(ORDERS_STREAM)).config.subjects).toEqual(["orders.>"]);
  });

  it("refuses a stream on memory storage instead of silently keeping events in RAM", async () => {
    await jsm.streams.add({ name: ORDERS_STREAM, subjects: ["orders.>"], storage: StorageType.Memory });
    await expect(ensureOrdersStream(jsm)).rejects.toThrow(/memory storage, expected file storage/);
  });

  it("makes sure of any other stream the same way (the catalog's CATALOG)", async () => {
    const catalog = { name: "CATALOG_TEST", subjects: "catalog-test.>" };
    await jsm.streams.delete(catalog.name).catch(() => false);
    const created = await ensureStream(jsm, catalog);
    expect(created.config).toMatchObject({
      name: catalog.name,
      subjects: [catalog.subjects],
      storage: StorageType.File,
      duplicate_window: nanos(DEFAULT_DUPLICATE_WINDOW_MS),
    });
    await jsm.streams.update(catalog.name, { subjects: ["catalog-test.only.>"] });
    expect((await ensureStream(jsm, catalog)).config.subjects).toEqual([catalog.subjects]);
    await jsm.streams.delete(catalog.name);
  });

  it("reports a server-side failure to the caller", async () => {
    // Another stream already owns the subjects, so the server refuses to create ORDERS.
    await jsm.streams.add({ name: "SQUATTER", subjects: ["orders.>"], storage: StorageType.File });
    try {
      await expect(ensureOrdersStream(jsm)).rejects.toThrow(/overlap/);
    } finally {
      await jsm.streams.delete("SQUATTER");
    }
  });
});
