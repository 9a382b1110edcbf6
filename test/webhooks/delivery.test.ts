import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookDeliveryStatus, type WebhookEndpoint } from "../../gen/orders/v1/webhook_pb.js";
import { query } from "../../src/platform/database/query.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { startTestService, testWebhookConfig, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { waitFor } from "../support/wait-for.js";
import { Receiver } from "./support/receiver.js";

// The real service with its dispatcher and worker on the run's PostgreSQL and NATS, delivering over loopback
// (http and private addresses allowed, as local development would), with retries 100 ms to 500 ms apart.
let service: TestService;
let receiver: Receiver;
let admin: Clients;
let testAdmin: Clients;

beforeAll(async () => {
  service = await startTestService({
    webhooks: testWebhookConfig({
      dispatcher: true,
      allowHttp: true,
      allowPrivate: true,
      retryBaseMs: 100,
      retryMaxDelayMs: 500,
      timeoutMs: 2000,
      pollIntervalMs: 100,
      concurrency: 8,
      perEndpointConcurrency: 2,
    }),
  });
  receiver = await Receiver.start();
  const tenant = await service.newTenant({ role: "admin" });
  admin = clientsFor("connect-json-http1", service.url, tenant.key);
  testAdmin = clientsFor(
    "connect-json-http1",
    service.url,
    (await tenant.issueKey({ role: "admin", mode: "test" })).key,
  );
});
afterAll(async () => {
  await ifSetUp(service)?.shutdown();
  await ifSetUp(receiver)?.down();
});

async function endpoint(clients: Clients, path: string, eventTypes: string[]): Promise<WebhookEndpoint> {
  const { webhookEndpoint } = await clients.webhooks.createWebhookEndpoint({
    webhookEndpoint: { url: receiver.url(path), eventTypes },
  });
  if (!webhookEndpoint) throw new Error("no endpoint");
  receiver.secrets.push(webhookEndpoint.secret);
  return webhookEndpoint;
}

async function placeOrder(clients: Clients): Promise<string> {
  const { order } = await clients.orders.createOrder(seedOrderRequest(await createCustomerId(clients)));
  if (!order) throw new Error("no order");
  return order.id;
}

function orderIds(path: string, type = "order.created"): string[] {
  return receiver
    .bodies(path)
    .filter((body) => body.type === type)
    .map((body) => body.data.order?.id ?? "");
}

describe("delivery", () => {
  it("delivers order.created signed as Standard Webhooks says, verified by the standardwebhooks package", async () => {
    const hook = await endpoint(admin, "/created", ["order.created"]);
    const secretIndex = receiver.secrets.indexOf(hook.secret);
    const orderId = await placeOrder(admin);
    await waitFor("order.created at the receiver", () => orderIds("/created").includes(orderId));
    const [request] = receiver.at("/created");
    if (!request) throw new Error("unreachable");
    expect(request.verifiedBy).toEqual([secretIndex]);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      specversion: "1.0",
      type: "order.created",
      source: "orderspine",
      subject: orderId,
      tenantid: expect.any(String) as string,
      sequence: "0000000001",
      testmode: false,
      datacontenttype: "application/json",
      data: { order: { id: orderId, total: "2316.00" }, sequence: 1 },
    });
    // Proto JSON leaves fields at their defaults out, as every JSON answer of the API does.
    expect((body.data as { order: Record<string, unknown> }).order.isTest).toBeUndefined();
    expect(request.headers["webhook-id"]).toBe(body.id);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    await waitFor("the attempt recorded", async () => {
      const { deliveries } = await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id });
      return deliveries[0]?.status === WebhookDeliveryStatus.SUCCEEDED;
    });
    const { deliveries } = await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      eventId: body.id,
      eventType: "order.created",
      status: WebhookDeliveryStatus.SUCCEEDED,
      attemptCount: 1,
      isTestEvent: false,
      attempts: [{ attemptNumber: 1, responseCode: 204, succeeded: true, error: "" }],
    });
    expect(deliveries[0]?.nextAttemptTime).toBeUndefined();
    expect(deliveries[0]?.attempts[0]?.duration).toBeDefined();
  });

  it("keeps test orders' events for test endpoints and live ones' for live endpoints; catalog events reach both", async () => {
    const live = await endpoint(admin, "/live", ["*"]);
    const test = await endpoint(testAdmin, "/test", ["*"]);
    const testOrder = await placeOrder(testAdmin);
    const liveOrder = await placeOrder(admin);
    const { product } = await admin.catalog.createProduct({
      product: { title: "Injector", variants: [{ sku: `INJ-${Date.now()}`, prices: { USD: "289.50" } }] },
    });
    await waitFor("each mode's order and the product at their endpoints", () => {
      const liveOrders = orderIds("/live");
      const testOrders = orderIds("/test");
      const products = (path: string) => receiver.bodies(path).filter((b) => b.data.product?.id === product?.id);
      return (
        liveOrders.includes(liveOrder) &&
        testOrders.includes(testOrder) &&
        products("/live").length === 1 &&
        products("/test").length === 1
      );
    });
    // Each event was matched against every endpoint at once, so the other mode's is decided too.
    expect(orderIds("/live")).toEqual([liveOrder]);
    expect(orderIds("/test")).toEqual([testOrder]);
    expect(
      receiver
        .bodies("/test")
        .filter((b) => b.type.startsWith("order."))
        .every((b) => b.testmode),
    ).toBe(true);
    expect(receiver.bodies("/live").every((b) => !b.testmode)).toBe(true);
    for (const [clients, hook] of [
      [admin, live],
      [testAdmin, test],
    ] as const) {
      const { deliveries } = await clients.webhooks.listWebhookDeliveries({ endpointId: hook.id });
      expect(deliveries.map((d) => d.eventType).sort()).toEqual(["order.created", "product.created"]);
    }
  });

  it("sends a sample event with SendTestWebhookEvent", async () => {
    const hook = await endpoint(admin, "/sample", ["order.paid"]);
    const { delivery } = await admin.webhooks.sendTestWebhookEvent({ id: hook.id, eventType: "order.fulfilled" });
    await waitFor("the sample", () => receiver.at("/sample").length === 1);
    const [request] = receiver.at("/sample");
    expect(request?.verifiedBy).toEqual([receiver.secrets.indexOf(hook.secret)]);
    expect(JSON.parse(request?.body ?? "")).toMatchObject({
      type: "order.fulfilled",
      id: delivery?.eventId,
      testmode: true,
      data: { order: { isTest: true, status: "ORDER_STATUS_FULFILLED" } },
    });
  });

  it("retries while the receiver is down, and every event arrives once it is up, repeated only under its webhook-id", async () => {
    await receiver.down();
    const hook = await endpoint(admin, "/outage", ["order.created"]);
    const orders: string[] = [];
    for (let i = 0; i < 4; i += 1) orders.push(await placeOrder(admin));
    await waitFor(
      "every delivery failed at least twice",
      async () => {
        const { deliveries } = await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id });
        return deliveries.length === orders.length && deliveries.every((d) => d.attemptCount >= 2);
      },
      20_000,
    );
    await receiver.up();
    await waitFor("every order at the receiver", () => orders.every((id) => orderIds("/outage").includes(id)), 20_000);
    const requests = receiver.at("/outage");
    expect(requests.every((r) => r.verifiedBy.length === 1)).toBe(true);
    const byId = new Map<string, Set<string>>();
    for (const request of requests) {
      const id = request.headers["webhook-id"] ?? "";
      byId.set(id, (byId.get(id) ?? new Set()).add(request.body));
    }
    // One webhook-id per order, and a repeat (if any) is the same body under the same id.
    expect(byId.size).toBe(orders.length);
    expect([...byId.values()].every((bodies) => bodies.size === 1)).toBe(true);
    const { deliveries } = await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id });
    for (const delivery of deliveries) {
      await waitFor("the success recorded", async () => {
        const [d] = (await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id, eventId: delivery.eventId }))
          .deliveries;
        return d?.status === WebhookDeliveryStatus.SUCCEEDED;
      });
    }
    const [one] = (await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id, pageSize: 1 })).deliveries;
    const attempts = one?.attempts ?? [];
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.slice(0, -1).every((a) => !a.succeeded && a.responseCode === 0 && a.error !== "")).toBe(true);
    expect(attempts.at(-1)).toMatchObject({ succeeded: true, responseCode: 204 });
    expect(attempts.map((a) => a.attemptNumber)).toEqual(attempts.map((_, i) => i + 1));
  });

  it("signs with both secrets after a rotation mid-stream: every delivery verifies with one of them", async () => {
    const hook = await endpoint(admin, "/rotation", ["order.created"]);
    const orders: string[] = [];
    for (let i = 0; i < 3; i += 1) orders.push(await placeOrder(admin));
    const { webhookEndpoint: rotated } = await admin.webhooks.rotateWebhookEndpointSecret({ id: hook.id });
    const newSecret = rotated?.secret ?? "";
    receiver.secrets.push(newSecret);
    for (let i = 0; i < 3; i += 1) orders.push(await placeOrder(admin));
    await waitFor("every order at the receiver", () => orders.every((id) => orderIds("/rotation").includes(id)));
    const requests = receiver.at("/rotation");
    const [oldIndex, newIndex] = [receiver.secrets.indexOf(hook.secret), receiver.secrets.indexOf(newSecret)];
    expect(requests.every((r) => r.verifiedBy.includes(oldIndex) || r.verifiedBy.includes(newIndex))).toBe(true);
    // Whatever was signed after the rotation carries two signatures, each verifying with its secret.
    const after = requests.filter((r) => r.headers["webhook-signature"]?.includes(" "));
    expect(after.length).toBeGreaterThanOrEqual(3);
    expect(after.every((r) => r.verifiedBy.includes(oldIndex) && r.verifiedBy.includes(newIndex))).toBe(true);
  });

  it("does not follow redirects, reads at most 64 KiB of an answer and gives up on a slow one", async () => {
    let redirectedTo = 0;
    receiver.on("/redirect", (_req, res) => res.writeHead(302, { location: receiver.url("/redirected") }).end());
    receiver.on("/redirected", (_req, res) => {
      redirectedTo += 1;
      res.writeHead(204).end();
    });
    let bodyClosedEarly = false;
    receiver.on("/big", (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, "x");
      let written = 0;
      res.on("close", () => {
        if (written < 10 * 1024 * 1024) bodyClosedEarly = true;
      });
      const write = (): void => {
        while (written < 10 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", write);
            return;
          }
        }
        res.end();
      };
      write();
    });
    receiver.on("/slow", () => {
      // Never answers.
    });
    const [redirect, big, slow] = [
      await endpoint(admin, "/redirect", ["order.created"]),
      await endpoint(admin, "/big", ["order.created"]),
      await endpoint(admin, "/slow", ["order.created"]),
    ];
    for (const hook of [redirect, big, slow]) await admin.webhooks.sendTestWebhookEvent({ id: hook.id });
    const firstAttempt = async (hook: WebhookEndpoint) => {
      const { deliveries } = await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id });
      return deliveries[0]?.attempts[0];
    };
    await waitFor("an attempt at each", async () =>
      (await Promise.all([redirect, big, slow].map(firstAttempt))).every((a) => a !== undefined),
    );
    expect(await firstAttempt(redirect)).toMatchObject({
      responseCode: 302,
      succeeded: false,
      error: "redirect (HTTP 302) not followed",
    });
    expect(redirectedTo).toBe(0);
    const bigAttempt = await firstAttempt(big);
    expect(bigAttempt).toMatchObject({ responseCode: 200, succeeded: true });
    expect(bigAttempt?.responseBody).toBe("x".repeat(1024));
    await waitFor("the big answer cut off", () => bodyClosedEarly);
    expect(await firstAttempt(slow)).toMatchObject({
      responseCode: 0,
      succeeded: false,
      error: "timed out after 2000 ms",
    });
  });

  it("holds at most the per-endpoint limit of attempts to a slow endpoint, and others' deliveries pass meanwhile", async () => {
    let inFlight = 0;
    let most = 0;
    const held: (() => void)[] = [];
    receiver.on("/stuck", (_req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      held.push(() => {
        inFlight -= 1;
        res.writeHead(204).end();
      });
    });
    const stuck = await endpoint(admin, "/stuck", ["order.paid"]);
    const quick = await endpoint(admin, "/quick", ["order.paid"]);
    for (let i = 0; i < 5; i += 1) await admin.webhooks.sendTestWebhookEvent({ id: stuck.id });
    await waitFor("two attempts at the stuck endpoint", () => inFlight === 2);
    await admin.webhooks.sendTestWebhookEvent({ id: quick.id });
    await waitFor("the quick endpoint served meanwhile", () => receiver.at("/quick").length === 1);
    expect(inFlight).toBe(2);
    // Let the stuck endpoint answer, one by one as they come, until all five arrived.
    await waitFor("all five at the stuck endpoint", async () => {
      for (const release of held.splice(0)) release();
      await sleep(20);
      return new Set(receiver.at("/stuck").map((r) => r.headers["webhook-id"])).size === 5;
    });
    for (const release of held.splice(0)) release();
    expect(most).toBe(2);
  });

  it("disables an endpoint whose attempts have failed for 5 days without a success, and gives up its deliveries", async () => {
    receiver.on("/failing", (_req, res) => res.writeHead(500).end("down for maintenance"));
    const hook = await endpoint(admin, "/failing", ["order.created"]);
    await admin.webhooks.sendTestWebhookEvent({ id: hook.id });
    await waitFor("a failed attempt", async () => {
      const { webhookEndpoint } = await admin.webhooks.getWebhookEndpoint({ id: hook.id });
      return webhookEndpoint?.failureStartTime !== undefined;
    });
    const { deliveries: failing } = await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id });
    expect(failing[0]?.attempts[0]).toMatchObject({
      responseCode: 500,
      succeeded: false,
      error: "HTTP 500",
      responseBody: "down for maintenance",
    });
    // As if the first failure had been 5 days and a minute ago (the clock is not waited for).
    await query(
      service.orm.em.fork(),
      "update webhook_endpoints set failing_since = now() - interval '5 days 1 minute' where id = $1",
      [hook.id],
    );
    await waitFor("the endpoint disabled", async () => {
      const { webhookEndpoint } = await admin.webhooks.getWebhookEndpoint({ id: hook.id });
      return webhookEndpoint?.enabled === false;
    });
    const { webhookEndpoint } = await admin.webhooks.getWebhookEndpoint({ id: hook.id });
    expect(webhookEndpoint?.autoDisableTime).toBeDefined();
    const { deliveries } = await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id });
    await waitFor("its delivery given up", async () => {
      const [d] = (await admin.webhooks.listWebhookDeliveries({ endpointId: hook.id })).deliveries;
      return d?.status === WebhookDeliveryStatus.FAILED;
    });
    expect(deliveries).toHaveLength(1);
    const attempts = receiver.at("/failing").length;
    await placeOrder(admin);
    await sleep(500);
    // A disabled endpoint gets nothing new.
    expect(receiver.at("/failing").length).toBe(attempts);
  });
});
