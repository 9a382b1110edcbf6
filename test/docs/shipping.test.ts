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

it("docs/shipping.md's examples create, list, update and delete a shipping method as written", async () => {
  const commands = curlCommands("docs/shipping.md", "<!-- test/docs/shipping.test.ts runs every command");
  expect(commands).toHaveLength(4);
  const env = { KEY: tenant.key, METHOD_ID: "", ETAG: "" };
  const [create, list, update, remove] = commands as [string, string, string, string];

  const created = (await runCurl(create, service.url, env)) as { shippingMethod: { id: string; etag: string } };
  expect(created).toMatchObject({
    shippingMethod: {
      displayName: "Standard (3-5 days)",
      countries: ["CA", "US"],
      active: true,
      rates: [
        { currency: "USD", kind: "SHIPPING_RATE_KIND_FLAT", amount: "4.95", freeAbove: "50.00" },
        {
          currency: "CAD",
          kind: "SHIPPING_RATE_KIND_WEIGHT_TIERS",
          tiers: [
            { from: "0", amount: "7.50" },
            { from: "5000", amount: "14.00" },
          ],
        },
      ],
    },
  });
  env.METHOD_ID = created.shippingMethod.id;
  env.ETAG = created.shippingMethod.etag;
  expect(await runCurl(list, service.url, env)).toEqual({ shippingMethods: [created.shippingMethod] });
  const updated = await runCurl(update, service.url, env);
  expect(updated).toMatchObject({
    shippingMethod: {
      id: env.METHOD_ID,
      carrier: "UPS",
      rates: [
        {
          currency: "USD",
          kind: "SHIPPING_RATE_KIND_SUBTOTAL_TIERS",
          tiers: [
            { from: "0.00", amount: "6.95" },
            { from: "25.00", amount: "3.95" },
          ],
          freeAbove: "75.00",
        },
      ],
    },
  });
  expect(updated).not.toHaveProperty("shippingMethod.countries");
  expect(await runCurl(remove, service.url, env)).toEqual({});
  expect(await runCurl(list, service.url, env)).toEqual({});
});
