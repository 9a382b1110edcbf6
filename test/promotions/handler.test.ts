import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PromotionKind, PromotionSchema, type Promotion } from "../../gen/orders/v1/promotion_pb.js";
import {
  CreatePromotionRequestSchema,
  CreatePromotionResponseSchema,
} from "../../gen/orders/v1/promotions_service_pb.js";
import { idempotencyKey } from "../../src/platform/idempotency/idempotency.js";
import type { Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { insertIdempotencyRecord } from "../support/idempotency-records.js";
import { waitFor } from "../support/wait-for.js";

let service: InMemoryService;
let tenantId: string;
let clients: Clients;
let viewer: Clients;
let db: pg.Pool;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  tenantId = tenant.tenantId;
  clients = service.clients(tenant.key);
  viewer = service.clients(await service.newKey(tenant.tenantId, "viewer"));
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 2 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.close();
});

/** A Promotion as a request may give it. */
type PromotionInit = Exclude<MessageInitShape<typeof PromotionSchema>, Promotion>;

function promotionOf(response: { promotion?: Promotion }): Promotion {
  if (!response.promotion) throw new Error("no promotion in the response");
  return response.promotion;
}

/** A code no other test of the run has (codes are unique per tenant). */
function code(prefix = "CODE"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

const summer = (): PromotionInit => ({
  displayName: "Summer sale",
  description: "15 % off everything in July",
  kind: PromotionKind.ORDER_PERCENTAGE,
  value: "15.0",
  codes: [code("SUMMER"), code("summer")],
  startTime: { seconds: 1_782_864_000n },
  endTime: { seconds: 1_785_542_400n },
  usageLimit: 100,
  perCustomerLimit: 1,
});

async function newPromotion(overrides: PromotionInit = {}, as = clients): Promise<Promotion> {
  return promotionOf(await as.promotions.createPromotion({ promotion: { ...summer(), ...overrides } }));
}

describe("CreatePromotion and GetPromotion", () => {
  it("creates a promotion, active, with its codes in order and its value as the contract writes it", async () => {
    const given = summer();
    const promotion = await newPromotion(given);
    expect(promotion).toMatchObject({
      displayName: "Summer sale",
      description: "15 % off everything in July",
      kind: PromotionKind.ORDER_PERCENTAGE,
      value: "15",
      currency: "",
      codes: given.codes,
      minimumSubtotal: "",
      startTime: { seconds: 1_782_864_000n, nanos: 0 },
      endTime: { seconds: 1_785_542_400n, nanos: 0 },
      usageLimit: 100,
      perCustomerLimit: 1,
      usageCount: 0,
      active: true,
      skus: [],
      productIds: [],
    });
    expect(promotion.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(promotion.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(promotionOf(await viewer.promotions.getPromotion({ id: promotion.id }))).toEqual(promotion);
  });

  it("creates every kind, amounts with the currency's minor units, and inactive when asked", async () => {
    const productId = randomUUID();
    const fixed = await newPromotion({
      kind: PromotionKind.ORDER_FIXED_AMOUNT,
      value: "10",
      currency: "USD",
      minimumSubtotal: "50.5",
      usageLimit: undefined,
      perCustomerLimit: undefined,
      startTime: undefined,
      endTime: undefined,
      codes: [code()],
    });
    expect(fixed).toMatchObject({ value: "10.00", currency: "USD", minimumSubtotal: "50.50" });
    expect(fixed.usageLimit).toBeUndefined();
    expect(fixed.startTime).toBeUndefined();

    const items = await newPromotion({
      kind: PromotionKind.ITEM_PERCENTAGE,
      value: "12.5",
      skus: ["INJ-6.7-CR"],
      productIds: [productId],
      codes: [code()],
    });
    expect(items).toMatchObject({ value: "12.5", skus: ["INJ-6.7-CR"], productIds: [productId] });

    const yen = await newPromotion({
      kind: PromotionKind.ITEM_FIXED_AMOUNT,
      value: "500",
      currency: "JPY",
      productIds: [productId],
      codes: [code()],
    });
    expect(yen).toMatchObject({ value: "500", currency: "JPY" });

    const shipping = await newPromotion({
      kind: PromotionKind.FREE_SHIPPING,
      value: "",
      currency: "EUR",
      active: false,
      codes: [code()],
    });
    expect(shipping).toMatchObject({ kind: PromotionKind.FREE_SHIPPING, value: "", currency: "EUR", active: false });
  });

  it("answers a retry with the same request_id as the first call, and refuses its reuse for another request", async () => {
    const requestId = randomUUID();
    const promotion = { ...summer(), codes: [code()] };
    const first = promotionOf(await clients.promotions.createPromotion({ promotion, requestId }));
    const again = promotionOf(await clients.promotions.createPromotion({ promotion, requestId }));
    expect(again).toEqual(first);
    const reused = await rejectionOf(
      clients.promotions.createPromotion({ promotion: { ...promotion, displayName: "Other" }, requestId }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("answers the same request_id sent twice at once with one promotion", async () => {
    const requestId = randomUUID();
    const promotion = { ...summer(), codes: [code()] };
    const answers = await Promise.all([1, 2].map(() => clients.promotions.createPromotion({ promotion, requestId })));
    expect(promotionOf(answers[1] ?? {})).toEqual(promotionOf(answers[0] ?? {}));
  });

  it("the same request_id on two replicas at once: the one that finds its code taken answers as the winner", async () => {
    const twin = code("TWIN");
    const promotion = { ...summer(), codes: [twin] };
    const request = create(CreatePromotionRequestSchema, { promotion, requestId: randomUUID() });
    // The winner is another replica, played here by a transaction writing what its CreatePromotion writes.
    const winnerId = randomUUID();
    const answer = create(CreatePromotionResponseSchema, {
      promotion: create(PromotionSchema, { ...promotion, id: winnerId, etag: "0123456789abcdef" }),
    });
    const key = idempotencyKey(
      tenantId,
      "orders.v1.PromotionsService/CreatePromotion",
      CreatePromotionRequestSchema,
      request,
    );
    const other = await db.connect();
    try {
      await other.query("begin");
      await other.query(
        "insert into promotions (id, tenant_id, display_name, kind, value, active) values ($1, $2, 'Summer sale', 'ORDER_PERCENTAGE', 15, true)",
        [winnerId, tenantId],
      );
      await other.query(
        "insert into promotion_codes (promotion_id, position, tenant_id, code) values ($1, 0, $2, $3)",
        [winnerId, tenantId, twin],
      );
      await insertIdempotencyRecord(other, key, CreatePromotionResponseSchema, answer);
      const call = clients.promotions.createPromotion(request);
      await waitFor("CreatePromotion to wait for the uncommitted code", async () => {
        const { rows } = await db.query(
          "select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%insert into promotion_codes%'",
        );
        return rows.length > 0;
      });
      await other.query("commit");
      expect(await call).toEqual(answer);
    } finally {
      other.release(true);
    }
    const listed = await clients.promotions.listPromotions({ code: twin });
    expect(listed.promotions.map((p) => p.id)).toEqual([winnerId]);
  });

  it("refuses what the contract's field rules refuse, at each field", async () => {
    const error = await rejectionOf(
      clients.promotions.createPromotion({
        promotion: {
          ...summer(),
          displayName: "x".repeat(101),
          value: "1.23456",
          currency: "usd",
          codes: ["ab", "GOOD_CODE", "has space"],
          productIds: ["nope"],
          usageLimit: 0,
          perCustomerLimit: -1,
        },
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual([
      { field: "promotion.display_name", reason: "STRING_MAX_LEN" },
      { field: "promotion.value", reason: "INVALID_DECIMAL" },
      { field: "promotion.currency", reason: "INVALID_CURRENCY_CODE" },
      { field: "promotion.product_ids[0]", reason: "STRING_UUID" },
      { field: "promotion.codes[0]", reason: "INVALID_PROMOTION_CODE" },
      { field: "promotion.codes[2]", reason: "INVALID_PROMOTION_CODE" },
      { field: "promotion.usage_limit", reason: "INT32_GTE" },
      { field: "promotion.per_customer_limit", reason: "INT32_GTE" },
    ]);
    const none = await rejectionOf(clients.promotions.createPromotion({}));
    expect(none.violations).toEqual([{ field: "promotion", reason: "REQUIRED" }]);
  });

  it("refuses a promotion that breaks the rules tying its fields together, naming every field, and writes nothing", async () => {
    const codes = [code()];
    const cases: [PromotionInit, { field: string; reason: string }[]][] = [
      [
        { displayName: "", kind: PromotionKind.UNSPECIFIED, codes: [] },
        [
          { field: "promotion.display_name", reason: "REQUIRED" },
          { field: "promotion.kind", reason: "REQUIRED" },
          { field: "promotion.codes", reason: "REQUIRED" },
        ],
      ],
      [{ value: "0" }, [{ field: "promotion.value", reason: "PERCENT_OUT_OF_RANGE" }]],
      [{ value: "100.01" }, [{ field: "promotion.value", reason: "PERCENT_OUT_OF_RANGE" }]],
      [{ value: "" }, [{ field: "promotion.value", reason: "REQUIRED" }]],
      [
        { kind: PromotionKind.ORDER_FIXED_AMOUNT, value: "0" },
        [
          { field: "promotion.value", reason: "AMOUNT_NOT_POSITIVE" },
          { field: "promotion.currency", reason: "REQUIRED" },
        ],
      ],
      [
        { kind: PromotionKind.ORDER_FIXED_AMOUNT, value: "10.005", currency: "USD", minimumSubtotal: "1.001" },
        [
          { field: "promotion.value", reason: "TOO_MANY_FRACTION_DIGITS" },
          { field: "promotion.minimum_subtotal", reason: "TOO_MANY_FRACTION_DIGITS" },
        ],
      ],
      [{ currency: "XXX" }, [{ field: "promotion.currency", reason: "UNKNOWN_CURRENCY" }]],
      [{ kind: PromotionKind.ITEM_PERCENTAGE, value: "10" }, [{ field: "promotion.skus", reason: "ITEMS_REQUIRED" }]],
      [
        { skus: ["A"], productIds: [randomUUID()] },
        [
          { field: "promotion.skus", reason: "NOT_ALLOWED" },
          { field: "promotion.product_ids", reason: "NOT_ALLOWED" },
        ],
      ],
      [{ kind: PromotionKind.FREE_SHIPPING, value: "5" }, [{ field: "promotion.value", reason: "NOT_ALLOWED" }]],
      [
        { startTime: { seconds: 1_800_000_000n }, endTime: { seconds: 1_800_000_000n } },
        [{ field: "promotion.end_time", reason: "END_BEFORE_START" }],
      ],
      [
        { startTime: { seconds: 1n, nanos: -1 }, createTime: { seconds: 1n, nanos: 1_000_000_000 } },
        [
          { field: "promotion.start_time", reason: "INVALID_TIMESTAMP" },
          { field: "promotion.create_time", reason: "INVALID_TIMESTAMP" },
        ],
      ],
    ];
    for (const [overrides, violations] of cases) {
      const error = await rejectionOf(
        clients.promotions.createPromotion({
          promotion: { ...summer(), codes, ...overrides },
          requestId: randomUUID(),
        }),
      );
      expect({ overrides, code: error.code, violations: error.violations }).toEqual({
        overrides,
        code: Code.InvalidArgument,
        violations,
      });
    }
    const listed = await clients.promotions.listPromotions({ code: codes[0] });
    expect(listed.promotions).toEqual([]);
  });

  it("refuses a code given twice, or that another promotion has, in any case; other tenants may have it", async () => {
    const taken = code("TAKEN");
    const twice = await rejectionOf(
      clients.promotions.createPromotion({ promotion: { ...summer(), codes: [taken, code(), taken.toLowerCase()] } }),
    );
    expect(twice).toMatchObject({
      code: Code.AlreadyExists,
      reason: "PROMOTION_CODE_TAKEN",
      metadata: { code: taken.toLowerCase(), field: "promotion.codes[2]" },
    });

    const holder = await newPromotion({ codes: [taken] });
    const free = code();
    const error = await rejectionOf(
      clients.promotions.createPromotion({ promotion: { ...summer(), codes: [free, taken.toLowerCase()] } }),
    );
    expect(error).toMatchObject({
      code: Code.AlreadyExists,
      reason: "PROMOTION_CODE_TAKEN",
      metadata: { code: taken.toLowerCase(), field: "promotion.codes[1]", promotionId: holder.id },
    });
    // Nothing of the refused promotion was kept: its other code is still free.
    expect((await newPromotion({ codes: [free] })).codes).toEqual([free]);

    const other = service.clients((await service.newTenant()).key);
    expect((await newPromotion({ codes: [taken] }, other)).codes).toEqual([taken]);
  });

  it("gives a code to exactly one of two concurrent creates", async () => {
    const contested = code("RACE");
    const results = await Promise.allSettled(
      ["Left", "Right"].map((displayName) =>
        clients.promotions.createPromotion({ promotion: { ...summer(), displayName, codes: [contested] } }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(observedError(lost?.reason)).toMatchObject({ code: Code.AlreadyExists, reason: "PROMOTION_CODE_TAKEN" });
  });

  it("answers an unknown id and another tenant's promotion as NOT_FOUND PROMOTION_NOT_FOUND", async () => {
    const promotion = await newPromotion({ codes: [code()] });
    const unknown = randomUUID();
    expect(await rejectionOf(clients.promotions.getPromotion({ id: unknown }))).toMatchObject({
      code: Code.NotFound,
      reason: "PROMOTION_NOT_FOUND",
      metadata: { promotionId: unknown },
    });
    const other = service.clients((await service.newTenant("admin")).key);
    expect(await rejectionOf(other.promotions.getPromotion({ id: promotion.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "PROMOTION_NOT_FOUND",
    });
  });

  it("lets viewers read but not write", async () => {
    const promotion = await newPromotion({ codes: [code()] });
    const denied = { code: Code.PermissionDenied, reason: "ROLE_REQUIRED" };
    expect(await rejectionOf(viewer.promotions.createPromotion({ promotion: summer() }))).toMatchObject({
      ...denied,
      metadata: { requiredRole: "editor", role: "viewer" },
    });
    expect(
      await rejectionOf(
        viewer.promotions.updatePromotion({
          promotion: { id: promotion.id, displayName: "Renamed" },
          updateMask: { paths: ["display_name"] },
        }),
      ),
    ).toMatchObject(denied);
    expect(await rejectionOf(viewer.promotions.deactivatePromotion({ id: promotion.id }))).toMatchObject(denied);
    expect((await viewer.promotions.listPromotions({})).promotions.length).toBeGreaterThan(0);
    expect(promotionOf(await clients.promotions.getPromotion({ id: promotion.id })).active).toBe(true);
  });

  it("needs a key", async () => {
    const error = await rejectionOf(service.clients(undefined).promotions.getPromotion({ id: randomUUID() }));
    expect(error.code).toBe(Code.Unauthenticated);
  });
});

describe("UpdatePromotion", () => {
  it("sets exactly the masked fields, replaces the codes, and changes the etag", async () => {
    const promotion = await newPromotion();
    const [first, second] = promotion.codes;
    const added = code("NEW");
    const updated = promotionOf(
      await clients.promotions.updatePromotion({
        promotion: {
          id: promotion.id,
          etag: promotion.etag,
          displayName: "Summer sale, extended",
          description: "ignored: not in the mask",
          value: "20",
          codes: [second?.toUpperCase() ?? "", added],
          endTime: { seconds: 1_788_220_800n },
        },
        updateMask: { paths: ["display_name", "value", "codes", "end_time"] },
      }),
    );
    expect(updated).toMatchObject({
      displayName: "Summer sale, extended",
      description: promotion.description,
      value: "20",
      codes: [second?.toUpperCase(), added],
      endTime: { seconds: 1_788_220_800n },
      usageLimit: 100,
    });
    expect(updated.etag).not.toBe(promotion.etag);
    expect(promotionOf(await clients.promotions.getPromotion({ id: promotion.id }))).toEqual(updated);
    // The code the update left out is free for another promotion at once.
    expect((await newPromotion({ codes: [first ?? ""] })).codes).toEqual([first]);
  });

  it("clears optional fields named but left out, and reads * as every updatable field", async () => {
    const promotion = await newPromotion({ minimumSubtotal: "25" });
    const cleared = promotionOf(
      await clients.promotions.updatePromotion({
        promotion: { id: promotion.id },
        updateMask: {
          paths: ["description", "minimum_subtotal", "start_time", "end_time", "usage_limit", "per_customer_limit"],
        },
      }),
    );
    expect(cleared).toMatchObject({ description: "", minimumSubtotal: "", value: "15", active: true });
    expect(cleared.startTime).toBeUndefined();
    expect(cleared.usageLimit).toBeUndefined();
    expect(cleared.perCustomerLimit).toBeUndefined();

    const codes = [code()];
    const all = promotionOf(
      await clients.promotions.updatePromotion({
        promotion: {
          id: promotion.id,
          displayName: "Ten off",
          kind: PromotionKind.ORDER_FIXED_AMOUNT,
          value: "10",
          currency: "EUR",
          codes,
          active: true,
        },
        updateMask: { paths: ["*"] },
      }),
    );
    expect(all).toMatchObject({
      displayName: "Ten off",
      kind: PromotionKind.ORDER_FIXED_AMOUNT,
      value: "10.00",
      currency: "EUR",
      codes,
      active: true,
      description: "",
    });
  });

  it("checks the promotion as changed: a new kind may need other fields with it", async () => {
    const promotion = await newPromotion();
    const error = await rejectionOf(
      clients.promotions.updatePromotion({
        promotion: { id: promotion.id, kind: PromotionKind.ITEM_FIXED_AMOUNT },
        updateMask: { paths: ["kind"] },
      }),
    );
    expect(error.violations).toEqual([
      { field: "promotion.currency", reason: "REQUIRED" },
      { field: "promotion.skus", reason: "ITEMS_REQUIRED" },
    ]);
    const shipping = promotionOf(
      await clients.promotions.updatePromotion({
        promotion: { id: promotion.id, kind: PromotionKind.FREE_SHIPPING },
        updateMask: { paths: ["kind", "value"] },
      }),
    );
    expect(shipping).toMatchObject({ kind: PromotionKind.FREE_SHIPPING, value: "" });
  });

  it("refuses a bad mask, a bad id and cleared required fields, naming each", async () => {
    const promotion = await newPromotion();
    const empty = await rejectionOf(
      clients.promotions.updatePromotion({ promotion: { id: promotion.id }, updateMask: {} }),
    );
    expect(empty.violations).toEqual([{ field: "update_mask", reason: "REQUIRED" }]);
    const bad = await rejectionOf(
      clients.promotions.updatePromotion({
        promotion: { id: "nope" },
        updateMask: { paths: ["display_name", "usage_count"] },
      }),
    );
    expect(bad.violations).toEqual([
      { field: "promotion.id", reason: "INVALID_UUID" },
      { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
    ]);
    const cleared = await rejectionOf(
      clients.promotions.updatePromotion({
        promotion: { id: promotion.id },
        updateMask: { paths: ["display_name", "kind", "codes"] },
      }),
    );
    expect(cleared.violations).toEqual([
      { field: "promotion.display_name", reason: "REQUIRED" },
      { field: "promotion.kind", reason: "REQUIRED" },
      { field: "promotion.codes", reason: "REQUIRED" },
    ]);
    const noPromotion = await rejectionOf(clients.promotions.updatePromotion({ updateMask: { paths: ["value"] } }));
    expect(noPromotion.violations).toEqual([{ field: "promotion", reason: "REQUIRED" }]);
    expect(promotionOf(await clients.promotions.getPromotion({ id: promotion.id }))).toEqual(promotion);
  });

  it("refuses a code another promotion has, or one given twice, and keeps its own codes", async () => {
    const holder = await newPromotion();
    const promotion = await newPromotion();
    const taken = await rejectionOf(
      clients.promotions.updatePromotion({
        promotion: { id: promotion.id, codes: [code(), holder.codes[1]?.toUpperCase() ?? ""] },
        updateMask: { paths: ["codes"] },
      }),
    );
    expect(taken).toMatchObject({
      code: Code.AlreadyExists,
      reason: "PROMOTION_CODE_TAKEN",
      metadata: { field: "promotion.codes[1]", promotionId: holder.id },
    });
    const own = promotion.codes[0] ?? "";
    const twice = await rejectionOf(
      clients.promotions.updatePromotion({
        promotion: { id: promotion.id, codes: [own, own.toLowerCase()] },
        updateMask: { paths: ["codes"] },
      }),
    );
    expect(twice).toMatchObject({ reason: "PROMOTION_CODE_TAKEN", metadata: { field: "promotion.codes[1]" } });
    expect(promotionOf(await clients.promotions.getPromotion({ id: promotion.id }))).toEqual(promotion);
  });

  it("refuses a stale etag with ABORTED ETAG_MISMATCH and changes nothing", async () => {
    const promotion = await newPromotion();
    await clients.promotions.updatePromotion({
      promotion: { id: promotion.id, etag: promotion.etag, displayName: "First" },
      updateMask: { paths: ["display_name"] },
    });
    const stale = await rejectionOf(
      clients.promotions.updatePromotion({
        promotion: { id: promotion.id, etag: promotion.etag, displayName: "Second" },
        updateMask: { paths: ["display_name"] },
      }),
    );
    expect(stale).toMatchObject({
      code: Code.Aborted,
      reason: "ETAG_MISMATCH",
      metadata: { promotionId: promotion.id },
    });
    expect(promotionOf(await clients.promotions.getPromotion({ id: promotion.id })).displayName).toBe("First");
  });

  it("answers an unknown promotion and another tenant's promotion as NOT_FOUND", async () => {
    const promotion = await newPromotion();
    const other = service.clients((await service.newTenant()).key);
    for (const [caller, id] of [
      [clients, randomUUID()],
      [other, promotion.id],
    ] as const) {
      const error = await rejectionOf(
        caller.promotions.updatePromotion({
          promotion: { id, displayName: "X" },
          updateMask: { paths: ["display_name"] },
        }),
      );
      expect(error).toMatchObject({
        code: Code.NotFound,
        reason: "PROMOTION_NOT_FOUND",
        metadata: { promotionId: id },
      });
    }
  });

  it("replays a retry with the same request_id, even after a later change, and refuses its reuse", async () => {
    const promotion = await newPromotion();
    const request = {
      promotion: { id: promotion.id, etag: promotion.etag, codes: [code()] },
      updateMask: { paths: ["codes"] },
      requestId: randomUUID(),
    };
    const first = await clients.promotions.updatePromotion(request);
    await clients.promotions.updatePromotion({
      promotion: { id: promotion.id, displayName: "Later" },
      updateMask: { paths: ["display_name"] },
    });
    expect(await clients.promotions.updatePromotion(request)).toEqual(first);
    const reused = await rejectionOf(
      clients.promotions.updatePromotion({ ...request, promotion: { id: promotion.id, displayName: "Y" } }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("lets exactly one of two concurrent updates under the same etag win", async () => {
    const promotion = await newPromotion();
    const results = await Promise.allSettled(
      ["Left", "Right"].map((displayName) =>
        clients.promotions.updatePromotion({
          promotion: { id: promotion.id, etag: promotion.etag, displayName },
          updateMask: { paths: ["display_name"] },
        }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(observedError(lost?.reason)).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
  });
});

describe("DeactivatePromotion", () => {
  it("deactivates, keeps the codes reserved, refuses a second time, and UpdatePromotion reactivates", async () => {
    const promotion = await newPromotion();
    const inactive = promotionOf(
      await clients.promotions.deactivatePromotion({ id: promotion.id, etag: promotion.etag }),
    );
    expect(inactive).toMatchObject({ active: false, codes: promotion.codes });
    expect(inactive.etag).not.toBe(promotion.etag);
    expect(await rejectionOf(clients.promotions.deactivatePromotion({ id: promotion.id }))).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "PROMOTION_INACTIVE",
      metadata: { promotionId: promotion.id },
    });
    expect(
      await rejectionOf(clients.promotions.createPromotion({ promotion: { ...summer(), codes: promotion.codes } })),
    ).toMatchObject({ reason: "PROMOTION_CODE_TAKEN" });
    const active = promotionOf(
      await clients.promotions.updatePromotion({
        promotion: { id: promotion.id, active: true },
        updateMask: { paths: ["active"] },
      }),
    );
    expect(active.active).toBe(true);
  });

  it("refuses a stale etag and an unknown promotion", async () => {
    const promotion = await newPromotion();
    await clients.promotions.updatePromotion({
      promotion: { id: promotion.id, displayName: "Changed" },
      updateMask: { paths: ["display_name"] },
    });
    expect(
      await rejectionOf(clients.promotions.deactivatePromotion({ id: promotion.id, etag: promotion.etag })),
    ).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    const unknown = randomUUID();
    expect(await rejectionOf(clients.promotions.deactivatePromotion({ id: unknown }))).toMatchObject({
      code: Code.NotFound,
      reason: "PROMOTION_NOT_FOUND",
      metadata: { promotionId: unknown },
    });
    expect(promotionOf(await clients.promotions.getPromotion({ id: promotion.id })).active).toBe(true);
  });

  it("answers a retry with the same request_id as the first call, not as a second deactivation", async () => {
    const promotion = await newPromotion();
    const request = { id: promotion.id, requestId: randomUUID() };
    const first = await clients.promotions.deactivatePromotion(request);
    expect(await clients.promotions.deactivatePromotion(request)).toEqual(first);
    const reused = await rejectionOf(clients.promotions.deactivatePromotion({ ...request, etag: promotion.etag }));
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });
});

describe("ListPromotions", () => {
  it("pages through the tenant's promotions newest first, filtered by active and by code in any case", async () => {
    const own = service.clients((await service.newTenant()).key);
    const names = ["One", "Two", "Three", "Four", "Five"];
    const created: Promotion[] = [];
    for (const displayName of names) created.push(await newPromotion({ displayName }, own));
    await own.promotions.deactivatePromotion({ id: created[1]?.id ?? "" });
    await own.promotions.deactivatePromotion({ id: created[3]?.id ?? "" });

    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await own.promotions.listPromotions({ pageSize: 2, pageToken });
      expect(page.promotions.length).toBeLessThanOrEqual(2);
      seen.push(...page.promotions.map((p) => p.displayName));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual([...names].reverse());

    const active = await own.promotions.listPromotions({ active: true, pageSize: 2 });
    expect(active.promotions.map((p) => p.displayName)).toEqual(["Five", "Three"]);
    const rest = await own.promotions.listPromotions({ active: true, pageSize: 2, pageToken: active.nextPageToken });
    expect(rest).toMatchObject({ promotions: [{ displayName: "One" }], nextPageToken: "" });
    const inactive = await own.promotions.listPromotions({ active: false });
    expect(inactive.promotions.map((p) => p.displayName)).toEqual(["Four", "Two"]);

    const byCode = await own.promotions.listPromotions({ code: created[2]?.codes[1]?.toUpperCase() ?? "" });
    expect(byCode.promotions).toEqual([created[2]]);
    expect((await own.promotions.listPromotions({ code: "NO-SUCH-CODE" })).promotions).toEqual([]);
  });

  it("refuses a token of other filters, a made-up one, and one of ListCompanies", async () => {
    const own = service.clients((await service.newTenant()).key);
    for (const displayName of ["A", "B", "C"]) await newPromotion({ displayName }, own);
    const page = await own.promotions.listPromotions({ pageSize: 1 });
    const changed = await rejectionOf(
      own.promotions.listPromotions({ pageSize: 1, pageToken: page.nextPageToken, active: true }),
    );
    expect(changed.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
    const madeUp = await rejectionOf(own.promotions.listPromotions({ pageToken: "abc.def" }));
    expect(madeUp.violations).toEqual([{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }]);
    for (const name of ["X", "Y"]) await own.companies.createCompany({ name });
    const companies = await own.companies.listCompanies({ pageSize: 1 });
    const foreign = await rejectionOf(
      own.promotions.listPromotions({ pageSize: 1, pageToken: companies.nextPageToken }),
    );
    expect(foreign.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
  });

  it("shows no other tenant's promotions", async () => {
    const tenant = await service.newTenant();
    expect((await service.clients(tenant.key).promotions.listPromotions({})).promotions).toEqual([]);
  });
});
