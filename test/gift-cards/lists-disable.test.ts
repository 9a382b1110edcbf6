import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GiftCardTransactionKind } from "../../gen/orders/v1/gift_card_pb.js";
import { creditGiftCards, debitGiftCards } from "../../src/gift-cards/public.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { cardOf } from "./support.js";

let service: InMemoryService;
let tenantId: string;
let clients: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  tenantId = tenant.tenantId;
  clients = service.clients(tenant.key);
});
afterAll(() => ifSetUp(service)?.close());

const issue = async (initialBalance = "100", currency = "USD") =>
  cardOf(await clients.giftCards.issueGiftCard({ initialBalance, currency }));

describe("DisableGiftCard", () => {
  it("disables a card for good, keeping its balance, and changes the etag", async () => {
    const card = await issue("40");
    const disabled = cardOf(await clients.giftCards.disableGiftCard({ id: card.id, etag: card.etag }));
    expect(disabled).toMatchObject({ id: card.id, disabled: true, balance: "40.00", code: "" });
    expect(disabled.etag).not.toBe(card.etag);
    expect(cardOf(await clients.giftCards.getGiftCard({ id: card.id }))).toEqual(disabled);

    const again = await rejectionOf(clients.giftCards.disableGiftCard({ id: card.id }));
    expect(again).toMatchObject({
      code: Code.FailedPrecondition,
      reason: "GIFT_CARD_DISABLED",
      metadata: { giftCardId: card.id },
    });
  });

  it("refuses a stale etag with ABORTED ETAG_MISMATCH, a balance change included", async () => {
    const card = await issue("40");
    await debitGiftCards(service.app.orm.em.fork(), tenantId, randomUUID(), [{ giftCardId: card.id, amount: "1" }]);
    const stale = await rejectionOf(clients.giftCards.disableGiftCard({ id: card.id, etag: card.etag }));
    expect(stale).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { giftCardId: card.id } });
    const read = cardOf(await clients.giftCards.getGiftCard({ id: card.id }));
    expect(read).toMatchObject({ disabled: false, balance: "39.00" });
    expect(cardOf(await clients.giftCards.disableGiftCard({ id: card.id, etag: read.etag })).disabled).toBe(true);
  });

  it("replays a retry with the same request_id, and refuses its reuse", async () => {
    const card = await issue();
    const requestId = randomUUID();
    const first = await clients.giftCards.disableGiftCard({ id: card.id, etag: card.etag, requestId });
    expect(await clients.giftCards.disableGiftCard({ id: card.id, etag: card.etag, requestId })).toEqual(first);
    const other = await issue();
    const reused = await rejectionOf(clients.giftCards.disableGiftCard({ id: other.id, requestId }));
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("lets exactly one of two concurrent disables win", async () => {
    const card = await issue();
    const results = await Promise.allSettled([0, 1].map(() => clients.giftCards.disableGiftCard({ id: card.id })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(observedError(lost?.reason)).toMatchObject({ code: Code.FailedPrecondition, reason: "GIFT_CARD_DISABLED" });
  });

  it("answers an unknown card and another tenant's as NOT_FOUND", async () => {
    const card = await issue();
    const other = service.clients((await service.newTenant()).key);
    for (const [caller, id] of [
      [clients, randomUUID()],
      [other, card.id],
    ] as const) {
      expect(await rejectionOf(caller.giftCards.disableGiftCard({ id }))).toMatchObject({
        code: Code.NotFound,
        reason: "GIFT_CARD_NOT_FOUND",
        metadata: { giftCardId: id },
      });
    }
    expect(cardOf(await clients.giftCards.getGiftCard({ id: card.id })).disabled).toBe(false);
  });
});

describe("ListGiftCards", () => {
  it("pages through the tenant's cards newest first, whichever mode of key issued them", async () => {
    const tenant = await service.newTenant();
    const own = service.clients(tenant.key);
    const test = service.clients(await service.newKey(tenant.tenantId, "editor", "test"));
    const issued = [];
    for (const [index, amount] of ["1", "2", "3", "4", "5"].entries()) {
      const issuer = index === 2 ? test : own;
      issued.push(cardOf(await issuer.giftCards.issueGiftCard({ initialBalance: amount, currency: "EUR" })));
    }

    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await own.giftCards.listGiftCards({ pageSize: 2, pageToken });
      expect(page.giftCards.length).toBeLessThanOrEqual(2);
      seen.push(...page.giftCards.map((card) => card.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual(issued.map((card) => card.id).reverse());
    expect((await test.giftCards.listGiftCards({})).giftCards.map((card) => card.id)).toEqual(seen);
    expect((await service.clients((await service.newTenant()).key).giftCards.listGiftCards({})).giftCards).toEqual([]);

    const first = await own.giftCards.listGiftCards({ pageSize: 1 });
    const otherTenant = service.clients((await service.newTenant()).key);
    const foreign = await rejectionOf(otherTenant.giftCards.listGiftCards({ pageToken: first.nextPageToken }));
    expect(foreign.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
    const madeUp = await rejectionOf(own.giftCards.listGiftCards({ pageToken: "abc.def" }));
    expect(madeUp.violations).toEqual([{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }]);
  });
});

describe("ListGiftCardTransactions", () => {
  it("lists the ledger oldest first: issue, debits and credits, each with the balance after it", async () => {
    const card = await issue("100");
    const em = service.app.orm.em.fork();
    const [orderA, orderB] = [randomUUID(), randomUUID()];
    await debitGiftCards(em, tenantId, orderA, [{ giftCardId: card.id, amount: "30" }]);
    await debitGiftCards(em, tenantId, orderB, [{ giftCardId: card.id, amount: "12.5" }]);
    await creditGiftCards(em, tenantId, orderA, [{ giftCardId: card.id, amount: "30" }], "order canceled");

    const entries = [];
    let pageToken = "";
    do {
      const page = await clients.giftCards.listGiftCardTransactions({ giftCardId: card.id, pageSize: 1, pageToken });
      entries.push(...page.transactions);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(entries).toMatchObject([
      { kind: GiftCardTransactionKind.ISSUE, amount: "100.00", balanceAfter: "100.00", orderId: "", note: "" },
      { kind: GiftCardTransactionKind.DEBIT, amount: "30.00", balanceAfter: "70.00", orderId: orderA },
      { kind: GiftCardTransactionKind.DEBIT, amount: "12.50", balanceAfter: "57.50", orderId: orderB },
      {
        kind: GiftCardTransactionKind.CREDIT,
        amount: "30.00",
        balanceAfter: "87.50",
        orderId: orderA,
        note: "order canceled",
      },
    ]);
    expect(entries.every((entry) => entry.giftCardId === card.id && entry.createTime !== undefined)).toBe(true);
    expect(cardOf(await clients.giftCards.getGiftCard({ id: card.id })).balance).toBe("87.50");
  });

  it("refuses a token of another card's ledger, and answers NOT_FOUND for a card not the caller's", async () => {
    const card = await issue();
    const other = await issue();
    await debitGiftCards(service.app.orm.em.fork(), tenantId, randomUUID(), [{ giftCardId: card.id, amount: "1" }]);
    const page = await clients.giftCards.listGiftCardTransactions({ giftCardId: card.id, pageSize: 1 });
    expect(page.nextPageToken).not.toBe("");
    const foreign = await rejectionOf(
      clients.giftCards.listGiftCardTransactions({ giftCardId: other.id, pageToken: page.nextPageToken }),
    );
    expect(foreign.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);

    const otherTenant = service.clients((await service.newTenant()).key);
    for (const [caller, id] of [
      [clients, randomUUID()],
      [otherTenant, card.id],
    ] as const) {
      expect(await rejectionOf(caller.giftCards.listGiftCardTransactions({ giftCardId: id }))).toMatchObject({
        code: Code.NotFound,
        reason: "GIFT_CARD_NOT_FOUND",
        metadata: { giftCardId: id },
      });
    }
  });
});
