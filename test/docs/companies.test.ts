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

it("docs/companies.md's examples create, list and update a company as written", async () => {
  const commands = curlCommands("docs/companies.md", "<!-- test/docs/companies.test.ts runs every command");
  expect(commands).toHaveLength(3);
  const env = { KEY: tenant.key, COMPANY_ID: "" };
  const [create, list, update] = commands as [string, string, string];

  const created = (await runCurl(create, service.url, env)) as { company: { id: string; etag: string } };
  expect(created).toMatchObject({
    company: {
      name: "Acme Diesel Supply",
      taxId: "US-12-3456789",
      billingAddress: { city: "Austin" },
      shippingAddresses: [{ address: { line1: "9 Dock Rd" }, default: true }, { address: { line1: "4 Yard Ln" } }],
    },
  });
  env.COMPANY_ID = created.company.id;
  expect(await runCurl(list, service.url, env)).toEqual({ companies: [created.company] });
  const updated = await runCurl(update, service.url, env);
  expect(updated).toMatchObject({
    company: { id: created.company.id, name: "Acme Diesel Supply", taxId: "US-98-7654321", metadata: { erp: "C-17" } },
  });
  expect(updated).not.toMatchObject({ company: { etag: created.company.etag } });
});
