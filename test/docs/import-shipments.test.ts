import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/lifecycle.md's partially shipped import, then the rest fulfilled, answers what the page says", async () => {
  const commands = curlCommands("docs/lifecycle.md", "<!-- test/docs/import-shipments.test.ts runs the next block");
  expect(commands).toHaveLength(2);
  const env = { ADMIN_KEY: tenant.key };
  const imported = (await runCurl(commands[0] ?? "", service.url, env)) as {
    order: { id: string; items: { id: string }[] };
  };
  const lineId = imported.order.items[0]?.id;
  expect(imported).toMatchObject({
    order: {
      status: "ORDER_STATUS_PARTIALLY_FULFILLED",
      fulfillments: [{ lines: [{ lineId, quantity: 1 }], carrier: "UPS", trackingNumbers: ["1Z001"] }],
    },
  });
  const fulfilled = await runCurl(commands[1] ?? "", service.url, { ...env, ORDER_ID: imported.order.id });
  expect(fulfilled).toMatchObject({
    order: {
      status: "ORDER_STATUS_FULFILLED",
      fulfillments: [{ carrier: "UPS" }, { lines: [{ lineId, quantity: 1 }], carrier: "DHL" }],
    },
  });
});
