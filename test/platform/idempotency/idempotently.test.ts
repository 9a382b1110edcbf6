import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateCustomerRequestSchema,
  CreateCustomerResponseSchema,
  type CreateCustomerResponse,
} from "../../../gen/orders/v1/customers_service_pb.js";
import {
  findReplay,
  idempotencyKey,
  idempotently,
  recordResponse,
} from "../../../src/platform/idempotency/idempotency.js";
import { ServiceError } from "../../../src/platform/transport/service-error.js";
import { createOrm } from "../../../src/database.js";
import { testDatabaseUrl } from "../../support/database.js";

let orm: MikroORM;
beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 2 });
});
afterAll(async () => {
  await orm.close(true);
});

const METHOD = "orders.v1.CustomersService/CreateCustomer";

function keyFor(tenantId: string, requestId: string, email: string) {
  return idempotencyKey(
    tenantId,
    METHOD,
    CreateCustomerRequestSchema,
    create(CreateCustomerRequestSchema, { requestId, email, name: "Ada" }),
  );
}

describe("idempotently", () => {
  // Issue 9: 200 identical calls each took a pooled connection to queue behind the first one's row.
  it("runs the work once for identical calls in flight together, and every caller gets its answer", async () => {
    const tenantId = crypto.randomUUID();
    const key = keyFor(tenantId, crypto.randomUUID(), "ada@example.com");
    let runs = 0;
    const work = async (): Promise<CreateCustomerResponse> => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return create(CreateCustomerResponseSchema, { customer: { id: "c-1", email: "ada@example.com" } });
    };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => idempotently(orm.em.fork(), key, CreateCustomerResponseSchema, work)),
    );
    expect(runs).toBe(1);
    expect(new Set(answers.map((a) => a.customer?.id))).toEqual(new Set(["c-1"]));
  });

  it("does not share an execution between the same request_id with another body or in another tenant", async () => {
    const requestId = crypto.randomUUID();
    const tenantId = crypto.randomUUID();
    const keys = [
      keyFor(tenantId, requestId, "ada@example.com"),
      keyFor(tenantId, requestId, "grace@example.com"),
      keyFor(crypto.randomUUID(), requestId, "ada@example.com"),
    ];
    let runs = 0;
    const work = async (): Promise<CreateCustomerResponse> => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return create(CreateCustomerResponseSchema, {});
    };
    await Promise.all(keys.map((key) => idempotently(orm.em.fork(), key, CreateCustomerResponseSchema, work)));
    expect(runs).toBe(3);
  });

  it("runs calls without a request_id every time", async () => {
    let runs = 0;
    const work = (): Promise<CreateCustomerResponse> => {
      runs += 1;
      return Promise.resolve(create(CreateCustomerResponseSchema, {}));
    };
    await Promise.all([1, 2, 3].map(() => idempotently(orm.em.fork(), undefined, CreateCustomerResponseSchema, work)));
    expect(runs).toBe(3);
  });

  it("reads the records of many calls at once, each answered for its own key: a replay, a reuse, an expired one, none", async () => {
    const tenantId = crypto.randomUUID();
    const stored = Array.from({ length: 12 }, (_, i) =>
      keyFor(tenantId, crypto.randomUUID(), `buyer-${i}@example.com`),
    );
    const expired = keyFor(tenantId, crypto.randomUUID(), "old@example.com");
    const answer = (id: string) => create(CreateCustomerResponseSchema, { customer: { id, email: "x@example.com" } });
    const now = new Date();
    const em = orm.em.fork();
    stored.forEach((key, i) => recordResponse(em, key, CreateCustomerResponseSchema, answer(`c-${i}`), now));
    recordResponse(em, expired, CreateCustomerResponseSchema, answer("old"), new Date(now.getTime() - 48 * 3600_000));
    await em.flush();
    const reused = { ...(stored[0] ?? expired), requestHash: "another body" };
    const unused = keyFor(tenantId, crypto.randomUUID(), "new@example.com");

    const [replays, reuse, afterExpiry, none] = await Promise.all([
      Promise.all(stored.map((key) => findReplay(orm.em.fork(), key, CreateCustomerResponseSchema))),
      findReplay(orm.em.fork(), reused, CreateCustomerResponseSchema).then(
        () => undefined,
        (error: unknown) => error,
      ),
      findReplay(orm.em.fork(), expired, CreateCustomerResponseSchema),
      findReplay(orm.em.fork(), unused, CreateCustomerResponseSchema),
    ]);

    expect(replays.map((replay) => replay?.customer?.id)).toEqual(stored.map((_, i) => `c-${i}`));
    expect(reuse).toMatchObject({ kind: "already_exists", reason: "IDEMPOTENCY_KEY_REUSED" });
    expect(reuse).toBeInstanceOf(ServiceError);
    expect(afterExpiry).toBeUndefined();
    expect(none).toBeUndefined();
    // The expired record was deleted, so the key is free; inside a transaction the read is on its connection.
    await orm.em.fork().transactional(async (tx) => {
      expect(await findReplay(tx, expired, CreateCustomerResponseSchema)).toBeUndefined();
      expect((await findReplay(tx, stored[1] ?? expired, CreateCustomerResponseSchema))?.customer?.id).toBe("c-1");
    });
  });
});
