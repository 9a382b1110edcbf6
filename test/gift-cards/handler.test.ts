import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IssueGiftCardRequestSchema } from "../../gen/orders/v1/gift_cards_service_pb.js";
import { create } from "@bufbuild/protobuf";
import { IssueGiftCard } from "../../src/gift-cards/issue-gift-card.js";
import { query } from "../../src/platform/database/query.js";
import type { Clients } from "../support/clients.js";
import { Code, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { cardOf, DRAWN_CODE } from "./support.js";

let service: InMemoryService;
let tenantId: string;
let clients: Clients;
let viewer: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  tenantId = tenant.tenantId;
  clients = service.clients(tenant.key);
  viewer = service.clients(await service.newKey(tenant.tenantId, "viewer"));
});
afterAll(() => ifSetUp(service)?.close());

/** Every stored trace of a card as text: its row, its ledger rows, and the idempotency records of the tenant. */
async function storedText(giftCardId: string): Promise<string> {
  const { rows } = await query<{ text: string }>(
    service.app.orm.em.fork(),
    `select concat_ws(' ',
       (select row_to_json(g)::text from gift_cards g where id = $1),
       (select json_agg(t)::text from gift_card_transactions t where gift_card_id = $1),
       (select string_agg(encode(response, 'escape'), ' ') from idempotency_records where tenant_id = $2)) as text`,
    [giftCardId, tenantId],
  );
  return rows[0]?.text ?? "";
}

describe("IssueGiftCard", () => {
  it("draws a code, shows it once, and answers with the card's balances", async () => {
    const issued = cardOf(
      await clients.giftCards.issueGiftCard({ initialBalance: "50", currency: "USD", note: "for Ada" }),
    );
    expect(issued.code).toMatch(DRAWN_CODE);
    expect(issued).toMatchObject({
      lastCharacters: issued.code.slice(-4),
      initialBalance: "50.00",
      balance: "50.00",
      currency: "USD",
      disabled: false,
      note: "for Ada",
    });
    expect(issued.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(issued.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(issued.expireTime).toBeUndefined();

    const { code, ...withoutCode } = issued;
    const expected = { ...withoutCode, code: "" };
    expect(cardOf(await viewer.giftCards.getGiftCard({ id: issued.id }))).toEqual(expected);
    expect(cardOf(await viewer.giftCards.lookupGiftCard({ code: code.toLowerCase().replaceAll("-", " ") }))).toEqual(
      expected,
    );
    const { giftCards } = await viewer.giftCards.listGiftCards({});
    expect(giftCards.find((card) => card.id === issued.id)).toEqual(expected);
    expect(giftCards.every((card) => card.code === "")).toBe(true);
  });

  it("stores no trace of the code in clear: not in the card, its ledger or the idempotency record", async () => {
    const given = `Gift-${randomUUID().slice(0, 8)}-Card`;
    const requestId = randomUUID();
    const drawn = cardOf(await clients.giftCards.issueGiftCard({ initialBalance: "10", currency: "EUR", requestId }));
    const mine = cardOf(await clients.giftCards.issueGiftCard({ initialBalance: "10", currency: "EUR", code: given }));
    expect(mine.code).toBe(given);
    for (const [card, code] of [
      [drawn, drawn.code],
      [mine, given],
    ] as const) {
      const stored = (await storedText(card.id)).toUpperCase();
      expect(stored).toContain(card.id.toUpperCase());
      expect(stored).not.toContain(code.toUpperCase());
      expect(stored).not.toContain(code.toUpperCase().replaceAll("-", ""));
    }
  });

  it("takes the caller's code, compared without case, hyphens and spaces: a second card cannot have it", async () => {
    const code = `Ab12-${randomUUID().slice(0, 8)}`;
    const card = cardOf(await clients.giftCards.issueGiftCard({ initialBalance: "25.5", currency: "USD", code }));
    const normalized = code.replaceAll("-", "").toUpperCase();
    expect(card).toMatchObject({ code, lastCharacters: normalized.slice(-4), balance: "25.50" });
    expect(cardOf(await clients.giftCards.lookupGiftCard({ code: ` ${normalized.toLowerCase()} ` })).id).toBe(card.id);

    const again = await rejectionOf(
      clients.giftCards.issueGiftCard({ initialBalance: "1", currency: "USD", code: `--${normalized.toLowerCase()}` }),
    );
    expect(again).toMatchObject({
      code: Code.AlreadyExists,
      reason: "GIFT_CARD_CODE_TAKEN",
      metadata: { field: "code" },
    });
    expect(again.message).not.toContain(normalized);
  });

  it("answers a retry with the same request_id with the same card, without its code, and refuses its reuse", async () => {
    const requestId = randomUUID();
    const request = { initialBalance: "20", currency: "GBP", requestId };
    const first = cardOf(await clients.giftCards.issueGiftCard(request));
    expect(first.code).toMatch(DRAWN_CODE);
    const retry = cardOf(await clients.giftCards.issueGiftCard(request));
    expect(retry).toEqual({ ...first, code: "" });
    const { rows } = await query(
      service.app.orm.em.fork(),
      "select 1 from gift_card_transactions where gift_card_id = $1",
      [first.id],
    );
    expect(rows).toHaveLength(1);
    const reused = await rejectionOf(clients.giftCards.issueGiftCard({ ...request, initialBalance: "21" }));
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("keeps an expiry, to the millisecond", async () => {
    const expireTime = { seconds: BigInt(Math.floor(Date.now() / 1000) + 86_400), nanos: 123_456_789 };
    const card = cardOf(await clients.giftCards.issueGiftCard({ initialBalance: "5", currency: "USD", expireTime }));
    const kept = { seconds: expireTime.seconds, nanos: 123_000_000 };
    expect(card.expireTime).toMatchObject(kept);
    expect(cardOf(await clients.giftCards.getGiftCard({ id: card.id })).expireTime).toMatchObject(kept);
  });

  it("refuses bad input with a field violation per problem", async () => {
    const cases: [Record<string, unknown>, { field: string; reason: string }[]][] = [
      [{ currency: "USD" }, [{ field: "initial_balance", reason: "REQUIRED" }]],
      [{ initialBalance: "1" }, [{ field: "currency", reason: "REQUIRED" }]],
      [
        { initialBalance: "1,00", currency: "usd" },
        [
          { field: "initial_balance", reason: "INVALID_DECIMAL" },
          { field: "currency", reason: "INVALID_CURRENCY_CODE" },
        ],
      ],
      [{ initialBalance: "0", currency: "USD" }, [{ field: "initial_balance", reason: "AMOUNT_NOT_POSITIVE" }]],
      [
        { initialBalance: "1.001", currency: "USD" },
        [{ field: "initial_balance", reason: "TOO_MANY_FRACTION_DIGITS" }],
      ],
      [{ initialBalance: "1.5", currency: "JPY" }, [{ field: "initial_balance", reason: "TOO_MANY_FRACTION_DIGITS" }]],
      [{ initialBalance: "1", currency: "XTS" }, [{ field: "currency", reason: "UNKNOWN_CURRENCY" }]],
      ...["SHORT-1", "--------", "ABCD*EFGH", "ÄBCDEFGH", "A".repeat(65), "ABCD EFGH"].map(
        (code): [Record<string, unknown>, { field: string; reason: string }[]] => [
          { initialBalance: "1", currency: "USD", code },
          [{ field: "code", reason: "INVALID_GIFT_CARD_CODE" }],
        ],
      ),
      [
        { initialBalance: "1", currency: "USD", expireTime: { seconds: BigInt(Math.floor(Date.now() / 1000) - 1) } },
        [{ field: "expire_time", reason: "IN_PAST" }],
      ],
      [
        { initialBalance: "1", currency: "USD", expireTime: { seconds: 253402300800n } },
        [{ field: "expire_time", reason: "TIMESTAMP_GTE_LTE" }],
      ],
      [{ initialBalance: "1", currency: "USD", note: "x".repeat(501) }, [{ field: "note", reason: "STRING_MAX_LEN" }]],
      [{ initialBalance: "1", currency: "USD", requestId: "nope" }, [{ field: "request_id", reason: "STRING_UUID" }]],
    ];
    for (const [request, violations] of cases) {
      const error = await rejectionOf(clients.giftCards.issueGiftCard(request));
      expect({ request, code: error.code, violations: error.violations }).toEqual({
        request,
        code: Code.InvalidArgument,
        violations,
      });
    }
  });

  it("takes codes of 8 and 64 characters, hyphens anywhere", async () => {
    for (const code of [randomUUID().slice(0, 8), `-${randomUUID().replaceAll("-", "")}${"-".repeat(31)}`]) {
      const card = cardOf(await clients.giftCards.issueGiftCard({ initialBalance: "1", currency: "USD", code }));
      expect(card.code).toBe(code);
    }
  });

  it("draws another code when a drawn one is taken, and gives up after three", async () => {
    const taken = cardOf(await clients.giftCards.issueGiftCard({ initialBalance: "1", currency: "USD" })).code;
    const principal = { tenantId, apiKeyId: randomUUID(), role: "editor" as const, mode: "live" as const };
    const request = create(IssueGiftCardRequestSchema, { initialBalance: "2", currency: "USD" });
    const draws = [taken, taken.toLowerCase(), "WXYZ-WXYZ-WXYZ-" + randomUUID().slice(0, 4).toUpperCase()];
    const issued = await new IssueGiftCard(service.app.orm, () => draws.shift() ?? "").execute(principal, request);
    expect(issued.giftCard?.code).toMatch(/^WXYZ-/);
    expect(draws).toEqual([]);
    await expect(new IssueGiftCard(service.app.orm, () => taken).execute(principal, request)).rejects.toThrow(
      /gift_cards_tenant_id_code_hash_unique/,
    );
  });
});

describe("GetGiftCard and LookupGiftCard", () => {
  it("answer NOT_FOUND GIFT_CARD_NOT_FOUND for an unknown card and another tenant's", async () => {
    const code = `Find-${randomUUID().slice(0, 8)}`;
    const card = cardOf(await clients.giftCards.issueGiftCard({ initialBalance: "1", currency: "USD", code }));
    const otherTenant = service.clients((await service.newTenant()).key);
    const unknown = randomUUID();
    expect(await rejectionOf(clients.giftCards.getGiftCard({ id: unknown }))).toMatchObject({
      code: Code.NotFound,
      reason: "GIFT_CARD_NOT_FOUND",
      metadata: { giftCardId: unknown },
    });
    for (const caller of [otherTenant]) {
      expect(await rejectionOf(caller.giftCards.getGiftCard({ id: card.id }))).toMatchObject({
        code: Code.NotFound,
        reason: "GIFT_CARD_NOT_FOUND",
      });
      expect(await rejectionOf(caller.giftCards.lookupGiftCard({ code }))).toMatchObject({
        code: Code.NotFound,
        reason: "GIFT_CARD_NOT_FOUND",
      });
    }
    for (const wrong of [`${code}x`, "- -", "ß".repeat(8)]) {
      const error = await rejectionOf(clients.giftCards.lookupGiftCard({ code: wrong }));
      expect(error).toMatchObject({ code: Code.NotFound, reason: "GIFT_CARD_NOT_FOUND", metadata: {} });
      expect(error.message).not.toContain(wrong);
    }
    expect((await rejectionOf(clients.giftCards.lookupGiftCard({ code: "" }))).violations).toEqual([
      { field: "code", reason: "REQUIRED" },
    ]);
    expect((await rejectionOf(clients.giftCards.getGiftCard({ id: "nope" }))).violations).toEqual([
      { field: "id", reason: "STRING_UUID" },
    ]);
  });

  it("show test and live keys the same cards: gift cards are the tenant's, not a mode's (docs/test-mode.md)", async () => {
    const test = service.clients(await service.newKey(tenantId, "editor", "test"));
    const code = `Both-${randomUUID().slice(0, 8)}`;
    const card = cardOf(await test.giftCards.issueGiftCard({ initialBalance: "1", currency: "USD", code }));
    expect(cardOf(await clients.giftCards.lookupGiftCard({ code })).id).toBe(card.id);
    expect(cardOf(await clients.giftCards.getGiftCard({ id: card.id })).id).toBe(card.id);
    const taken = await rejectionOf(clients.giftCards.issueGiftCard({ initialBalance: "1", currency: "USD", code }));
    expect(taken).toMatchObject({ code: Code.AlreadyExists, reason: "GIFT_CARD_CODE_TAKEN" });
    expect(cardOf(await test.giftCards.disableGiftCard({ id: card.id })).disabled).toBe(true);
  });

  it("let viewers read but not issue or disable, and need a key", async () => {
    const card = cardOf(await clients.giftCards.issueGiftCard({ initialBalance: "1", currency: "USD" }));
    expect(await rejectionOf(viewer.giftCards.issueGiftCard({ initialBalance: "1", currency: "USD" }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
      metadata: { requiredRole: "editor", role: "viewer" },
    });
    expect(await rejectionOf(viewer.giftCards.disableGiftCard({ id: card.id }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
    });
    expect(cardOf(await viewer.giftCards.getGiftCard({ id: card.id })).disabled).toBe(false);
    expect((await viewer.giftCards.listGiftCardTransactions({ giftCardId: card.id })).transactions).toHaveLength(1);
    const anonymous = await rejectionOf(service.clients(undefined).giftCards.getGiftCard({ id: card.id }));
    expect(anonymous.code).toBe(Code.Unauthenticated);
  });
});
