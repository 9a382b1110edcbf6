import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookDeliveryStatus, type WebhookEndpoint } from "../../gen/orders/v1/webhook_pb.js";
import { query } from "../../src/platform/database/query.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

// The in-memory service runs with the production URL policy (no http, no private addresses) and no worker: a
// public IP literal needs no DNS, and nothing is ever sent to it.
const PUBLIC_URL = "https://93.184.215.14/hooks/orderspine";

let service: InMemoryService;
let admin: Clients;
let testAdmin: Clients;
let editor: Clients;
let otherTenant: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant("admin");
  admin = service.clients(tenant.key);
  testAdmin = service.clients(await service.newKey(tenant.tenantId, "admin", "test"));
  editor = service.clients(await service.newKey(tenant.tenantId, "editor"));
  otherTenant = service.clients((await service.newTenant("admin")).key);
});
afterAll(() => ifSetUp(service)?.close());

function endpointOf(answer: { webhookEndpoint?: WebhookEndpoint }): WebhookEndpoint {
  if (!answer.webhookEndpoint) throw new Error("no endpoint in the answer");
  return answer.webhookEndpoint;
}

async function newEndpoint(clients = admin, eventTypes = ["order.created"]): Promise<WebhookEndpoint> {
  return endpointOf(await clients.webhooks.createWebhookEndpoint({ webhookEndpoint: { url: PUBLIC_URL, eventTypes } }));
}

describe("CreateWebhookEndpoint", () => {
  it("creates an enabled live endpoint and shows its secret once", async () => {
    const created = endpointOf(
      await admin.webhooks.createWebhookEndpoint({
        webhookEndpoint: { url: PUBLIC_URL, description: "ERP sync", eventTypes: ["order.created", "order.fulfilled"] },
      }),
    );
    expect(created).toMatchObject({
      url: PUBLIC_URL,
      description: "ERP sync",
      eventTypes: ["order.created", "order.fulfilled"],
      enabled: true,
      isTest: false,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(created.previousSecretExpireTime).toBeUndefined();
    const read = endpointOf(await admin.webhooks.getWebhookEndpoint({ id: created.id }));
    expect(read).toEqual({ ...created, secret: "" });
    const { webhookEndpoints } = await admin.webhooks.listWebhookEndpoints({});
    expect(webhookEndpoints.find((e) => e.id === created.id)).toEqual({ ...created, secret: "" });
    expect(webhookEndpoints.every((e) => e.secret === "")).toBe(true);
  });

  it("answers a retry with the same request_id as the first call did, without the secret", async () => {
    const requestId = randomUUID();
    const request = { webhookEndpoint: { url: PUBLIC_URL, eventTypes: ["*"] }, requestId };
    const first = endpointOf(await admin.webhooks.createWebhookEndpoint(request));
    const again = endpointOf(await admin.webhooks.createWebhookEndpoint(request));
    expect(first.secret).not.toBe("");
    expect(again).toEqual({ ...first, secret: "" });
    const reused = await rejectionOf(
      admin.webhooks.createWebhookEndpoint({
        ...request,
        webhookEndpoint: { url: PUBLIC_URL, eventTypes: ["order.paid"] },
      }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
    // A test key's request_id is recorded apart: it cannot replay the live call's answer.
    const other = await rejectionOf(testAdmin.webhooks.createWebhookEndpoint(request));
    expect(other).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("refuses bad URLs and event types, each with its reason", async () => {
    const cases: [string, string][] = [
      ["", "REQUIRED"],
      ["not a url", "INVALID_URL"],
      ["https://user:secret@93.184.215.14/x", "INVALID_URL"],
      ["http://93.184.215.14/x", "URL_SCHEME_NOT_ALLOWED"],
      ["https://127.0.0.1/x", "URL_HOST_NOT_ALLOWED"],
      ["https://localhost/x", "URL_HOST_NOT_ALLOWED"],
      ["https://169.254.169.254/latest/meta-data", "URL_HOST_NOT_ALLOWED"],
      ["https://[fd00:ec2::254]/x", "URL_HOST_NOT_ALLOWED"],
      ["https://10.0.0.8/x", "URL_HOST_NOT_ALLOWED"],
      ["https://100.64.1.1/x", "URL_HOST_NOT_ALLOWED"],
      ["https://no-such-host.invalid/x", "URL_HOST_NOT_RESOLVED"],
    ];
    for (const [url, reason] of cases) {
      const error = await rejectionOf(
        admin.webhooks.createWebhookEndpoint({ webhookEndpoint: { url, eventTypes: ["order.created"] } }),
      );
      expect(error, url).toMatchObject({
        code: Code.InvalidArgument,
        violations: [{ field: "webhook_endpoint.url", reason }],
      });
    }
    const types = await rejectionOf(
      admin.webhooks.createWebhookEndpoint({
        webhookEndpoint: { url: PUBLIC_URL, eventTypes: ["order.created", "order.shipped"] },
      }),
    );
    expect(types.violations).toEqual([{ field: "webhook_endpoint.event_types[1]", reason: "UNKNOWN_EVENT_TYPE" }]);
    const none = await rejectionOf(admin.webhooks.createWebhookEndpoint({ webhookEndpoint: { url: PUBLIC_URL } }));
    expect(none.violations).toEqual([{ field: "webhook_endpoint.event_types", reason: "REQUIRED" }]);
    const missing = await rejectionOf(admin.webhooks.createWebhookEndpoint({}));
    expect(missing.code).toBe(Code.InvalidArgument);
  });

  it("needs an admin key", async () => {
    const error = await rejectionOf(
      editor.webhooks.createWebhookEndpoint({ webhookEndpoint: { url: PUBLIC_URL, eventTypes: ["*"] } }),
    );
    expect(error).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
    expect(await rejectionOf(editor.webhooks.listWebhookEndpoints({}))).toMatchObject({
      code: Code.PermissionDenied,
    });
  });
});

describe("test mode and tenants", () => {
  it("a test key creates test endpoints; each mode and each tenant sees only its own", async () => {
    const live = await newEndpoint(admin);
    const test = await newEndpoint(testAdmin);
    expect(test.isTest).toBe(true);
    for (const [clients, id] of [
      [testAdmin, live.id],
      [admin, test.id],
      [otherTenant, live.id],
    ] as const) {
      const error = await rejectionOf(clients.webhooks.getWebhookEndpoint({ id }));
      expect(error).toMatchObject({
        code: Code.NotFound,
        reason: "WEBHOOK_ENDPOINT_NOT_FOUND",
        metadata: { webhookEndpointId: id },
      });
    }
    const liveList = (await admin.webhooks.listWebhookEndpoints({})).webhookEndpoints;
    const testList = (await testAdmin.webhooks.listWebhookEndpoints({})).webhookEndpoints;
    expect(liveList.some((e) => e.id === test.id) || liveList.some((e) => e.isTest)).toBe(false);
    expect(testList.map((e) => e.id)).toContain(test.id);
    expect(testList.every((e) => e.isTest)).toBe(true);
  });
});

describe("ListWebhookEndpoints", () => {
  it("pages oldest first with signed tokens", async () => {
    const tenant = await service.newTenant("admin");
    const clients = service.clients(tenant.key);
    const made = [];
    for (let i = 0; i < 5; i += 1) made.push((await newEndpoint(clients)).id);
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await clients.webhooks.listWebhookEndpoints({ pageSize: 2, pageToken });
      expect(page.webhookEndpoints.length).toBeLessThanOrEqual(2);
      seen.push(...page.webhookEndpoints.map((e) => e.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual(made);
    const bad = await rejectionOf(clients.webhooks.listWebhookEndpoints({ pageToken: "made-up" }));
    expect(bad.violations).toEqual([{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }]);
  });
});

describe("UpdateWebhookEndpoint", () => {
  it("sets the fields named in the mask under the etag", async () => {
    const endpoint = await newEndpoint();
    const updated = endpointOf(
      await admin.webhooks.updateWebhookEndpoint({
        webhookEndpoint: {
          id: endpoint.id,
          etag: endpoint.etag,
          url: "https://93.184.215.15/v2",
          eventTypes: ["order.fulfilled", "order.delivered"],
          description: "ignored: not in the mask",
          enabled: false,
        },
        updateMask: { paths: ["url", "event_types", "enabled"] },
      }),
    );
    expect(updated).toMatchObject({
      url: "https://93.184.215.15/v2",
      eventTypes: ["order.fulfilled", "order.delivered"],
      description: "",
      enabled: false,
      secret: "",
    });
    expect(updated.etag).not.toBe(endpoint.etag);
    const stale = await rejectionOf(
      admin.webhooks.updateWebhookEndpoint({
        webhookEndpoint: { id: endpoint.id, etag: endpoint.etag, description: "x" },
        updateMask: { paths: ["description"] },
      }),
    );
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
  });

  it("refuses bad masks and values, and unknown endpoints", async () => {
    const endpoint = await newEndpoint();
    const error = await rejectionOf(
      admin.webhooks.updateWebhookEndpoint({
        webhookEndpoint: { id: endpoint.id, url: "https://192.168.0.1/", eventTypes: [] },
        updateMask: { paths: ["url", "event_types"] },
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual([
      { field: "webhook_endpoint.url", reason: "URL_HOST_NOT_ALLOWED" },
      { field: "webhook_endpoint.event_types", reason: "REQUIRED" },
    ]);
    const path = await rejectionOf(
      admin.webhooks.updateWebhookEndpoint({
        webhookEndpoint: { id: "not-a-uuid" },
        updateMask: { paths: ["description", "secret"] },
      }),
    );
    expect(path.violations).toEqual([
      { field: "webhook_endpoint.id", reason: "INVALID_UUID" },
      { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
    ]);
    const empty = await rejectionOf(
      admin.webhooks.updateWebhookEndpoint({ webhookEndpoint: { id: endpoint.id }, updateMask: { paths: [] } }),
    );
    expect(empty.violations).toEqual([{ field: "update_mask", reason: "REQUIRED" }]);
    const missing = await rejectionOf(
      admin.webhooks.updateWebhookEndpoint({
        webhookEndpoint: { id: randomUUID(), description: "x" },
        updateMask: { paths: ["description"] },
      }),
    );
    expect(missing).toMatchObject({ code: Code.NotFound, reason: "WEBHOOK_ENDPOINT_NOT_FOUND" });
  });

  it("enabling an endpoint the worker disabled clears its failure times", async () => {
    const endpoint = await newEndpoint();
    await query(
      service.app.orm.em.fork(),
      "update webhook_endpoints set enabled = false, failing_since = now() - interval '6 days', auto_disabled_at = now() where id = $1",
      [endpoint.id],
    );
    const disabled = endpointOf(await admin.webhooks.getWebhookEndpoint({ id: endpoint.id }));
    expect(disabled.enabled).toBe(false);
    expect(disabled.failureStartTime).toBeDefined();
    expect(disabled.autoDisableTime).toBeDefined();
    const enabled = endpointOf(
      await admin.webhooks.updateWebhookEndpoint({
        webhookEndpoint: { id: endpoint.id, enabled: true },
        updateMask: { paths: ["enabled"] },
      }),
    );
    expect(enabled.enabled).toBe(true);
    expect(enabled.failureStartTime).toBeUndefined();
    expect(enabled.autoDisableTime).toBeUndefined();
  });
});

describe("DeleteWebhookEndpoint", () => {
  it("deletes the endpoint with its deliveries, under the etag", async () => {
    const endpoint = await newEndpoint();
    await admin.webhooks.sendTestWebhookEvent({ id: endpoint.id });
    const stale = await rejectionOf(
      admin.webhooks.deleteWebhookEndpoint({ id: endpoint.id, etag: "0000000000000000" }),
    );
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    const requestId = randomUUID();
    await admin.webhooks.deleteWebhookEndpoint({ id: endpoint.id, etag: endpoint.etag, requestId });
    // A retry answers as the first call did; another call finds nothing.
    await admin.webhooks.deleteWebhookEndpoint({ id: endpoint.id, etag: endpoint.etag, requestId });
    const gone = await rejectionOf(admin.webhooks.deleteWebhookEndpoint({ id: endpoint.id }));
    expect(gone).toMatchObject({ code: Code.NotFound, reason: "WEBHOOK_ENDPOINT_NOT_FOUND" });
    const { rows } = await query<{ n: number }>(
      service.app.orm.em.fork(),
      "select count(*)::int as n from webhook_deliveries where endpoint_id = $1",
      [endpoint.id],
    );
    expect(rows[0]?.n).toBe(0);
  });
});

describe("RotateWebhookEndpointSecret", () => {
  it("shows a new secret once and keeps the old one signing for 24 hours", async () => {
    const endpoint = await newEndpoint();
    const before = Date.now();
    const requestId = randomUUID();
    const rotated = endpointOf(
      await admin.webhooks.rotateWebhookEndpointSecret({ id: endpoint.id, etag: endpoint.etag, requestId }),
    );
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(endpoint.secret);
    const expires = Number(rotated.previousSecretExpireTime?.seconds ?? 0n) * 1000;
    expect(expires).toBeGreaterThanOrEqual(before + 24 * 3600_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 24 * 3600_000);
    const replay = endpointOf(
      await admin.webhooks.rotateWebhookEndpointSecret({ id: endpoint.id, etag: endpoint.etag, requestId }),
    );
    expect(replay).toEqual({ ...rotated, secret: "" });
    const { rows } = await query<{ secret: string; previous: string }>(
      service.app.orm.em.fork(),
      "select secret, previous_secret as previous from webhook_endpoints where id = $1",
      [endpoint.id],
    );
    expect(rows[0]).toEqual({ secret: rotated.secret, previous: endpoint.secret });
    const stale = await rejectionOf(
      admin.webhooks.rotateWebhookEndpointSecret({ id: endpoint.id, etag: endpoint.etag }),
    );
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    const missing = await rejectionOf(admin.webhooks.rotateWebhookEndpointSecret({ id: randomUUID() }));
    expect(missing).toMatchObject({ code: Code.NotFound, reason: "WEBHOOK_ENDPOINT_NOT_FOUND" });
  });
});

describe("SendTestWebhookEvent and ListWebhookDeliveries", () => {
  it("queue a sample event for the one endpoint and list it", async () => {
    const endpoint = await newEndpoint(admin, ["order.paid"]);
    const { delivery } = await admin.webhooks.sendTestWebhookEvent({ id: endpoint.id, eventType: "order.fulfilled" });
    expect(delivery).toMatchObject({
      endpointId: endpoint.id,
      eventType: "order.fulfilled",
      status: WebhookDeliveryStatus.PENDING,
      attemptCount: 0,
      attempts: [],
      isTestEvent: true,
    });
    expect(delivery?.nextAttemptTime).toBeDefined();
    const second = (await admin.webhooks.sendTestWebhookEvent({ id: endpoint.id })).delivery;
    expect(second?.eventType).toBe("order.created");
    const listed = await admin.webhooks.listWebhookDeliveries({ endpointId: endpoint.id });
    expect(listed.deliveries.map((d) => d.id)).toEqual([second?.id, delivery?.id]);
    const page = await admin.webhooks.listWebhookDeliveries({ endpointId: endpoint.id, pageSize: 1 });
    expect(page.deliveries.map((d) => d.id)).toEqual([second?.id]);
    const next = await admin.webhooks.listWebhookDeliveries({
      endpointId: endpoint.id,
      pageSize: 1,
      pageToken: page.nextPageToken,
    });
    expect(next.deliveries.map((d) => d.id)).toEqual([delivery?.id]);
    const changed = await rejectionOf(
      admin.webhooks.listWebhookDeliveries({
        endpointId: endpoint.id,
        pageToken: page.nextPageToken,
        status: WebhookDeliveryStatus.FAILED,
      }),
    );
    expect(changed.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
    const byEvent = await admin.webhooks.listWebhookDeliveries({
      endpointId: endpoint.id,
      eventId: delivery?.eventId ?? "",
    });
    expect(byEvent.deliveries.map((d) => d.id)).toEqual([delivery?.id]);
    const succeeded = await admin.webhooks.listWebhookDeliveries({
      endpointId: endpoint.id,
      status: WebhookDeliveryStatus.SUCCEEDED,
    });
    expect(succeeded.deliveries).toEqual([]);
  });

  it("refuse unknown types, disabled endpoints and other modes' endpoints", async () => {
    const endpoint = await newEndpoint();
    const type = await rejectionOf(admin.webhooks.sendTestWebhookEvent({ id: endpoint.id, eventType: "*" }));
    expect(type.violations).toEqual([{ field: "event_type", reason: "UNKNOWN_EVENT_TYPE" }]);
    await admin.webhooks.updateWebhookEndpoint({
      webhookEndpoint: { id: endpoint.id, enabled: false },
      updateMask: { paths: ["enabled"] },
    });
    const disabled = await rejectionOf(admin.webhooks.sendTestWebhookEvent({ id: endpoint.id }));
    expect(disabled).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "WEBHOOK_ENDPOINT_DISABLED",
      metadata: { webhookEndpointId: endpoint.id },
    });
    const otherMode = await rejectionOf(testAdmin.webhooks.sendTestWebhookEvent({ id: endpoint.id }));
    expect(otherMode).toMatchObject({ code: Code.NotFound, reason: "WEBHOOK_ENDPOINT_NOT_FOUND" });
    const deliveries = await rejectionOf(testAdmin.webhooks.listWebhookDeliveries({ endpointId: endpoint.id }));
    expect(deliveries).toMatchObject({ code: Code.NotFound, reason: "WEBHOOK_ENDPOINT_NOT_FOUND" });
  });
});
