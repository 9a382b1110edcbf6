import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientsFor, type Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { createScratchDatabase, type ScratchDatabase } from "../support/scratch-database.js";
import { startTestService, testWebhookConfig, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { waitFor } from "../support/wait-for.js";
import { Receiver } from "./support/receiver.js";

// Replicas share the durable consumers and the deliveries table: what one replica did not read before it stopped
// is read by the next to start, and a delivery is sent by one replica at a time. A database and consumers of this
// file's own, so no dispatcher of another test file reads these events for it.
let database: ScratchDatabase;
let receiver: Receiver;
const services = new Set<TestService>();

beforeAll(async () => {
  database = await createScratchDatabase(testDatabaseUrl(), "orderspine_webhooks", { migrated: true });
  receiver = await Receiver.start();
});
afterAll(async () => {
  await Promise.all([...services].map((service) => service.shutdown()));
  await ifSetUp(receiver)?.down();
  await ifSetUp(database)?.drop();
});

async function replica(dispatcher = true): Promise<TestService> {
  const service = await startTestService({
    databaseUrl: database.url,
    webhooks: testWebhookConfig({
      dispatcher,
      consumerName: `orderspine-webhooks-${database.name}`,
      allowHttp: true,
      allowPrivate: true,
      retryBaseMs: 100,
      retryMaxDelayMs: 500,
      timeoutMs: 2000,
      pollIntervalMs: 50,
    }),
  });
  services.add(service);
  return service;
}

async function stop(service: TestService): Promise<void> {
  services.delete(service);
  await service.shutdown();
}

/** A tenant with an admin key and an endpoint at `path` for order.created. */
async function setUp(service: TestService, path: string): Promise<string> {
  const { key } = await service.newTenant({ role: "admin" });
  const { webhookEndpoint } = await clientsFor("connect-json-http1", service.url, key).webhooks.createWebhookEndpoint({
    webhookEndpoint: { url: receiver.url(path), eventTypes: ["order.created"] },
  });
  receiver.secrets.push(webhookEndpoint?.secret ?? "");
  return key;
}

async function placeOrders(clients: Clients, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const { order } = await clients.orders.createOrder(seedOrderRequest(await createCustomerId(clients)));
    ids.push(order?.id ?? "");
  }
  return ids;
}

const delivered = (path: string) => receiver.bodies(path).map((body) => body.data.order?.id ?? "");

describe("replicas", () => {
  it("deliver, once a replica dispatches again, what was published while none did", async () => {
    const first = await replica();
    const key = await setUp(first, "/restart");
    const before = await placeOrders(clientsFor("connect-json-http1", first.url, key), 2);
    await waitFor("the first orders delivered", () => before.every((id) => delivered("/restart").includes(id)));
    await stop(first);
    const writer = await replica(false);
    const during = await placeOrders(clientsFor("connect-json-http1", writer.url, key), 3);
    await sleep(300);
    expect(delivered("/restart")).toEqual(before);
    await replica();
    await waitFor("the orders placed meanwhile delivered", () =>
      during.every((id) => delivered("/restart").includes(id)),
    );
    const requests = receiver.at("/restart");
    expect(requests.every((request) => request.verifiedBy.length === 1)).toBe(true);
    expect(new Set(requests.map((request) => request.headers["webhook-id"])).size).toBe(5);
  });

  it("never send one delivery from two replicas at once", async () => {
    await replica();
    const second = await replica();
    const perId = new Map<string, number>();
    let overlapping = 0;
    receiver.on("/shared", (request, response) => {
      const id = String(request.headers["webhook-id"]);
      perId.set(id, (perId.get(id) ?? 0) + 1);
      if ((perId.get(id) ?? 0) > 1) overlapping += 1;
      setTimeout(() => {
        perId.set(id, (perId.get(id) ?? 1) - 1);
        response.writeHead(204).end();
      }, 30);
    });
    const key = await setUp(second, "/shared");
    const orders = await placeOrders(clientsFor("connect-json-http1", second.url, key), 12);
    await waitFor("every order delivered", () => orders.every((id) => delivered("/shared").includes(id)), 20_000);
    expect(overlapping).toBe(0);
    // No attempt failed, so none was repeated: each event exactly once.
    expect(receiver.at("/shared")).toHaveLength(orders.length);
  });
});
