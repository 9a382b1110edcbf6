import { afterAll, beforeAll, expect, it } from "vitest";
import { clientsFor } from "../support/clients.js";
import { setUpNewYorkShop } from "../support/new-york-shop.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { shippedNewYorkOrder } from "../orders/support/new-york-order.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/lifecycle.md's worked return example refunds exactly the 39.20 the page computes", async () => {
  const clients = clientsFor("grpc-http2", service.url, tenant.key);
  const order = await shippedNewYorkOrder(clients, await setUpNewYorkShop(clients));
  // The figures the page's worked example starts from.
  expect(order).toMatchObject({
    subtotal: "100.00",
    discountTotal: "10.00",
    shippingTotal: "8.99",
    taxTotal: "8.78",
    total: "107.77",
    paidTotal: "107.77",
    items: [
      { lineTotal: "80.00", discountTotal: "8.00", taxAmount: "6.39" },
      { lineTotal: "20.00", discountTotal: "2.00", taxAmount: "1.60" },
    ],
  });
  const commands = curlCommands("docs/lifecycle.md", "<!-- test/docs/returns.test.ts runs the next block");
  expect(commands).toHaveLength(2);
  const env = { KEY: tenant.key, ORDER_ID: order.id, MUG_LINE_ID: order.items[0]?.id ?? "" };
  const requested = (await runCurl(commands[0] ?? "", service.url, env)) as {
    order: { returns: { id: string }[] };
  };
  expect(requested).toMatchObject({
    order: {
      status: "ORDER_STATUS_FULFILLED",
      returns: [
        {
          state: "RETURN_STATE_REQUESTED",
          lines: [{ lineId: env.MUG_LINE_ID, quantity: 1, amount: "39.20" }],
          refundAmount: "39.20",
        },
      ],
    },
  });
  const received = await runCurl(commands[1] ?? "", service.url, {
    ...env,
    RETURN_ID: requested.order.returns[0]?.id ?? "",
  });
  expect(received).toMatchObject({
    order: {
      status: "ORDER_STATUS_PARTIALLY_RETURNED",
      paymentStatus: "PAYMENT_STATUS_PARTIALLY_REFUNDED",
      refundedTotal: "39.20",
      returns: [{ state: "RETURN_STATE_RECEIVED", refundedAmount: "39.20", lines: [{ restock: true }] }],
    },
  });
});
