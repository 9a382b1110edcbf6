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

const fifthAvenue = { line1: "350 Fifth Avenue", city: "New York", country: "US" };
const infiniteLoop = { line1: "1 Infinite Loop", city: "Cupertino", country: "US" };

it("docs/customers.md's examples create a customer, add an address, make it the default and list the book", async () => {
  const commands = curlCommands("docs/customers.md", "<!-- test/docs/customers.test.ts runs every command");
  expect(commands).toHaveLength(4);
  const [create, add, update, list] = commands as [string, string, string, string];
  const env = { KEY: tenant.key, CUSTOMER_ID: "", ADDRESS_ID: "" };

  const created = (await runCurl(create, service.url, env)) as {
    customer: { id: string; defaultBillingAddressId: string };
  };
  expect(created).toMatchObject({
    customer: { name: "Jane Doe", defaultBillingAddress: fifthAvenue, defaultShippingAddress: fifthAvenue },
  });
  env.CUSTOMER_ID = created.customer.id;
  const first = created.customer.defaultBillingAddressId;

  const added = (await runCurl(add, service.url, env)) as { customerAddress: { id: string } };
  expect(added).toMatchObject({ customerAddress: { address: infiniteLoop, defaultShipping: true } });
  env.ADDRESS_ID = added.customerAddress.id;

  expect(await runCurl(update, service.url, env)).toMatchObject({
    customerAddress: { id: env.ADDRESS_ID, defaultBilling: true, defaultShipping: true },
  });
  const listed = (await runCurl(list, service.url, env)) as { customerAddresses: unknown[] };
  expect(listed.customerAddresses).toEqual([
    expect.objectContaining({ id: first, address: expect.objectContaining(fifthAvenue) as unknown }),
    expect.objectContaining({ id: env.ADDRESS_ID, defaultBilling: true, defaultShipping: true }),
  ]);
  expect(listed.customerAddresses[0]).not.toHaveProperty("defaultBilling");
});
