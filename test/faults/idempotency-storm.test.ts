import { toBinary } from "@bufbuild/protobuf";
import { expect, inject, it } from "vitest";
import { CreateOrderResponseSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { PROTOCOLS } from "../support/clients.js";
import { rejectionOf } from "../support/errors.js";
import { useCleanups } from "./support/cleanups.js";
import { scenarioFigures } from "./support/figures.js";
import { Ledger } from "./support/ledger.js";
import { orderRequest } from "./support/load.js";
import { faultProfile } from "./support/profile.js";
import { startService, stopService, unexpectedErrors } from "./support/services.js";
import { scaled } from "./support/slowness.js";
import { ProtocolClients, provisionTenant } from "./support/tenant.js";

const profile = faultProfile();
const { callers, rounds } = profile.idempotencyStorm;
const defer = useCleanups();

it(
  `6. Idempotency storm: ${callers} concurrent identical CreateOrder calls give one order and ${callers} identical answers`,
  async () => {
    const figures = scenarioFigures(
      "idempotency-storm",
      `Idempotency storm: ${callers} concurrent identical calls × ${rounds} rounds`,
    );
    const databaseUrl = inject("databaseUrl");
    const ledger = new Ledger(databaseUrl);
    defer(() => ledger.close());
    const tenant = await provisionTenant(databaseUrl, "idempotency storm");
    const service = await startService();
    defer(() => stopService(service));
    const clients = new ProtocolClients(service.url, tenant.key);
    const customerId = await clients.newCustomer();

    const distinctAnswers: number[] = [];
    const ordersPerRequestId: number[] = [];
    const reuseCodes: string[] = [];
    let slowestMs = 0;
    for (let round = 0; round < rounds; round++) {
      const requestId = crypto.randomUUID();
      const request = {
        ...orderRequest(customerId, requestId, 1 + (round % 5)),
        metadata: { round: String(round), storm: "yes" },
      };
      const started = performance.now();
      // Every protocol at once: the stored answer must not depend on how the request was encoded.
      const answers = await Promise.all(
        Array.from({ length: callers }, (_, i) =>
          clients.of(PROTOCOLS[i % PROTOCOLS.length] ?? "grpc-http2").orders.createOrder(request),
        ),
      );
      slowestMs = Math.max(slowestMs, performance.now() - started);
      distinctAnswers.push(
        new Set(answers.map((a) => Buffer.from(toBinary(CreateOrderResponseSchema, a)).toString("base64"))).size,
      );
      const { rows } = await ledger.query<{ n: number }>(
        "select count(*)::int as n from orders where tenant_id = $1 and request_id = $2",
        [tenant.tenantId, requestId],
      );
      ordersPerRequestId.push(rows[0]?.n ?? -1);

      // The same request_id with another body, also as a storm: every call is ALREADY_EXISTS, nothing is written.
      const other = { ...request, items: [{ sku: "OTHER", name: "Another part", quantity: 1, unitPrice: "1.00" }] };
      const rejections = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          rejectionOf(clients.of(PROTOCOLS[i % PROTOCOLS.length] ?? "grpc-http2").orders.createOrder(other)),
        ),
      );
      reuseCodes.push(...rejections.map((r) => `${r.code}:${r.reason}`));
    }
    const events = await ledger.query<{ n: number }>(
      "select count(*)::int as n from outbox_events where tenant_id = $1",
      [tenant.tenantId],
    );
    const orders = await ledger.orders(tenant.tenantId);

    Object.assign(figures, {
      rounds,
      calls: rounds * callers,
      ordersCreated: orders.length,
      distinctAnswersPerRound: Math.max(...distinctAnswers),
      outboxEvents: events.rows[0]?.n ?? -1,
      reuseRejected: reuseCodes.filter((c) => c === "6:IDEMPOTENCY_KEY_REUSED").length,
      reuseCalls: reuseCodes.length,
      slowestStormMs: Math.round(slowestMs),
    });

    expect(distinctAnswers).toEqual(Array.from({ length: rounds }, () => 1));
    expect(ordersPerRequestId).toEqual(Array.from({ length: rounds }, () => 1));
    expect(orders).toHaveLength(rounds);
    expect(events.rows[0]?.n).toBe(rounds);
    expect(new Set(reuseCodes)).toEqual(new Set(["6:IDEMPOTENCY_KEY_REUSED"]));
    expect(unexpectedErrors(service)).toEqual([]);
  },
  scaled(600_000),
);
