import { defineEntity, p } from "@mikro-orm/core";
import { createdAt, money, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { GiftCard } from "./gift-card.js";

/** What a ledger row did to the balance: `issue` and `credit` add `amount`, `debit` takes it. */
export const GIFT_CARD_TRANSACTION_KINDS = ["issue", "debit", "credit"] as const;
export type GiftCardTransactionKindName = (typeof GIFT_CARD_TRANSACTION_KINDS)[number];

/**
 * `gift_card_transactions`: the ledger of a gift card, one row per change of its balance, never
 * updated or deleted. `amount` is always positive (the kind says which way it went); `balance_after`
 * is the card's balance right after the row, so issue + credits - debits = balance. `order_id` is the
 * order that paid (debit) or got money back (credit): no foreign key, orders are another capability's
 * table. `tenant_id` is repeated so the ledger's index starts with it.
 */
export const GiftCardTransactionSchema = defineEntity({
  name: "GiftCardTransaction",
  tableName: "gift_card_transactions",
  properties: {
    ...uuidPrimaryKey,
    tenantId: p.uuid(),
    giftCard: () => p.manyToOne(GiftCard).index(false),
    kind: p.text(),
    amount: money(),
    balanceAfter: money(),
    orderId: p.uuid().nullable(),
    note: p.text().nullable(),
    ...createdAt,
  },
  checks: [
    { name: "gift_card_transactions_kind_check", expression: "kind in ('issue', 'debit', 'credit')" },
    { name: "gift_card_transactions_amount_check", expression: "amount > 0" },
    { name: "gift_card_transactions_balance_after_check", expression: "balance_after >= 0" },
  ],
  indexes: [
    // ListGiftCardTransactions (oldest first, `id` breaks ties) and the sums of one order's debits and
    // credits of a card (creditGiftCards).
    {
      name: "gift_card_transactions_tenant_id_gift_card_id_index",
      properties: ["tenantId", "giftCard", "createdAt", "id"],
    },
  ],
});

export class GiftCardTransaction extends GiftCardTransactionSchema.class {}

GiftCardTransactionSchema.setClass(GiftCardTransaction);
