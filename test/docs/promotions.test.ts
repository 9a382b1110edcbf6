import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/promotions.md's examples create, find by code, update and deactivate a promotion as written", async () => {
  const commands = curlCommands("docs/promotions.md", "<!-- test/docs/promotions.test.ts runs every command");
  expect(commands).toHaveLength(4);
  const env = { KEY: tenant.key, PROMOTION_ID: "" };
  const [create, list, update, deactivate] = commands as [string, string, string, string];

  const created = (await runCurl(create, service.url, env)) as { promotion: { id: string; etag: string } };
  expect(created).toMatchObject({
    promotion: {
      displayName: "Summer sale",
      kind: "PROMOTION_KIND_ORDER_PERCENTAGE",
      value: "15",
      currency: "USD",
      codes: ["SUMMER-15", "SUMMER15"],
      minimumSubtotal: "50.00",
      startTime: "2026-07-01T00:00:00Z",
      endTime: "2026-09-01T00:00:00Z",
      usageLimit: 1000,
      perCustomerLimit: 1,
      active: true,
    },
  });
  // usageCount 0 is the default, which Connect JSON leaves out.
  expect(created.promotion).not.toHaveProperty("usageCount");
  env.PROMOTION_ID = created.promotion.id;
  expect(await runCurl(list, service.url, env)).toEqual({ promotions: [created.promotion] });
  const updated = (await runCurl(update, service.url, env)) as { promotion: { etag: string } };
  expect(updated).toMatchObject({ promotion: { id: created.promotion.id, value: "20", usageLimit: 500 } });
  expect(updated.promotion.etag).not.toBe(created.promotion.etag);
  expect(await runCurl(deactivate, service.url, env)).toMatchObject({
    promotion: { id: created.promotion.id, value: "20", active: false },
  });
  expect(await runCurl(deactivate, service.url, env)).toMatchObject({ code: "failed_precondition" });
});
