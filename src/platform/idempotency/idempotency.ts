import { createHash } from "node:crypto";
import { fromBinary, toBinary, toJson, type DescMessage, type DescMethod, type MessageShape } from "@bufbuild/protobuf";
import type { Principal } from "../auth/principal.js";
import type { EntityManager } from "@mikro-orm/postgresql";
import type pg from "pg";
import { IdempotencyRecord, IdempotencyRecordSchema } from "./entities/idempotency-record.js";
import { insertInto } from "../database/entity-insert.js";
import { isUniqueViolation } from "../database/errors.js";
import { GroupCommit, MAX_STATEMENT_PARAMETERS } from "../database/group-commit.js";
import { nativePool, query, type Parameters, type Queryable } from "../database/query.js";
import { ServiceError } from "../transport/service-error.js";
import { counter } from "../metrics/metrics.js";
import { SingleFlight } from "./single-flight.js";

const replays = counter({
  name: "orderspine_idempotency_replays_total",
  help: "Calls with a request_id answered with the stored response of an earlier call (AIP-155), by procedure.",
  labelNames: ["procedure"],
});

/** The procedure of a key, without the mode's suffix (`...#test`): a bounded label. */
function countReplay(key: IdempotencyKey): void {
  const hash = key.method.indexOf("#");
  replays.labels({ procedure: hash < 0 ? key.method : key.method.slice(0, hash) }).inc();
}

/**
 * AIP-155 request ids. The first call with a request_id stores its response in
 * the same transaction as the work it did; a retry with the same id and the
 * same request gets that response back, a retry with a different request is
 * ALREADY_EXISTS. Records are honoured for RETENTION_MS at least.
 */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

/** The primary key of idempotency_records: two concurrent first calls collide on it. */
export const IDEMPOTENCY_CONSTRAINT = "idempotency_records_pkey";

export interface IdempotencyKey {
  tenantId: string;
  requestId: string;
  method: string;
  requestHash: string;
}

export function idempotencyKey<Desc extends DescMessage>(
  tenantId: string,
  method: string,
  schema: Desc,
  request: MessageShape<Desc> & { requestId: string },
): IdempotencyKey {
  return { tenantId, requestId: request.requestId, method, requestHash: fingerprint(schema, request) };
}

/**
 * The key of an RPC's request_id (none without one) for resources that test and live keys each have their own of
 * (orders, carts; docs/test-mode.md). Records are kept per tenant whatever the mode, so a test key's calls are
 * recorded under a procedure of their own: a test key reusing a live call's request_id is refused as
 * IDEMPOTENCY_KEY_REUSED instead of being answered with the live call's resource, and the other way round. A live
 * key's procedure is the plain name.
 */
export function modeIdempotencyKey<Req extends DescMessage>(
  principal: Pick<Principal, "tenantId" | "mode">,
  method: DescMethod & { input: Req },
  request: MessageShape<Req> & { requestId: string },
): IdempotencyKey | undefined {
  if (!request.requestId) return undefined;
  const procedure = `${method.parent.typeName}/${method.name}`;
  return idempotencyKey(
    principal.tenantId,
    principal.mode === "test" ? `${procedure}#test` : procedure,
    method.input,
    request,
  );
}

/**
 * Hash of the request without its request_id, computed over canonical JSON
 * (keys sorted, defaults omitted) so that the same request sent as JSON or
 * binary, or with map entries in another order, has one fingerprint.
 */
function fingerprint<Desc extends DescMessage>(
  schema: Desc,
  request: MessageShape<Desc> & { requestId: string },
): string {
  const json = toJson(schema, { ...request, requestId: "" });
  return createHash("sha256").update(canonicalJson(json)).digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * The stored response for this key, or undefined when the key is unused (or
 * its record has expired); each one returned counts as a replay on /metrics. Throws ALREADY_EXISTS when the key was used for a
 * different request.
 */
export async function findReplay<Desc extends DescMessage>(
  em: EntityManager,
  key: IdempotencyKey,
  responseSchema: Desc,
  now = new Date(),
): Promise<MessageShape<Desc> | undefined> {
  const record = await storedRecord(em, key);
  if (!record) return undefined;
  if (record.expiresAtMs <= now.getTime()) {
    // Free the key for this new request; the delete is conditional so a fresh record is never lost.
    await em.nativeDelete(IdempotencyRecord, {
      tenantId: key.tenantId,
      requestId: key.requestId,
      expiresAt: { $lte: now },
    });
    return undefined;
  }
  if (record.method !== key.method || record.requestHash !== key.requestHash) {
    throw new ServiceError(
      "already_exists",
      "IDEMPOTENCY_KEY_REUSED",
      "request_id was already used for a different request",
      [],
      { requestId: key.requestId },
    );
  }
  countReplay(key);
  return fromBinary(responseSchema, record.response);
}

/** What findReplay reads of a key's record. */
interface StoredRecord {
  method: string;
  requestHash: string;
  response: Uint8Array;
  /** When it expires, in milliseconds since the epoch (the pool reads timestamps as text). */
  expiresAtMs: number;
}

/**
 * The records of some keys in ONE statement, answered per key in the keys' order (undefined: none). Its text never
 * changes, so each connection keeps it prepared.
 */
const STORED_RECORDS_SQL = `select k.ordinal::integer as ordinal, r.method, r.request_hash as "requestHash", r.response,
    (extract(epoch from r.expires_at) * 1000)::float8 as "expiresAtMs"
  from unnest($1::uuid[], $2::uuid[]) with ordinality as k(tenant_id, request_id, ordinal)
  join idempotency_records r on r.tenant_id = k.tenant_id and r.request_id = k.request_id`;

async function storedRecords(db: Queryable, keys: readonly IdempotencyKey[]): Promise<(StoredRecord | undefined)[]> {
  const { rows } = await query<StoredRecord & { ordinal: number }>(
    db,
    STORED_RECORDS_SQL,
    [keys.map((key) => key.tenantId), keys.map((key) => key.requestId)],
    { name: "orderspine_idempotency_records" },
  );
  const byOrdinal = new Map(rows.map((row) => [row.ordinal, row]));
  // `with ordinality` counts from 1.
  return keys.map((_, i) => byOrdinal.get(i + 1));
}

/** Per pool: the reads of the calls that arrive while one is in flight go together as the next statement. */
const recordReads = new WeakMap<pg.Pool, GroupCommit<IdempotencyKey, StoredRecord | undefined>>();

/**
 * The stored record of `key`. Inside a transaction, on its connection (a change reads it under its row lock);
 * otherwise batched with the other calls' reads on the pool, as CreateOrder batches its statements
 * (platform/database/group-commit.ts): every create with a request_id reads its key before any work.
 */
async function storedRecord(em: EntityManager, key: IdempotencyKey): Promise<StoredRecord | undefined> {
  if (em.isInTransaction()) return (await storedRecords(em, [key]))[0];
  const pool = await nativePool(em);
  let reads = recordReads.get(pool);
  if (!reads) {
    reads = new GroupCommit<IdempotencyKey, StoredRecord | undefined>({
      writeAll: (keys) => storedRecords(pool, keys),
      writeOne: async (one) => (await storedRecords(pool, [one]))[0],
      size: () => ({ bytes: 64, parameters: 0 }),
      limits: { maxItems: 256, maxBytes: 1024 * 1024, maxParameters: MAX_STATEMENT_PARAMETERS },
    });
    recordReads.set(pool, reads);
  }
  return reads.write(key);
}

/** An `idempotency_records` row, as CreateOrder's single statement inserts it. */
export interface NewIdempotencyRow extends IdempotencyKey {
  response: Uint8Array;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * The insert of idempotency records (generated from the entity), for a statement of the caller's (CreateOrder's, as
 * a CTE; a batch of orders writes all their records in it).
 */
export function idempotencyRecordInsert(
  em: EntityManager,
  params: Parameters,
  records: readonly NewIdempotencyRow[],
): string {
  return insertInto(em, IdempotencyRecordSchema, records, params);
}

/** The record for a response, as a plain row for callers that insert it themselves (CreateOrder). */
export function idempotencyRecordRow<Desc extends DescMessage>(
  key: IdempotencyKey,
  responseSchema: Desc,
  response: MessageShape<Desc>,
  now: Date,
): NewIdempotencyRow {
  return {
    ...key,
    response: toBinary(responseSchema, response),
    createdAt: now,
    expiresAt: new Date(now.getTime() + RETENTION_MS),
  };
}

/** Stages the record in the caller's unit of work, next to the rows it answers for. */
export function recordResponse<Desc extends DescMessage>(
  em: EntityManager,
  key: IdempotencyKey,
  responseSchema: Desc,
  response: MessageShape<Desc>,
  now: Date,
): void {
  em.create(IdempotencyRecord, idempotencyRecordRow(key, responseSchema, response, now));
}

/** The calls with a request_id that are running in this process (one per replica, by nature). */
const inFlight = new SingleFlight();

/**
 * Runs a create with AIP-155 semantics: a stored answer is replayed before any
 * work; and when a concurrent call with the same key commits first (its
 * idempotency row collides with ours), our transaction rolls back and we answer
 * as it did. Identical calls in flight at once in this process share one
 * execution. Without a key, just runs the work.
 */
export function idempotently<Desc extends DescMessage>(
  em: EntityManager,
  key: IdempotencyKey | undefined,
  responseSchema: Desc,
  work: () => Promise<MessageShape<Desc>>,
): Promise<MessageShape<Desc>> {
  if (!key) return work();
  // A call with the same request_id but another procedure or body is not shared: it must see the
  // stored record and be refused as a reuse.
  const flightKey = [key.tenantId, key.requestId, key.method, key.requestHash].join("\n");
  return inFlight.run(flightKey, async () => {
    const stored = await findReplay(em, key, responseSchema);
    if (stored) return stored;
    return answeringWinner(em, key, responseSchema, work, (error) => isUniqueViolation(error, IDEMPOTENCY_CONSTRAINT));
  });
}

/**
 * Runs the work of a call with request_id `key`; when it fails with an error `collided` says a concurrent call
 * with the same key may have caused (its rows collided with that call's: the idempotency record, or a unique
 * value both claim, which two replicas doing the same create at once meet before the record), answers as
 * that call did once it committed. Without a key, or when no answer is stored, the error stands.
 */
export async function answeringWinner<Desc extends DescMessage>(
  em: EntityManager,
  key: IdempotencyKey | undefined,
  responseSchema: Desc,
  work: () => Promise<MessageShape<Desc>>,
  collided: (error: unknown) => boolean,
): Promise<MessageShape<Desc>> {
  try {
    return await work();
  } catch (error) {
    if (key && collided(error)) {
      const winner = await findReplay(em.fork(), key, responseSchema);
      if (winner) return winner;
    }
    throw error;
  }
}

/**
 * A change of an existing row with AIP-155 semantics, in ONE transaction: `lock` locks the row it
 * changes (FOR UPDATE, in the caller's tenant; it throws the NOT_FOUND), then a duplicate that waited
 * for the lock while the first call committed answers as that call did (instead of failing on an etag
 * or state that call changed), else `change` does the work and answers, and the answer is recorded
 * beside it. Concurrent changes of one row queue on its lock, so each sees the one before.
 */
export function changeIdempotently<Desc extends DescMessage, Locked>(
  em: EntityManager,
  key: IdempotencyKey | undefined,
  responseSchema: Desc,
  lock: (tx: EntityManager) => Promise<Locked>,
  change: (tx: EntityManager, locked: Locked, now: Date) => Promise<MessageShape<Desc>>,
): Promise<MessageShape<Desc>> {
  return idempotently(em, key, responseSchema, () =>
    em.fork().transactional(async (tx) => {
      const locked = await lock(tx);
      const replay = key && (await findReplay(tx, key, responseSchema));
      if (replay) return replay;
      const now = new Date();
      const response = await change(tx, locked, now);
      if (key) recordResponse(tx, key, responseSchema, response, now);
      return response;
    }),
  );
}
