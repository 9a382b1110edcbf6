import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Customer } from "../../src/persistence/entities/customer.js";
import { RawClient } from "../faults/support/fuzz/raw-client.js";
import { loadRegressions, regressionRequest } from "../faults/support/fuzz/regressions.js";
import { judge } from "../faults/support/fuzz/verdict.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";

/**
 * Every input the fault suite's fuzzer (npm run test:faults) ever caught the service failing on is
 * kept in test/faults/regressions/ and sent again here, byte for byte, on every `npm test`.
 */
const regressions = loadRegressions();

let service: TestService;
let tenant: TestTenant;
let client: RawClient;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  // The saved bodies name the customer of the run that found them; give this tenant a customer with that id.
  const em = service.orm.em.fork();
  for (const customerId of new Set(regressions.map((r) => r.regression.customerId))) {
    em.create(Customer, {
      id: customerId,
      tenant: tenant.tenantId,
      email: `fuzz-${customerId}@example.com`,
      name: "Fuzz Buyer",
    });
  }
  await em.flush();
  client = new RawClient(service.url, 10_000);
});
afterAll(async () => {
  client?.close();
  await service?.shutdown();
});

describe("fuzz regressions", () => {
  it("has saved cases to replay", () => {
    expect(regressions.length).toBeGreaterThan(0);
  });

  it.each(regressions.map(({ file, regression }) => [file, regression.description, regression] as const))(
    "%s (%s) is answered, and not with INTERNAL",
    async (_file, _description, regression) => {
      const request = regressionRequest(regression, tenant.key);
      const verdict = judge(request, await client.send(request));
      expect({ internal: verdict.internal, hung: verdict.hung, message: verdict.message }).toMatchObject({
        internal: false,
        hung: false,
      });
    },
  );
});
