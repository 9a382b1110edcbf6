import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/postgresql";
import type { Promotion as PromotionMessage } from "../../gen/orders/v1/promotion_pb.js";
import type { PromotionKind } from "../domain/pricing/checkout.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import {
  answeringWinner,
  changeIdempotently,
  idempotencyKey,
  type IdempotencyKey,
} from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { Promotion } from "./entities/promotion.js";
import {
  CODE_TAKEN_REASON,
  codeGivenTwice,
  codeTaken,
  promotionEtagMismatch,
  promotionNotFound,
} from "./promotion-errors.js";
import { promotionToMessage } from "./promotion-mapper.js";
import type { PromotionView } from "./promotion-view.js";
import { insertCodes, selectPromotions } from "./queries/promotions.js";
import { firstDuplicateCode } from "./rules/codes.js";
import { promotionViolations, type PromotionDraft } from "./rules/promotion-draft.js";

/** A draft that keeps every rule: what is written. */
export type CheckedDraft = PromotionDraft & { kind: PromotionKind };

/**
 * The draft if it keeps every rule of a promotion; else INVALID_ARGUMENT with every field violation at
 * promotion.<field>, or ALREADY_EXISTS (PROMOTION_CODE_TAKEN) for a code it gives twice.
 */
export function checkedDraft(draft: PromotionDraft): CheckedDraft {
  const violations = promotionViolations(draft);
  const { kind } = draft;
  if (violations.length > 0 || kind === undefined) throw ServiceError.invalidArgument(violations);
  const duplicate = firstDuplicateCode(draft.codes);
  if (duplicate) {
    const code = draft.codes[duplicate.index] ?? "";
    throw codeGivenTwice(code, `promotion.codes[${duplicate.index}]`, `promotion.codes[${duplicate.first}]`);
  }
  return { ...draft, kind };
}

/** The `promotions` columns of a checked draft, as the entity takes them (none is stored as ""). */
export function rowOf(draft: CheckedDraft) {
  return {
    displayName: draft.displayName,
    description: draft.description,
    kind: draft.kind,
    value: draft.value === "" ? null : draft.value,
    currency: draft.currency === "" ? null : draft.currency,
    skus: draft.skus,
    productIds: draft.productIds,
    minimumSubtotal: draft.minimumSubtotal === "" ? null : draft.minimumSubtotal,
    startTime: draft.startTime ?? null,
    endTime: draft.endTime ?? null,
    usageLimit: draft.usageLimit ?? null,
    perCustomerLimit: draft.perCustomerLimit ?? null,
    active: draft.active,
  };
}

/** Gives the promotion its codes in `tx`; ALREADY_EXISTS (PROMOTION_CODE_TAKEN) when another one has one. */
export async function claimCodes(
  tx: EntityManager,
  tenantId: string,
  promotionId: string,
  codes: readonly string[],
): Promise<void> {
  const taken = await insertCodes(tx, tenantId, promotionId, codes);
  if (taken) throw codeTaken(codes[taken.index] ?? "", `promotion.codes[${taken.index}]`, taken.holderId);
}

/** The promotion as the contract shows it, read in `db` (the write's transaction, after its flush). */
export async function promotionMessage(db: EntityManager, tenantId: string, id: string): Promise<PromotionMessage> {
  const [promotion] = await selectPromotions(db, tenantId, [id]);
  if (!promotion) throw new Error(`promotion ${id} vanished in its own transaction`);
  return promotionToMessage(promotion);
}

/** The request_id key of a call, when it has one. */
export function keyOf<Req extends DescMessage>(
  principal: Principal,
  procedure: string,
  schema: Req,
  request: MessageShape<Req> & { requestId: string },
): IdempotencyKey | undefined {
  return request.requestId ? idempotencyKey(principal.tenantId, procedure, schema, request) : undefined;
}

/**
 * The same request_id sent at once to two replicas: both write, and the loser finds the winner's codes taken
 * before it reaches the idempotency record, where idempotently() would notice. A PROMOTION_CODE_TAKEN of a
 * call with a key is therefore first checked against the winner's stored answer, which the loser returns.
 */
export function answeringCodeWinner<Res extends DescMessage>(
  orm: MikroORM,
  key: IdempotencyKey | undefined,
  output: Res,
  work: () => Promise<MessageShape<Res>>,
): Promise<MessageShape<Res>> {
  return answeringWinner(
    orm.em,
    key,
    output,
    work,
    (error) => error instanceof ServiceError && error.reason === CODE_TAKEN_REASON,
  );
}

/** One call that changes an existing promotion: its procedure and request (for request_id), the id and etag. */
export interface PromotionChangeCall<Req extends DescMessage, Res extends DescMessage> {
  /** e.g. "orders.v1.PromotionsService/DeactivatePromotion": a request_id belongs to one procedure. */
  procedure: string;
  requestSchema: Req;
  request: MessageShape<Req> & { requestId: string };
  promotionId: string;
  /** Empty when the caller sent none. */
  etag: string;
  responseSchema: Res;
  respond: (promotion: PromotionMessage) => MessageShape<Res>;
}

/**
 * The one way an existing promotion changes, in ONE transaction: lock its row (FOR UPDATE, in the caller's
 * tenant, else NOT_FOUND), answer a duplicate request_id as the first call did, check the etag, let `change`
 * set the row (it throws to refuse, which rolls everything back), bump the version (the etag) and the
 * update time, and answer with the promotion as written. Concurrent changes (and orders redeeming the
 * promotion) queue on the row lock.
 */
export function changePromotion<Req extends DescMessage, Res extends DescMessage>(
  orm: MikroORM,
  principal: Principal,
  call: PromotionChangeCall<Req, Res>,
  change: (tx: EntityManager, promotion: Promotion, current: PromotionView) => Promise<void>,
): Promise<MessageShape<Res>> {
  const { tenantId } = principal;
  const key = keyOf(principal, call.procedure, call.requestSchema, call.request);
  return answeringCodeWinner(orm, key, call.responseSchema, () =>
    changeIdempotently(
      orm.em.fork(),
      key,
      call.responseSchema,
      async (tx) => {
        const promotion = await tx.findOne(
          Promotion,
          { id: call.promotionId, tenant: tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!promotion) throw promotionNotFound(call.promotionId);
        return promotion;
      },
      async (tx, promotion, now) => {
        if (call.etag !== "" && call.etag !== etagOf(promotion.id, promotion.version)) {
          throw promotionEtagMismatch(promotion.id);
        }
        const [current] = await selectPromotions(tx, tenantId, [promotion.id]);
        if (!current) throw new Error(`promotion ${promotion.id} vanished under its row lock`);
        await change(tx, promotion, current);
        // Every change is a new version, also when only the codes (rows of their own) changed.
        promotion.updatedAt = now;
        await tx.flush();
        return call.respond(await promotionMessage(tx, tenantId, promotion.id));
      },
    ),
  );
}
