import type { DescMessage, DescMethod, MessageShape } from "@bufbuild/protobuf";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { isUniqueViolation } from "../platform/database/errors.js";
import {
  answeringWinner,
  changeIdempotently,
  idempotencyKey,
  idempotently,
  recordResponse,
  type IdempotencyKey,
} from "../platform/idempotency/idempotency.js";
import { etagMismatch, storeResourceNotFound, type StoreResourceKind } from "./store-errors.js";

/** One create or update call: its RPC (a request_id belongs to one procedure) and its request. */
export interface StoreCall<Req extends DescMessage, Res extends DescMessage> {
  method: DescMethod & { input: Req; output: Res };
  request: MessageShape<Req> & { requestId: string };
}

/** What every store resource row has for an update: the version its etag comes from, its update time. */
export interface Versioned {
  id: string;
  version: number;
  updatedAt: Date;
}

/** The resource an update targets, loaded and locked (FOR UPDATE) in the update's transaction. */
export interface UpdateTarget<Entity extends Versioned> {
  kind: StoreResourceKind;
  id: string;
  /** Empty when the caller sent none. */
  etag: string;
  load: (tx: EntityManager) => Promise<Entity | null>;
}

/**
 * The one way a store resource is written: in ONE transaction, the change and, with a request_id, its
 * idempotency record (AIP-155), so a retry answers as the first call did and nothing is half written.
 * Validation happens before: a call that reaches here is well formed.
 */
export class StoreWrites {
  constructor(private readonly orm: MikroORM) {}

  /** A create: `work` adds the rows and answers; the answer is recorded for retries. */
  create<Req extends DescMessage, Res extends DescMessage>(
    principal: Principal,
    call: StoreCall<Req, Res>,
    work: (tx: EntityManager, now: Date) => Promise<MessageShape<Res>>,
  ): Promise<MessageShape<Res>> {
    const em = this.orm.em.fork();
    const key = this.keyOf(principal, call);
    return idempotently(em, key, call.method.output, () =>
      this.answeringWinner(key, call.method.output, () =>
        em.fork().transactional(async (tx) => {
          const now = new Date();
          const answer = await work(tx, now);
          if (key) recordResponse(tx, key, call.method.output, answer, now);
          return answer;
        }),
      ),
    );
  }

  /**
   * An update (AIP-134): lock the resource (in the caller's tenant, else NOT_FOUND), answer a retry that
   * waited for the lock as its first call was answered, check the etag (ABORTED, ETAG_MISMATCH), apply
   * `change`, bump the version (so the etag changes) and answer with the resource as flushed.
   */
  update<Entity extends Versioned, Req extends DescMessage, Res extends DescMessage>(
    principal: Principal,
    call: StoreCall<Req, Res>,
    target: UpdateTarget<Entity>,
    change: (tx: EntityManager, entity: Entity, now: Date) => Promise<void>,
    respond: (entity: Entity) => MessageShape<Res>,
  ): Promise<MessageShape<Res>> {
    const key = this.keyOf(principal, call);
    const output = call.method.output;
    return this.answeringWinner(key, output, () =>
      changeIdempotently(
        this.orm.em.fork(),
        key,
        output,
        async (tx) => {
          const entity = await target.load(tx);
          if (!entity) throw storeResourceNotFound(target.kind, target.id);
          return entity;
        },
        async (tx, entity, now) => {
          if (target.etag !== "" && target.etag !== etagOf(entity.id, entity.version)) {
            throw etagMismatch(target.kind, entity.id);
          }
          await change(tx, entity, now);
          // Every update is a new version, also when only child rows (a market's countries) changed.
          entity.updatedAt = now;
          // Flushed first so the answer carries the version (etag) the update produced.
          await tx.flush();
          return respond(entity);
        },
      ),
    );
  }

  /**
   * The same request_id sent twice at once to two replicas: both do the work, and the loser may collide
   * with the winner's rows (a market's countries) before it reaches the idempotency record, where
   * idempotently() would have noticed. Any unique violation is therefore first checked against the
   * winner's stored answer, which the loser returns as its own.
   */
  private answeringWinner<Res extends DescMessage>(
    key: IdempotencyKey | undefined,
    output: Res,
    work: () => Promise<MessageShape<Res>>,
  ): Promise<MessageShape<Res>> {
    return answeringWinner(this.orm.em, key, output, work, (error) => isUniqueViolation(error));
  }

  private keyOf<Req extends DescMessage, Res extends DescMessage>(principal: Principal, call: StoreCall<Req, Res>) {
    const procedure = `${call.method.parent.typeName}/${call.method.name}`;
    return call.request.requestId
      ? idempotencyKey(principal.tenantId, procedure, call.method.input, call.request)
      : undefined;
  }
}
