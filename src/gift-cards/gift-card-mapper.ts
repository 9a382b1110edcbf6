import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  GiftCardSchema as GiftCardMessageSchema,
  GiftCardTransactionKind,
  GiftCardTransactionSchema as GiftCardTransactionMessageSchema,
  type GiftCard as GiftCardMessage,
  type GiftCardTransaction as GiftCardTransactionMessage,
} from "../../gen/orders/v1/gift_card_pb.js";
import { currencyMinorUnits } from "../money/currency.js";
import { formatAmount, parseAmount } from "../money/money.js";
import { etagOf } from "../platform/database/etag.js";
import type { GiftCardTransactionKindName } from "./entities/gift-card-transaction.js";

/** A card as read: the entity, or a row of the listing (queries.ts). Amounts as stored ("50.0000"). */
export interface GiftCardView {
  id: string;
  lastCharacters: string;
  currency: string;
  initialBalance: string;
  balance: string;
  expiresAt: Date | null | undefined;
  disabled: boolean;
  note: string | null | undefined;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A ledger row as read (queries.ts). */
export interface GiftCardTransactionView {
  id: string;
  giftCardId: string;
  kind: string;
  amount: string;
  balanceAfter: string;
  orderId: string | null;
  note: string | null;
  createdAt: Date;
}

/** A stored amount as the contract shows it: exactly the currency's minor units ("50.0000" USD -> "50.00"). */
export function amountText(currency: string, stored: string): string {
  const minorUnits = currencyMinorUnits(currency);
  if (minorUnits === undefined) throw new Error(`a gift card in unsupported currency ${currency}`);
  return formatAmount(parseAmount(stored), minorUnits);
}

/** The card as the contract shows it; `code` only in IssueGiftCard's first answer. */
export function giftCardToMessage(card: GiftCardView, code = ""): GiftCardMessage {
  return create(GiftCardMessageSchema, {
    id: card.id,
    code,
    lastCharacters: card.lastCharacters,
    initialBalance: amountText(card.currency, card.initialBalance),
    balance: amountText(card.currency, card.balance),
    currency: card.currency,
    expireTime: card.expiresAt ? timestampFromDate(card.expiresAt) : undefined,
    disabled: card.disabled,
    note: card.note ?? "",
    etag: etagOf(card.id, card.version),
    createTime: timestampFromDate(card.createdAt),
    updateTime: timestampFromDate(card.updatedAt),
  });
}

const KINDS = new Map<string, GiftCardTransactionKind>([
  ["issue", GiftCardTransactionKind.ISSUE],
  ["debit", GiftCardTransactionKind.DEBIT],
  ["credit", GiftCardTransactionKind.CREDIT],
] satisfies [GiftCardTransactionKindName, GiftCardTransactionKind][]);

/** A ledger row as the contract shows it, its amounts in the card's `currency`. */
export function transactionToMessage(row: GiftCardTransactionView, currency: string): GiftCardTransactionMessage {
  const kind = KINDS.get(row.kind);
  // The check constraint allows no other kind: anything else is a corrupt row.
  if (kind === undefined) throw new Error(`unknown gift card transaction kind ${JSON.stringify(row.kind)}`);
  return create(GiftCardTransactionMessageSchema, {
    id: row.id,
    giftCardId: row.giftCardId,
    kind,
    amount: amountText(currency, row.amount),
    balanceAfter: amountText(currency, row.balanceAfter),
    orderId: row.orderId ?? "",
    note: row.note ?? "",
    createTime: timestampFromDate(row.createdAt),
  });
}
