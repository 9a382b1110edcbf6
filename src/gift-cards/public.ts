/**
 * What other capabilities may use of gift cards, and all they may use (.dependency-cruiser.cjs checks it):
 * how codes compare, the cards a checkout's codes name (as the pricing engine's GiftCardCandidate), and
 * the debit and credit of balances that CreateOrder, CancelOrder and refunds run inside their own
 * transaction. Never gift cards' tables or use cases.
 *
 * `db` is the caller's transaction: an EntityManager inside `transactional`, or a `pg` client after BEGIN
 * (platform/database/query.ts). Locks and the all-or-nothing of a failed debit last only that long.
 */
import type { GiftCardCandidate } from "../domain/pricing/checkout.js";
import type { Queryable } from "../platform/database/query.js";
import { amountText } from "./gift-card-mapper.js";
import { GiftCardDebitFailed } from "./gift-card-errors.js";
import { creditBalances, debitBalances, lockGiftCards, selectGiftCardsByCodeHash } from "./queries.js";
import { changesPerCard, type GiftCardAmount } from "./rules/balance-changes.js";
import { giftCardCodeHash, normalizeGiftCardCode } from "./rules/gift-card-code.js";

export { normalizeGiftCardCode } from "./rules/gift-card-code.js";
export { GiftCardDebitFailed } from "./gift-card-errors.js";
export type { GiftCardAmount } from "./rules/balance-changes.js";

export interface FindGiftCardsOptions {
  /** Lock the cards found (FOR UPDATE, in id order) until the caller's transaction ends: before a debit. */
  lock: boolean;
}

/**
 * The tenant's cards the `codes` name, in one statement, keyed by each code as given (codes that name the
 * same card, "abcd-efgh-…" and "ABCDEFGH…", both map to it). Codes that name no card of the tenant are
 * not in the map. Cards are shared by test and live orders (docs/test-mode.md): a test order prices with
 * them like a live one and debits none. Balances are formatted with the currency's minor units ("50.00"); disabled and
 * expired cards are returned as they are (the pricing engine decides what they may pay).
 */
export async function findGiftCardsForCodes(
  db: Queryable,
  tenantId: string,
  codes: readonly string[],
  options: FindGiftCardsOptions,
): Promise<Map<string, GiftCardCandidate>> {
  const hashes = new Map<string, string>();
  for (const code of codes) {
    const normalized = normalizeGiftCardCode(code);
    if (normalized !== "") hashes.set(code, giftCardCodeHash(tenantId, normalized));
  }
  const found = new Map<string, GiftCardCandidate>();
  if (hashes.size === 0) return found;
  const rows = await selectGiftCardsByCodeHash(db, tenantId, [...new Set(hashes.values())], options.lock);
  const byHash = new Map(rows.map((row) => [row.codeHash, row]));
  for (const [code, hash] of hashes) {
    const row = byHash.get(hash);
    if (!row) continue;
    found.set(code, {
      id: row.id,
      lastCharacters: row.lastCharacters,
      currency: row.currency,
      balance: amountText(row.currency, row.balance),
      disabled: row.disabled,
      ...(row.expiresAt ? { expireTime: row.expiresAt } : {}),
    });
  }
  return found;
}

/**
 * Pays for order `orderId` with gift cards: takes each amount from its card (amounts of one card are added
 * up) and writes a DEBIT entry of its ledger, in one statement. A card is only debited while it is the
 * tenant's, enabled, unexpired and holds the amount, whatever ran before: after findGiftCardsForCodes with
 * `lock` nothing can change that in between, so this never fails then. Otherwise it throws
 * GiftCardDebitFailed naming the cards it could not debit, and the caller's transaction must roll back
 * (the other cards were debited).
 */
export async function debitGiftCards(
  db: Queryable,
  tenantId: string,
  orderId: string,
  debits: readonly GiftCardAmount[],
): Promise<void> {
  const changes = changesPerCard(debits);
  if (changes.length === 0) return;
  const debited = new Set(await debitBalances(db, tenantId, orderId, changes));
  const failed = changes.filter((change) => !debited.has(change.giftCardId)).map((change) => change.giftCardId);
  if (failed.length > 0) throw new GiftCardDebitFailed(failed);
}

/**
 * Gives money back to gift cards for order `orderId` (a cancellation or refund) with a CREDIT entry of each
 * card's ledger carrying `note`: each amount (amounts of one card are added up), but never more than the
 * order still has on the card (what it debited minus what was credited back before). So crediting the
 * same refund twice gives the money back once, and an amount above what is left gives back what is left.
 * Cards are locked (in id order) for the reckoning. Disabled and expired cards get the money back too.
 * Returns what each card actually got back (amounts with the currency's minor units), cards that got
 * nothing left out.
 */
export async function creditGiftCards(
  db: Queryable,
  tenantId: string,
  orderId: string,
  credits: readonly GiftCardAmount[],
  note: string,
): Promise<GiftCardAmount[]> {
  const changes = changesPerCard(credits);
  if (changes.length === 0) return [];
  await lockGiftCards(
    db,
    tenantId,
    changes.map((change) => change.giftCardId),
  );
  const credited = await creditBalances(db, tenantId, orderId, changes, note);
  return credited.map((row) => ({ giftCardId: row.giftCardId, amount: amountText(row.currency, row.amount) }));
}
