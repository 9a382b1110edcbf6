import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import type { InventoryLevel, InventoryTransaction } from "../../gen/orders/v1/inventory_pb.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { insufficientStock, inventoryEtagMismatch, onHandLimit } from "./inventory-errors.js";
import { levelToMessage, transactionToMessage } from "./inventory-mapper.js";
import { lockOrCreateLevel, selectLevel, writeLevelChange } from "./queries.js";
import { applyLevelRequest, type LevelRequest } from "./rules/level-changes.js";
import { checkStockReferences } from "./stock-references.js";

/** What SetInventoryLevel and AdjustInventoryLevel share of their requests. */
interface LevelChangeRequest {
  variantId: string;
  stockLocationId: string;
  reason: string;
  etag: string;
  requestId: string;
}

/** The method's request and response, and how its answer is made of the changed level and its ledger entry. */
interface LevelMethod<Req extends DescMessage, Res extends DescMessage> {
  name: string;
  requestSchema: Req;
  responseSchema: Res;
  respond: (changed: { inventoryLevel: InventoryLevel; transaction: InventoryTransaction }) => MessageShape<Res>;
}

/**
 * One change of a level in ONE transaction, for SetInventoryLevel and AdjustInventoryLevel: the references are
 * checked (NOT_FOUND), the level is locked (created at 0 when the pair has none), the etag compared, the rule
 * applied, and the level and its ledger row written; request_id answers a retry as the first call was.
 * Concurrent changes of one level queue on its row lock, so each sees the one before.
 */
export function changeLevel<Req extends DescMessage, Res extends DescMessage>(
  orm: MikroORM,
  principal: Principal,
  method: LevelMethod<Req, Res>,
  request: MessageShape<Req> & LevelChangeRequest,
  asked: LevelRequest,
): Promise<MessageShape<Res>> {
  const { tenantId } = principal;
  const { variantId, stockLocationId } = request;
  const key = request.requestId ? idempotencyKey(tenantId, method.name, method.requestSchema, request) : undefined;
  return changeIdempotently(
    orm.em.fork(),
    key,
    method.responseSchema,
    async (tx) => {
      await checkStockReferences(tx, tenantId, variantId, stockLocationId);
      return lockOrCreateLevel(tx, tenantId, variantId, stockLocationId);
    },
    async (tx, level) => {
      if (request.etag !== "" && (level.created || request.etag !== etagOf(level.id, level.version))) {
        throw inventoryEtagMismatch(variantId, stockLocationId);
      }
      const outcome = applyLevelRequest(level.onHand, asked, level.reserved);
      if (!outcome.ok) {
        throw outcome.reason === "INSUFFICIENT_STOCK"
          ? insufficientStock(variantId, stockLocationId, level.onHand, level.reserved)
          : onHandLimit(level.onHand);
      }
      const transaction = await writeLevelChange(tx, tenantId, level.id, {
        kind: asked.kind,
        onHandAfter: outcome.onHandAfter,
        quantityChange: outcome.quantityChange,
        reason: request.reason,
      });
      const changed = await selectLevel(tx, tenantId, variantId, stockLocationId);
      if (!changed) throw new Error(`inventory level ${level.id} vanished`);
      return method.respond({
        inventoryLevel: levelToMessage(changed),
        transaction: transactionToMessage(transaction),
      });
    },
  );
}
