import { defineEntity, p } from "@mikro-orm/core";
import { money, timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `gift_cards`: a balance in one currency that orders spend by the card's code. The code is never
 * stored, only `code_hash` (rules/gift-card-code.ts), unique per tenant, and its last
 * characters for display. `balance` only changes with a row of `gift_card_transactions` (the ledger)
 * and can never go below 0 (the check constraint holds even against a debit that skipped the lock).
 * Cards are the tenant's configuration, shared by test and live keys (docs/test-mode.md).
 * `version` is the optimistic lock the etag is derived from; debits and credits bump it too.
 */
export const GiftCardSchema = defineEntity({
  name: "GiftCard",
  tableName: "gift_cards",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    codeHash: p.text(),
    lastCharacters: p.text(),
    currency: p.character().length(3),
    initialBalance: money(),
    balance: money(),
    expiresAt: p.datetime().nullable(),
    disabled: p.boolean().default(false),
    note: p.text().nullable(),
    version: p.integer().version(),
    ...timestamps,
  },
  checks: [
    { name: "gift_cards_balance_check", expression: "balance >= 0" },
    { name: "gift_cards_initial_balance_check", expression: "initial_balance > 0" },
  ],
  uniques: [{ name: "gift_cards_tenant_id_code_hash_unique", properties: ["tenant", "codeHash"] }],
  indexes: [
    {
      // ListGiftCards: newest first per tenant, `id` breaks ties (a raw expression, as orders' listing index).
      name: "gift_cards_tenant_id_created_at_id_index",
      expression:
        "create index gift_cards_tenant_id_created_at_id_index on gift_cards (tenant_id, created_at desc, id desc)",
    },
  ],
});

export class GiftCard extends GiftCardSchema.class {}

GiftCardSchema.setClass(GiftCard);
