import { afterAll, beforeAll, expect, it } from "vitest";
import { query } from "../../src/platform/database/query.js";
import { webhooksHousekeeping } from "../../src/webhooks/delivery.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
beforeAll(async () => {
  service = await buildInMemoryService();
});
afterAll(() => ifSetUp(service)?.close());

it("deletes deliveries finished more than 30 days ago, with their attempts, and never a pending one", async () => {
  const admin = service.clients((await service.newTenant("admin")).key);
  const { webhookEndpoint } = await admin.webhooks.createWebhookEndpoint({
    webhookEndpoint: { url: "https://93.184.215.14/in", eventTypes: ["*"] },
  });
  const id = webhookEndpoint?.id ?? "";
  const queued = [];
  for (let i = 0; i < 4; i += 1) queued.push((await admin.webhooks.sendTestWebhookEvent({ id })).delivery?.id ?? "");
  const [oldSucceeded, oldFailed, recentFailed, oldPending] = queued as [string, string, string, string];
  const em = service.app.orm.em.fork();
  const set = (delivery: string, status: string, daysAgo: number) =>
    query(
      em,
      `update webhook_deliveries set status = $2, updated_at = now() - make_interval(days => $3) where id = $1`,
      [delivery, status, daysAgo],
    );
  await set(oldSucceeded, "succeeded", 31);
  await set(oldFailed, "failed", 31);
  await set(recentFailed, "failed", 29);
  await set(oldPending, "pending", 40);
  await query(
    em,
    `insert into webhook_delivery_attempts (id, delivery_id, attempt_number, attempted_at, duration_ms, response_code,
       succeeded, error, response_body) values (gen_random_uuid(), $1, 1, now(), 12, 200, true, '', '')`,
    [oldSucceeded],
  );
  const deleted = await webhooksHousekeeping(service.app.orm).run(new Date());
  expect(deleted).toBeGreaterThanOrEqual(2);
  const { deliveries } = await admin.webhooks.listWebhookDeliveries({ endpointId: id });
  expect(deliveries.map((d) => d.id).sort()).toEqual([recentFailed, oldPending].sort());
  const { rows } = await query<{ n: number }>(
    em,
    "select count(*)::int as n from webhook_delivery_attempts where delivery_id = $1",
    [oldSucceeded],
  );
  expect(rows[0]?.n).toBe(0);
});
