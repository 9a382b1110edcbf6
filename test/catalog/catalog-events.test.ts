import { fromBinary } from "@bufbuild/protobuf";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  ProductArchivedSchema,
  ProductCreatedSchema,
  ProductUpdatedSchema,
} from "../../gen/orders/v1/catalog_events_pb.js";
import { CATALOG_STREAM } from "../../src/catalog/events.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { countStored, readStored } from "../support/stream-reader.js";
import { waitFor } from "../support/wait-for.js";
import { injectorProduct } from "./support/product-fixtures.js";

let service: TestService;
let tenant: TestTenant;
let clients: Clients;
let nc: NatsConnection;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  clients = clientsFor("grpc-http2", service.url, tenant.key);
  nc = await connect({ servers: inject("natsUrl") });
});
afterAll(async () => {
  await ifSetUp(nc)?.close();
  await ifSetUp(service)?.shutdown();
});

/** The tenant's catalog events in the CATALOG stream, once the relay has published every outbox row of the tenant. */
async function catalogEvents() {
  const connection = service.orm.em.fork().getConnection();
  await waitFor("every outbox row published", async () => {
    const [row] = await connection.execute<{ n: string }[]>(
      "select count(*) as n from outbox_events where tenant_id = ? and published_at is null",
      [tenant.tenantId],
    );
    return Number(row?.n) === 0;
  });
  return readStored(nc, `catalog.${tenant.tenantId}.>`, CATALOG_STREAM.name);
}

describe("catalog events", () => {
  it("product.created reaches the CATALOG stream after commit, once, with CloudEvents headers", async () => {
    const request = { product: injectorProduct(), requestId: crypto.randomUUID() };
    const { product } = await clients.catalog.createProduct(request);
    await clients.catalog.createProduct(request); // a retry: no second event

    const events = await catalogEvents();
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.subject).toBe(`catalog.${tenant.tenantId}.product.created`);
    expect(event?.headers).toMatchObject({
      "ce-type": "product.created",
      "ce-subject": product?.id,
      "ce-tenantid": tenant.tenantId,
      "ce-sequence": "0000000001",
      "content-type": "application/protobuf",
    });
    const payload = fromBinary(ProductCreatedSchema, event?.data ?? new Uint8Array());
    expect(payload).toMatchObject({ tenantId: tenant.tenantId, sequence: 1, product });
    expect(event?.headers["ce-id"]).toBe(payload.eventId);
    // Catalog events stay out of ORDERS, whose consumers decode every message as an order event.
    expect(await countStored(nc, `catalog.>`)).toBe(0);
    expect(await countStored(nc, `orders.${tenant.tenantId}.>`)).toBe(0);
  });

  it("every change publishes one event, numbered 1, 2, 3 per product in payload and ce-sequence", async () => {
    const { products } = await clients.catalog.batchCreateProducts({
      requests: [{ product: injectorProduct() }, { product: injectorProduct() }],
    });
    const [a, b] = products;
    if (!a || !b) throw new Error("two products expected");
    const before = new Set((await catalogEvents()).map((event) => event.headers["ce-id"]));
    const request = {
      product: { id: a.id, title: "Renamed" },
      updateMask: { paths: ["title"] },
      requestId: crypto.randomUUID(),
    };
    await clients.catalog.updateProduct(request);
    await clients.catalog.updateProduct(request); // a retry: no second event
    const { product: archived } = await clients.catalog.archiveProduct({ id: a.id });
    await clients.catalog.archiveProduct({ id: a.id }).catch(() => undefined); // refused: no event

    const events = (await catalogEvents())
      .filter((event) => !before.has(event.headers["ce-id"]))
      .sort((x, y) => (x.headers["ce-sequence"] ?? "").localeCompare(y.headers["ce-sequence"] ?? ""));
    expect(events.map((e) => [e.subject.split(".").slice(2).join("."), e.headers["ce-sequence"]])).toEqual([
      ["product.updated", "0000000002"],
      ["product.archived", "0000000003"],
    ]);
    const updated = fromBinary(ProductUpdatedSchema, events[0]?.data ?? new Uint8Array());
    expect(updated).toMatchObject({
      sequence: 2,
      product: { id: a.id, title: "Renamed" },
      updateMask: { paths: ["title"] },
    });
    const archivedEvent = fromBinary(ProductArchivedSchema, events[1]?.data ?? new Uint8Array());
    expect(archivedEvent).toMatchObject({ sequence: 3, product: archived });
    // The batch published one product.created per product.
    const all = await catalogEvents();
    const created = all.filter((e) => e.headers["ce-type"] === "product.created" && e.headers["ce-subject"] === b.id);
    expect(created).toHaveLength(1);
  });

  it("a refused create publishes nothing", async () => {
    const { product } = await clients.catalog.createProduct({ product: injectorProduct() });
    const before = (await catalogEvents()).length;
    const sku = product?.variants[0]?.sku ?? "";
    await clients.catalog.createProduct({ product: injectorProduct({ variants: [{ sku }] }) }).catch(() => undefined);
    expect((await catalogEvents()).length).toBe(before);
  });
});
