import { defineEntity, p } from "@mikro-orm/core";
import { createdAt } from "../../database/entity-properties.js";

/**
 * `idempotency_records`: the stored response of a request, keyed by (tenant_id, request_id), so a
 * retry with the same request id gets the same answer. `request_hash` detects reuse of an id with a
 * different request; `response` is the binary protobuf of the response.
 */
export const IdempotencyRecordSchema = defineEntity({
  name: "IdempotencyRecord",
  tableName: "idempotency_records",
  primaryKeys: ["tenantId", "requestId"],
  properties: {
    tenantId: p.uuid().primary(),
    requestId: p.uuid().primary(),
    method: p.text(),
    requestHash: p.text(),
    response: p.uint8array(),
    ...createdAt,
    expiresAt: p.datetime().index("idempotency_records_expires_at_index"),
  },
});

export class IdempotencyRecord extends IdempotencyRecordSchema.class {
  isExpiredAt(now: Date): boolean {
    return this.expiresAt <= now;
  }
}

IdempotencyRecordSchema.setClass(IdempotencyRecord);
