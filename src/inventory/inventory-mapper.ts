import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  InventoryItemSchema,
  InventoryLevelSchema,
  InventorySettingsSchema,
  StockShortagePolicy,
  type InventorySettings,
  InventoryTransactionKind,
  InventoryTransactionSchema,
  type InventoryItem,
  type InventoryLevel,
  type InventoryTransaction,
} from "../../gen/orders/v1/inventory_pb.js";
import { etagOf } from "../platform/database/etag.js";
import type { InventoryTransactionKindName } from "./entities/inventory-transaction.js";
import type { LevelView, TransactionView } from "./queries.js";
import type { ShortagePolicy } from "./rules/allocation.js";

const KINDS: Record<InventoryTransactionKindName, InventoryTransactionKind> = {
  set: InventoryTransactionKind.SET,
  adjust: InventoryTransactionKind.ADJUST,
  fulfillment: InventoryTransactionKind.FULFILLMENT,
  return: InventoryTransactionKind.RETURN,
};

export function levelToMessage(level: LevelView): InventoryLevel {
  return create(InventoryLevelSchema, {
    variantId: level.variantId,
    stockLocationId: level.stockLocationId,
    onHand: level.onHand,
    reserved: level.reserved,
    available: level.onHand - level.reserved,
    tracked: level.tracked,
    etag: etagOf(level.id, level.version),
    createTime: timestampFromDate(new Date(level.createdAt)),
    updateTime: timestampFromDate(new Date(level.updatedAt)),
  });
}

export function transactionToMessage(row: TransactionView): InventoryTransaction {
  return create(InventoryTransactionSchema, {
    id: row.id,
    variantId: row.variantId,
    stockLocationId: row.stockLocationId,
    kind: KINDS[row.kind],
    quantityChange: row.quantityChange,
    onHandAfter: row.onHandAfter,
    reason: row.reason,
    orderId: row.orderId ?? "",
    createTime: timestampFromDate(new Date(row.createdAt)),
  });
}

export function itemToMessage(item: { variantId: string; tracked: boolean; updatedAt: string }): InventoryItem {
  return create(InventoryItemSchema, {
    variantId: item.variantId,
    tracked: item.tracked,
    updateTime: timestampFromDate(new Date(item.updatedAt)),
  });
}

export function settingsToMessage(settings: {
  shortagePolicy: ShortagePolicy;
  updatedAt: string | null;
}): InventorySettings {
  return create(InventorySettingsSchema, {
    shortagePolicy:
      settings.shortagePolicy === "backorder" ? StockShortagePolicy.BACKORDER : StockShortagePolicy.REFUSE,
    ...(settings.updatedAt === null ? {} : { updateTime: timestampFromDate(new Date(settings.updatedAt)) }),
  });
}
