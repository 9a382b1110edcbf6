import type { EntityManager } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { Parameters, query, type Queryable } from "../platform/database/query.js";
import { CURSOR_TIME_SQL } from "../platform/pagination/page-request.js";
import type { PageCursor } from "../platform/pagination/page-token.js";
import type { GiftCardTransactionView, GiftCardView } from "./gift-card-mapper.js";

// Every SQL statement of gift cards. Reads select plain rows; times are selected as RFC 3339 text with
// microseconds, so they read the same through MikroORM's connection (which hands timestamptz over as
// text) and through a `pg` client of the caller's (which would make a Date of it). Debits and credits
// stamp their ledger rows with clock_timestamp(), the time the row was written once the card's row lock
// was had, not now(), the start of the caller's transaction: the ledger's order by time is then the
// order in which the balance changed, balance_after by balance_after.

/** `column` (timestamptz) as RFC 3339 text in UTC with microseconds; parsed by `new Date`. */
function timeText(column: string): string {
  return `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const CARD_COLUMNS = `id, last_characters as "lastCharacters", currency, initial_balance as "initialBalance", balance,
  ${timeText("expires_at")} as "expiresAt", disabled, note, version,
  ${timeText("created_at")} as "createdAt", ${timeText("updated_at")} as "updatedAt"`;

type CardRow = Omit<GiftCardView, "expiresAt" | "createdAt" | "updatedAt"> & {
  expiresAt: string | null;
  createdAt: string;
  updatedAt: string;
};

function cardView(row: CardRow): GiftCardView {
  return {
    ...row,
    expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/**
 * One page of a tenant's cards, newest first, after `after`: a range scan of
 * gift_cards_tenant_id_created_at_id_index. `limit` rows at most; `cursorTime` is each row's
 * created_at to the microsecond, for the next page token.
 */
export async function selectGiftCardPage(
  em: EntityManager,
  tenantId: string,
  after: PageCursor | undefined,
  limit: number,
): Promise<(GiftCardView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`];
  if (after) {
    where.push(`(created_at, id) < (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<CardRow & { cursorTime: string }>(
    em,
    `select ${CARD_COLUMNS}, ${CURSOR_TIME_SQL} as "cursorTime" from gift_cards
      where ${where.join(" and ")} order by created_at desc, id desc limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows.map((row) => ({ ...cardView(row), cursorTime: row.cursorTime }));
}

/**
 * One page of a card's ledger, oldest first, after `after` (a range scan of
 * gift_card_transactions_tenant_id_gift_card_id_index); `cursorTime` as for selectGiftCardPage.
 */
export async function selectTransactionPage(
  em: EntityManager,
  tenantId: string,
  giftCardId: string,
  after: PageCursor | undefined,
  limit: number,
): Promise<(GiftCardTransactionView & { cursorTime: string })[]> {
  const params = new Parameters();
  const where = [`tenant_id = ${params.bind(tenantId)}`, `gift_card_id = ${params.bind(giftCardId)}`];
  if (after) {
    where.push(`(created_at, id) > (${params.bind(after.createTime)}::timestamptz, ${params.bind(after.id)}::uuid)`);
  }
  const { rows } = await query<Omit<GiftCardTransactionView, "createdAt"> & { createdAt: string; cursorTime: string }>(
    em,
    `select id, gift_card_id as "giftCardId", kind, amount, balance_after as "balanceAfter", order_id as "orderId",
            note, ${timeText("created_at")} as "createdAt", ${CURSOR_TIME_SQL} as "cursorTime"
       from gift_card_transactions where ${where.join(" and ")} order by created_at, id limit ${Math.trunc(limit)}`,
    params.values,
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}

/** A card of the tenant by id, or by the hash of its code; undefined when it has none. */
export async function selectGiftCard(
  db: Queryable,
  tenantId: string,
  by: { id: string } | { codeHash: string },
): Promise<GiftCardView | undefined> {
  const [column, value] = "id" in by ? ["id", by.id] : ["code_hash", by.codeHash];
  const { rows } = await query<CardRow>(
    db,
    `select ${CARD_COLUMNS} from gift_cards where tenant_id = $1 and ${column} = $2`,
    [tenantId, value],
  );
  const row = rows[0];
  return row && cardView(row);
}

/**
 * The tenant's cards whose code hashes are among `codeHashes`, each with its hash. With
 * `lock`, the rows are locked FOR UPDATE in id order (the sort runs below the lock), so two orders
 * locking the same cards never wait for each other crosswise.
 */
export async function selectGiftCardsByCodeHash(
  db: Queryable,
  tenantId: string,
  codeHashes: readonly string[],
  lock: boolean,
): Promise<(GiftCardView & { codeHash: string })[]> {
  const { rows } = await query<CardRow & { codeHash: string }>(
    db,
    `select ${CARD_COLUMNS}, code_hash as "codeHash" from gift_cards
      where tenant_id = $1 and code_hash = any($2::text[]) order by id${lock ? " for update" : ""}`,
    [tenantId, [...codeHashes]],
  );
  return rows.map((row) => ({ ...cardView(row), codeHash: row.codeHash }));
}

/** A change of one card's balance: the card and the amount (canonical decimal, above 0). */
export interface BalanceChange {
  giftCardId: string;
  amount: string;
}

/**
 * Takes each amount from its card (one change per card) and writes a `debit` ledger row for it, in one
 * statement, only where the card is the tenant's, not disabled, not expired and holds at least the
 * amount: a concurrent debit that committed first is seen by the re-check PostgreSQL makes of an
 * updated row, so no card is ever overdrawn (and the check constraint would refuse it anyway). Returns
 * the ids of the cards debited.
 */
export async function debitBalances(
  db: Queryable,
  tenantId: string,
  orderId: string,
  debits: readonly BalanceChange[],
): Promise<string[]> {
  const { rows } = await query<{ id: string }>(
    db,
    `with debit (gift_card_id, amount, ledger_id) as (select * from unnest($2::uuid[], $3::numeric[], $4::uuid[])),
     changed as (
       update gift_cards as card
          set balance = card.balance - debit.amount, version = card.version + 1, updated_at = clock_timestamp()
         from debit
        where card.id = debit.gift_card_id and card.tenant_id = $1 and not card.disabled
          and (card.expires_at is null or card.expires_at > now()) and card.balance >= debit.amount
       returning card.id, card.balance, debit.amount, debit.ledger_id),
     ledger as (
       insert into gift_card_transactions (id, tenant_id, gift_card_id, kind, amount, balance_after, order_id, created_at)
       select ledger_id, $1, id, 'debit', amount, balance, $5, clock_timestamp() from changed)
     select id from changed`,
    [
      tenantId,
      debits.map((debit) => debit.giftCardId),
      debits.map((debit) => debit.amount),
      debits.map(() => randomUUID()),
      orderId,
    ],
  );
  return rows.map((row) => row.id);
}

/** Locks the tenant's cards among `ids` FOR UPDATE, in id order (see selectGiftCardsByCodeHash). */
export async function lockGiftCards(db: Queryable, tenantId: string, ids: readonly string[]): Promise<void> {
  await query(db, "select id from gift_cards where tenant_id = $1 and id = any($2::uuid[]) order by id for update", [
    tenantId,
    [...ids],
  ]);
}

/**
 * Gives each amount back to its card (one change per card), but never more than order `orderId` still
 * has on it: what the order's `debit` rows of the card took minus what its `credit` rows gave back.
 * Writes a `credit` ledger row for every card that gets something. The cards must be locked first
 * (lockGiftCards, in the same transaction): this statement's snapshot, taken after the lock, then
 * holds every credit committed before, so two credits for one order never both give the same money
 * back. Returns what each card got, as stored ("30.0000"), with its currency.
 */
export async function creditBalances(
  db: Queryable,
  tenantId: string,
  orderId: string,
  credits: readonly BalanceChange[],
  note: string,
): Promise<{ giftCardId: string; amount: string; currency: string }[]> {
  const { rows } = await query<{ giftCardId: string; amount: string; currency: string }>(
    db,
    `with wanted (gift_card_id, amount, ledger_id) as (select * from unnest($2::uuid[], $3::numeric[], $4::uuid[])),
     owed as (
       select wanted.gift_card_id, wanted.ledger_id,
              least(wanted.amount, coalesce(sum(case ledger.kind when 'debit' then ledger.amount else -ledger.amount end), 0)) as amount
         from wanted left join gift_card_transactions as ledger
           on ledger.tenant_id = $1 and ledger.gift_card_id = wanted.gift_card_id and ledger.order_id = $5
          and ledger.kind in ('debit', 'credit')
        group by wanted.gift_card_id, wanted.ledger_id, wanted.amount),
     changed as (
       update gift_cards as card
          set balance = card.balance + owed.amount, version = card.version + 1, updated_at = clock_timestamp()
         from owed
        where card.id = owed.gift_card_id and card.tenant_id = $1 and owed.amount > 0
       returning card.id, card.balance, card.currency, owed.amount, owed.ledger_id),
     ledger as (
       insert into gift_card_transactions (id, tenant_id, gift_card_id, kind, amount, balance_after, order_id, note, created_at)
       select ledger_id, $1, id, 'credit', amount, balance, $5, $6, clock_timestamp() from changed)
     select id as "giftCardId", amount, currency from changed order by id`,
    [
      tenantId,
      credits.map((credit) => credit.giftCardId),
      credits.map((credit) => credit.amount),
      credits.map(() => randomUUID()),
      orderId,
      note === "" ? null : note,
    ],
  );
  return rows;
}
