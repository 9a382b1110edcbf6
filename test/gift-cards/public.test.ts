import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GiftCardCandidate } from "../../src/domain/pricing/checkout.js";
import {
  creditGiftCards,
  debitGiftCards,
  findGiftCardsForCodes,
  GiftCardDebitFailed,
  normalizeGiftCardCode,
} from "../../src/gift-cards/public.js";
import { MoneyDecimal } from "../../src/money/money.js";
import type { Clients } from "../support/clients.js";
import { testDatabaseUrl } from "../support/database.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";
import { waitFor } from "../support/wait-for.js";
import { cardOf } from "./support.js";

let service: InMemoryService;
let db: pg.Pool;
let tenantId: string;
let clients: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  // Connections of their own: each concurrent transaction below holds one until it commits.
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 22 });
  const tenant = await service.newTenant();
  tenantId = tenant.tenantId;
  clients = service.clients(tenant.key);
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.close();
});

/** A card of the tenant with a code of the test's own. */
async function newCard(initialBalance = "100", options: { currency?: string; code?: string } = {}) {
  const code = options.code ?? `Card-${randomUUID().slice(0, 13)}`;
  const card = cardOf(
    await clients.giftCards.issueGiftCard({ initialBalance, currency: options.currency ?? "USD", code }),
  );
  return { ...card, code };
}

/** Runs `work` in a transaction on a client of its own, committing unless it throws. */
async function inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query("begin");
    const result = await work(client);
    await client.query("commit");
    return result;
  } catch (error) {
    await client.query("rollback");
    throw error;
  } finally {
    client.release();
  }
}

async function balanceOf(giftCardId: string): Promise<string> {
  const { rows } = await db.query<{ balance: string }>("select balance from gift_cards where id = $1", [giftCardId]);
  return rows[0]?.balance ?? "missing";
}

async function ledgerOf(giftCardId: string) {
  const { rows } = await db.query<{ kind: string; amount: string; balance_after: string; order_id: string | null }>(
    "select kind, amount, balance_after, order_id from gift_card_transactions where gift_card_id = $1 order by created_at, id",
    [giftCardId],
  );
  return rows;
}

describe("findGiftCardsForCodes", () => {
  it("finds the cards by code as buyers type them, keyed by the code as given", async () => {
    const card = await newCard("50");
    const other = await newCard("7.5", { currency: "EUR" });
    const typed = [card.code.toLowerCase(), ` ${card.code.replaceAll("-", "")} `, other.code, "NOPE-NOPE-NOPE", "--"];
    const found = await findGiftCardsForCodes(db, tenantId, typed, { lock: false });
    const expected: GiftCardCandidate = {
      id: card.id,
      lastCharacters: card.lastCharacters,
      currency: "USD",
      balance: "50.00",
      disabled: false,
    };
    expect(found).toEqual(
      new Map([
        [typed[0], expected],
        [typed[1], expected],
        [
          other.code,
          { id: other.id, lastCharacters: other.lastCharacters, currency: "EUR", balance: "7.50", disabled: false },
        ],
      ]),
    );
    expect(normalizeGiftCardCode(typed[0] ?? "")).toBe(normalizeGiftCardCode(typed[1] ?? ""));
    expect(await findGiftCardsForCodes(db, tenantId, [], { lock: true })).toEqual(new Map());
  });

  it("finds only the tenant's cards", async () => {
    const card = await newCard();
    const otherTenant = await service.newTenant();
    expect(await findGiftCardsForCodes(db, otherTenant.tenantId, [card.code], { lock: false })).toEqual(new Map());
  });

  it("returns disabled and expiring cards as they are, for the pricing engine to judge", async () => {
    const seconds = Math.floor(Date.now() / 1000) + 3600;
    const expiring = await newCard("3", { currency: "JPY" });
    await db.query("update gift_cards set expires_at = to_timestamp($2) where id = $1", [expiring.id, seconds]);
    const disabled = await newCard();
    await clients.giftCards.disableGiftCard({ id: disabled.id });
    const found = await findGiftCardsForCodes(service.app.orm.em.fork(), tenantId, [disabled.code, expiring.code], {
      lock: false,
    });
    expect(found.get(disabled.code)).toMatchObject({ disabled: true, balance: "100.00" });
    expect(found.get(expiring.code)).toEqual({
      id: expiring.id,
      lastCharacters: expiring.lastCharacters,
      currency: "JPY",
      balance: "3",
      disabled: false,
      expireTime: new Date(seconds * 1000),
    });
  });

  it("locks the cards found until the transaction ends", async () => {
    const card = await newCard();
    const client = await db.connect();
    try {
      await client.query("begin");
      await findGiftCardsForCodes(client, tenantId, [card.code], { lock: true });
      const orderId = randomUUID();
      const debit = inTransaction((other) =>
        debitGiftCards(other, tenantId, orderId, [{ giftCardId: card.id, amount: "1" }]),
      );
      await waitFor("the debit to wait for the lock", async () => {
        const { rows } = await db.query(
          "select 1 from pg_stat_activity where wait_event_type = 'Lock' and query like '%update gift_cards as card%'",
        );
        return rows.length > 0;
      });
      expect(await balanceOf(card.id)).toBe("100.0000");
      await client.query("commit");
      await debit;
      expect(await balanceOf(card.id)).toBe("99.0000");
    } finally {
      client.release();
    }
  });
});

describe("debitGiftCards", () => {
  it("takes the amounts (added up per card) with a DEBIT entry each, and changes the card's etag", async () => {
    const [card, other] = [await newCard("100"), await newCard("20")];
    const orderId = randomUUID();
    await inTransaction((client) =>
      debitGiftCards(client, tenantId, orderId, [
        { giftCardId: card.id, amount: "30" },
        { giftCardId: other.id, amount: "20.00" },
        { giftCardId: card.id, amount: "0.25" },
      ]),
    );
    expect([await balanceOf(card.id), await balanceOf(other.id)]).toEqual(["69.7500", "0.0000"]);
    expect(await ledgerOf(card.id)).toEqual([
      { kind: "issue", amount: "100.0000", balance_after: "100.0000", order_id: null },
      { kind: "debit", amount: "30.2500", balance_after: "69.7500", order_id: orderId },
    ]);
    const read = cardOf(await clients.giftCards.getGiftCard({ id: card.id }));
    expect(read.etag).not.toBe(card.etag);
    expect(read.balance).toBe("69.75");
    await debitGiftCards(db, tenantId, orderId, [{ giftCardId: card.id, amount: "0" }]);
    expect(await ledgerOf(card.id)).toHaveLength(2);
  });

  it("refuses short, disabled, expired and other tenants' cards with GiftCardDebitFailed, and the transaction rolls back", async () => {
    const [rich, poor, disabled, expired] = [await newCard(), await newCard("10"), await newCard(), await newCard()];
    await clients.giftCards.disableGiftCard({ id: disabled.id });
    await db.query("update gift_cards set expires_at = now() - interval '1 second' where id = $1", [expired.id]);
    const foreign = await service.newTenant();
    for (const [failing, foreignTenant] of [
      [poor, false],
      [disabled, false],
      [expired, false],
      [rich, true],
    ] as const) {
      const debits = [
        { giftCardId: rich.id, amount: "5" },
        { giftCardId: failing.id, amount: "10.01" },
      ];
      const error = await inTransaction((client) =>
        debitGiftCards(client, foreignTenant ? foreign.tenantId : tenantId, randomUUID(), debits),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GiftCardDebitFailed);
      expect((error as GiftCardDebitFailed).giftCardIds).toEqual(foreignTenant ? [rich.id] : [failing.id]);
    }
    for (const card of [rich, poor, disabled, expired]) expect(await ledgerOf(card.id)).toHaveLength(1);
    expect(await balanceOf(rich.id)).toBe("100.0000");
  });

  it("never overdraws a card: the database refuses a negative balance whoever writes it", async () => {
    const card = await newCard("1");
    await expect(db.query("update gift_cards set balance = balance - 2 where id = $1", [card.id])).rejects.toThrow(
      /gift_cards_balance_check/,
    );
  });
});

describe("creditGiftCards", () => {
  it("gives back at most what the order still has on each card, so a repeated credit gives nothing more", async () => {
    const [card, other] = [await newCard("100"), await newCard("50")];
    const [orderId, otherOrder] = [randomUUID(), randomUUID()];
    await debitGiftCards(db, tenantId, orderId, [{ giftCardId: card.id, amount: "40" }]);
    await debitGiftCards(db, tenantId, otherOrder, [
      { giftCardId: card.id, amount: "10" },
      { giftCardId: other.id, amount: "5" },
    ]);

    const partial = await inTransaction((client) =>
      creditGiftCards(client, tenantId, orderId, [{ giftCardId: card.id, amount: "15" }], "refund 1"),
    );
    expect(partial).toEqual([{ giftCardId: card.id, amount: "15.00" }]);
    // More than is left (40 - 15), and a card the order never paid with: only what is left comes back.
    const rest = await creditGiftCards(
      service.app.orm.em.fork(),
      tenantId,
      orderId,
      [
        { giftCardId: card.id, amount: "100" },
        { giftCardId: other.id, amount: "5" },
      ],
      "order canceled",
    );
    expect(rest).toEqual([{ giftCardId: card.id, amount: "25.00" }]);
    expect(await creditGiftCards(db, tenantId, orderId, [{ giftCardId: card.id, amount: "40" }], "again")).toEqual([]);
    expect(await balanceOf(card.id)).toBe("90.0000");
    expect(await balanceOf(other.id)).toBe("45.0000");
    expect((await ledgerOf(card.id)).slice(3)).toEqual([
      { kind: "credit", amount: "15.0000", balance_after: "65.0000", order_id: orderId },
      { kind: "credit", amount: "25.0000", balance_after: "90.0000", order_id: orderId },
    ]);
  });

  it("gives money back to a disabled card too", async () => {
    const card = await newCard("10");
    const orderId = randomUUID();
    await debitGiftCards(db, tenantId, orderId, [{ giftCardId: card.id, amount: "10" }]);
    await clients.giftCards.disableGiftCard({ id: card.id });
    expect(await creditGiftCards(db, tenantId, orderId, [{ giftCardId: card.id, amount: "10" }], "")).toEqual([
      { giftCardId: card.id, amount: "10.00" },
    ]);
    expect(cardOf(await clients.giftCards.getGiftCard({ id: card.id }))).toMatchObject({
      disabled: true,
      balance: "10.00",
    });
  });

  it("gives the money back once when the same full credit runs 10 times at once", async () => {
    const card = await newCard("100");
    const orderId = randomUUID();
    await debitGiftCards(db, tenantId, orderId, [{ giftCardId: card.id, amount: "60" }]);
    const credited = await Promise.all(
      Array.from({ length: 10 }, () =>
        inTransaction((client) =>
          creditGiftCards(client, tenantId, orderId, [{ giftCardId: card.id, amount: "60" }], "order canceled"),
        ),
      ),
    );
    expect(credited.flat()).toEqual([{ giftCardId: card.id, amount: "60.00" }]);
    expect(await balanceOf(card.id)).toBe("100.0000");
  });
});

describe("two orders can never overdraw a card", () => {
  it("20 concurrent checkouts that lock, price against the balance read, debit and commit spend exactly the balance", async () => {
    const card = await newCard("100.00");
    const spent = await Promise.all(
      Array.from({ length: 20 }, () =>
        inTransaction(async (client) => {
          const found = await findGiftCardsForCodes(client, tenantId, [card.code], { lock: true });
          const candidate = found.get(card.code);
          if (!candidate) throw new Error("the card was not found");
          // What the pricing engine would do: the card pays what it can of a 30.00 order.
          const amount = MoneyDecimal.min(candidate.balance, "30.00");
          if (amount.isZero()) return "0";
          await debitGiftCards(client, tenantId, randomUUID(), [{ giftCardId: card.id, amount: amount.toFixed(2) }]);
          return amount.toFixed(2);
        }),
      ),
    );
    const total = spent.reduce((sum, amount) => sum.plus(amount), new MoneyDecimal(0));
    expect(total.toFixed(2)).toBe("100.00");
    expect(spent.filter((amount) => amount !== "0").sort()).toEqual(["10.00", "30.00", "30.00", "30.00"]);
    expect(await balanceOf(card.id)).toBe("0.0000");
    expectConsistentLedger(await ledgerOf(card.id), "100");
  });

  it("20 concurrent debits of 30.00 without the lock: the conditional update lets 3 through and refuses the rest", async () => {
    const card = await newCard("100.00");
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        inTransaction((client) =>
          debitGiftCards(client, tenantId, randomUUID(), [{ giftCardId: card.id, amount: "30.00" }]),
        ),
      ),
    );
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
    const refused = results.flatMap((result): unknown[] => (result.status === "rejected" ? [result.reason] : []));
    expect(refused).toHaveLength(17);
    expect(refused.every((error) => error instanceof GiftCardDebitFailed)).toBe(true);
    expect(await balanceOf(card.id)).toBe("10.0000");
    expectConsistentLedger(await ledgerOf(card.id), "100");
  });
});

/** Issue + credits - debits equals each row's balance_after in ledger order, never below 0; the last is the balance. */
function expectConsistentLedger(ledger: { kind: string; amount: string; balance_after: string }[], issued: string) {
  let balance = new MoneyDecimal(0);
  for (const row of ledger) {
    balance = row.kind === "debit" ? balance.minus(row.amount) : balance.plus(row.amount);
    expect(balance.toFixed(4)).toBe(row.balance_after);
    expect(balance.isNegative()).toBe(false);
  }
  expect(ledger[0]).toMatchObject({ kind: "issue", amount: new MoneyDecimal(issued).toFixed(4) });
}
