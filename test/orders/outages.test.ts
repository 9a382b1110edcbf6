import { fromBinary } from "@bufbuild/protobuf";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { OrderCreatedSchema } from "../../gen/orders/v1/events_pb.js";
import { clientsFor } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { Code, rejectionOf } from "../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../support/fixtures.js";
import { startTestService, type TestService } from "../support/service.js";
import { TcpProxy, throughProxy } from "../support/tcp-proxy.js";
import { PrivateNatsServer } from "../support/nats-server.js";
import { nativePool } from "../../src/platform/database/query.js";
import { readStored } from "../support/stream-reader.js";
import { waitFor } from "../support/wait-for.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function started(service: Promise<TestService>): Promise<TestService> {
  const s = await service;
  cleanups.push(() => s.shutdown());
  return s;
}

describe("NATS down", () => {
  it("never fails CreateOrder; every event arrives exactly once after NATS returns", async () => {
    const nats = await PrivateNatsServer.start();
    cleanups.push(() => nats.dispose());
    const service = await started(startTestService({ natsUrl: nats.url }));
    const tenant = await service.newTenant();
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    const customerId = await createCustomerId(clients);

    await nats.stop();
    const created = await Promise.all(
      Array.from({ length: 15 }, () => clients.orders.createOrder(seedOrderRequest(customerId))),
    );
    const orderIds = created.map((r) => r.order?.id).sort();
    expect(orderIds.every(Boolean)).toBe(true);

    await nats.resume();
    const nc = await connect({ servers: nats.url });
    cleanups.push(() => nc.close());
    const subject = `orders.${tenant.tenantId}.created`;
    let stored: Awaited<ReturnType<typeof readStored>> = [];
    await waitFor(
      "all events after NATS returned",
      async () => (stored = await readStored(nc, subject)).length >= 15,
      30_000,
    );
    const published = stored.map((m) => fromBinary(OrderCreatedSchema, m.data).order?.id).sort();
    expect(published).toEqual(orderIds);
  });
});

describe("PostgreSQL unreachable", () => {
  it("answers UNAVAILABLE (never INTERNAL), writes nothing, and recovers without a restart", async () => {
    const target = new URL(testDatabaseUrl());
    const proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    cleanups.push(() => proxy.cut());
    const service = await started(startTestService({ databaseUrl: throughProxy(testDatabaseUrl(), proxy) }));
    const tenant = await service.newTenant();
    const clients = clientsFor("connect-json-http1", service.url, tenant.key);
    const customerId = await createCustomerId(clients);

    await proxy.cut();
    const requestId = crypto.randomUUID();
    for (let i = 0; i < 3; i++) {
      const error = await rejectionOf(clients.orders.createOrder({ ...seedOrderRequest(customerId), requestId }));
      expect(error).toMatchObject({ code: Code.Unavailable, reason: "DATABASE_UNAVAILABLE" });
      expect(error.message).not.toMatch(/select|insert|postgres|ECONN/i);
    }
    const http = await fetch(`${service.url}/orders.v1.OrdersService/GetOrder`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tenant.key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ id: crypto.randomUUID() }),
    });
    expect(http.status).toBe(503);

    await proxy.restore();
    let recovered: Awaited<ReturnType<typeof clients.orders.createOrder>> | undefined;
    await waitFor(
      "the service to reach the database again",
      async () => {
        recovered = await clients.orders
          .createOrder({ ...seedOrderRequest(customerId), requestId })
          .catch(() => undefined);
        return recovered !== undefined;
      },
      20_000,
    );
    expect(recovered?.order?.total).toBe("2316.00");

    const db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
    cleanups.push(() => db.end());
    const orders = await db.query("select id from orders where request_id = $1", [requestId]);
    expect(orders.rows).toHaveLength(1);
  });
});

describe("PostgreSQL up, every pooled connection busy", () => {
  it("answers RESOURCE_EXHAUSTED DATABASE_BUSY, not UNAVAILABLE, and serves again once a connection is free", async () => {
    const service = await started(startTestService({ databasePoolMax: 1 }));
    const tenant = await service.newTenant();
    const clients = clientsFor("connect-json-http1", service.url, tenant.key);
    const customerId = await createCustomerId(clients);

    // Hold the replica's only pooled connection, as a long transaction under overload would.
    const held = await (await nativePool(service.orm.em.fork())).connect();
    let released = false;
    cleanups.push(() => {
      if (!released) held.release();
    });
    const error = await rejectionOf(clients.orders.createOrder(seedOrderRequest(customerId)));
    expect(error).toMatchObject({ code: Code.ResourceExhausted, reason: "DATABASE_BUSY" });
    expect(error.message).not.toMatch(/select|insert|postgres|timeout exceeded/i);

    held.release();
    released = true;
    const created = await clients.orders.createOrder(seedOrderRequest(customerId));
    expect(created.order?.total).toBe("2316.00");
  });
});
