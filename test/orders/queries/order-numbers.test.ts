import { randomUUID } from "node:crypto";
import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allocateOrderNumber } from "../../../src/orders/queries/order-numbers.js";
import { createOrm } from "../../../src/database.js";
import { testDatabaseUrl } from "../../support/database.js";

let orm: MikroORM;

beforeAll(async () => {
  orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 16 });
});

afterAll(async () => {
  await orm.close(true);
});

describe("allocateOrderNumber", () => {
  it("gives 64 concurrent callers of one tenant 64 unique numbers from 1001 on", async () => {
    const tenantId = randomUUID();
    const numbers = await Promise.all(Array.from({ length: 64 }, () => allocateOrderNumber(orm.em.fork(), tenantId)));
    const values = numbers.map(Number).sort((a, b) => a - b);
    expect(new Set(values).size).toBe(64);
    expect(values).toEqual(Array.from({ length: 64 }, (_, i) => 1001 + i));
  });

  it("counts up within a tenant and keeps tenants independent", async () => {
    const a = randomUUID();
    const b = randomUUID();
    const em = orm.em.fork();
    expect(await allocateOrderNumber(em, a)).toBe("1001");
    expect(await allocateOrderNumber(em, a)).toBe("1002");
    expect(await allocateOrderNumber(em, b)).toBe("1001");
    expect(await allocateOrderNumber(em, a)).toBe("1003");
    expect(await allocateOrderNumber(em, b)).toBe("1002");
  });

  it("does not join the caller's transaction: the number survives a rollback and the row is not held", async () => {
    const tenantId = randomUUID();
    const rolledBack = new Error("roll back");
    let insideTransaction = "";
    await expect(
      orm.em.fork().transactional(async (em) => {
        insideTransaction = await allocateOrderNumber(em, tenantId);
        // while the caller's transaction is still open, another caller is not blocked by it
        expect(await allocateOrderNumber(orm.em.fork(), tenantId)).toBe("1002");
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(insideTransaction).toBe("1001");
    // had it joined the transaction, the rollback would have taken 1001 back
    expect(await allocateOrderNumber(orm.em.fork(), tenantId)).toBe("1003");
  });
});
