import { toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import type pg from "pg";
import { RETENTION_MS, type IdempotencyKey } from "../../src/platform/idempotency/idempotency.js";

/**
 * Writes the idempotency record a call with `key` leaves behind with its answer `response`, on `client` (in the
 * caller's open transaction): how a test plays another replica whose same call wins the race.
 */
export async function insertIdempotencyRecord<Desc extends DescMessage>(
  client: pg.ClientBase,
  key: IdempotencyKey,
  responseSchema: Desc,
  response: MessageShape<Desc>,
): Promise<void> {
  await client.query(
    `insert into idempotency_records (tenant_id, request_id, method, request_hash, response, created_at, expires_at)
     values ($1, $2, $3, $4, $5, now(), now() + $6 * interval '1 millisecond')`,
    [
      key.tenantId,
      key.requestId,
      key.method,
      key.requestHash,
      Buffer.from(toBinary(responseSchema, response)),
      RETENTION_MS,
    ],
  );
}
