import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { clientsFor } from "../support/clients.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import {
  debitGiftCardPayments,
  giftCardPayment,
  givePayments,
  issueGiftCard,
  paymentRecord,
} from "../orders/support/order-fixtures.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

const run = promisify(execFile);
const PAGE = readFileSync("docs/lifecycle.md", "utf8");
const MARKER = "<!-- test/docs/lifecycle.test.ts runs every command of the next block";

/** The curl commands of docs/lifecycle.md's block, continuation lines joined (the ORDER_ID line is the env below). */
function lifecycleCommands(): string[] {
  const block = /```sh\n([\s\S]*?)```/.exec(PAGE.slice(PAGE.indexOf(MARKER)))?.[1];
  if (!PAGE.includes(MARKER) || !block) throw new Error("docs/lifecycle.md has no block after the marker");
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .filter((line) => line.startsWith("curl "));
}

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
});
afterAll(() => ifSetUp(service)?.shutdown());

it("docs/lifecycle.md's examples pay, fulfil and list the seed 000 order as written", async () => {
  const clients = clientsFor("grpc-http2", service.url, tenant.key);
  const { order } = await clients.orders.createOrder(seedOrderRequest(await createCustomerId(clients)));
  const commands = lifecycleCommands();
  expect(commands).toHaveLength(3);
  const outputs: unknown[] = [];
  for (const command of commands) {
    const { stdout } = await run("bash", ["-c", command.replaceAll("http://localhost:8080", service.url)], {
      env: {
        ...process.env,
        KEY: tenant.key,
        ORDER_ID: order?.id ?? "",
        PATH: `${join(process.cwd(), "node_modules/.bin")}:${process.env.PATH ?? ""}`,
      },
    });
    outputs.push(JSON.parse(stdout));
  }
  expect(outputs[0]).toMatchObject({ order: { paymentStatus: "PAYMENT_STATUS_PAID", paidTotal: "2316.00" } });
  expect(outputs[1]).toMatchObject({ order: { status: "ORDER_STATUS_FULFILLED", fulfillment: { carrier: "UPS" } } });
  expect(outputs[2]).toMatchObject({ orders: [{ id: order?.id, status: "ORDER_STATUS_FULFILLED" }] });
});

it("docs/lifecycle.md's capture and void examples run against orders with an authorized payment", async () => {
  const clients = clientsFor("grpc-http2", service.url, tenant.key);
  const customerId = await createCustomerId(clients);
  const authorizedOrder = async () => {
    const { order } = await clients.orders.createOrder(seedOrderRequest(customerId));
    if (!order) throw new Error("CreateOrder returned no order");
    const payment = paymentRecord({ amount: order.total, gatewayReference: "pi_3MtwBwLkdIwHu7ix28a3tqPa" });
    await givePayments(service.orm, clients, order, [payment]);
    return { orderId: order.id, paymentId: payment.id };
  };
  const [first, second] = [await authorizedOrder(), await authorizedOrder()];
  const commands = curlCommands("docs/lifecycle.md", "<!-- test/docs/lifecycle.test.ts runs the next block");
  expect(commands).toHaveLength(2);
  const env = {
    KEY: tenant.key,
    ORDER_ID: first.orderId,
    PAYMENT_ID: first.paymentId,
    OTHER_ORDER_ID: second.orderId,
    OTHER_PAYMENT_ID: second.paymentId,
  };
  const outputs = [];
  for (const command of commands) outputs.push(await runCurl(command, service.url, env));
  expect(outputs[0]).toMatchObject({
    order: {
      paymentStatus: "PAYMENT_STATUS_PARTIALLY_PAID",
      paidTotal: "2000.00",
      authorizedTotal: "0.00",
      amountDue: "316.00",
      payments: [{ id: first.paymentId, state: "PAYMENT_STATE_CAPTURED", capturedAmount: "2000.00" }],
    },
  });
  expect(outputs[1]).toMatchObject({
    order: {
      paymentStatus: "PAYMENT_STATUS_UNPAID",
      payments: [{ id: second.paymentId, state: "PAYMENT_STATE_VOIDED" }],
    },
  });
});

it("docs/lifecycle.md's give-back example refunds the card payment first, then cancels giving the gift card the rest", async () => {
  const clients = clientsFor("grpc-http2", service.url, tenant.key);
  const { order } = await clients.orders.createOrder(seedOrderRequest(await createCustomerId(clients)));
  if (!order) throw new Error("CreateOrder returned no order");
  const card = await issueGiftCard(clients, "500.00");
  const payments = [giftCardPayment(card, "316.00"), paymentRecord({ amount: "2000.00", state: "CAPTURED" })];
  await debitGiftCardPayments(service.orm, tenant.tenantId, order.id, payments);
  await givePayments(service.orm, clients, order, payments);

  const commands = curlCommands("docs/lifecycle.md", "<!-- test/docs/lifecycle.test.ts runs the give-back block");
  expect(commands).toHaveLength(3);
  const env = { KEY: tenant.key, ORDER_ID: order.id, GIFT_CARD_ID: card.id };
  const outputs = [];
  for (const command of commands) outputs.push(await runCurl(command, service.url, env));
  expect(outputs[0]).toMatchObject({
    order: {
      paymentStatus: "PAYMENT_STATUS_PARTIALLY_REFUNDED",
      refundedTotal: "2100.00",
      payments: [
        { method: "GIFT_CARD", refundedAmount: "100.00" },
        { method: "card", refundedAmount: "2000.00" },
      ],
    },
  });
  expect(outputs[1]).toMatchObject({
    order: {
      status: "ORDER_STATUS_CANCELED",
      paymentStatus: "PAYMENT_STATUS_REFUNDED",
      refundedTotal: "2316.00",
      payments: [
        { method: "GIFT_CARD", refundedAmount: "316.00" },
        { method: "card", refundedAmount: "2000.00" },
      ],
    },
  });
  const history = (outputs[1] as { order: { history: { paymentMethod?: string; amount?: string }[] } }).order.history;
  expect(history.at(-2)).toMatchObject({ paymentMethod: "GIFT_CARD", amount: "216.00" });
  expect(outputs[2]).toMatchObject({
    transactions: [
      { kind: "GIFT_CARD_TRANSACTION_KIND_ISSUE", balanceAfter: "500.00" },
      { kind: "GIFT_CARD_TRANSACTION_KIND_DEBIT", amount: "316.00", balanceAfter: "184.00" },
      { kind: "GIFT_CARD_TRANSACTION_KIND_CREDIT", amount: "100.00", note: `order ${order.orderNumber} refunded` },
      {
        kind: "GIFT_CARD_TRANSACTION_KIND_CREDIT",
        amount: "216.00",
        note: `order ${order.orderNumber} canceled`,
        balanceAfter: "500.00",
      },
    ],
  });
});
