import { create } from "@bufbuild/protobuf";
import { LockMode, type MikroORM } from "@mikro-orm/postgresql";
import {
  DeleteTaxZoneRequestSchema,
  DeleteTaxZoneResponseSchema,
  type DeleteTaxZoneRequest,
  type DeleteTaxZoneResponse,
} from "../../gen/orders/v1/tax_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { TaxZone } from "./entities/tax-zone.js";
import { taxZoneEtagMismatch, taxZoneNotFound } from "./tax-errors.js";

/**
 * DeleteTaxZone (AIP-135): removes the zone under its row lock and its etag. Orders keep the tax lines they
 * were placed with (snapshots, not references), so nothing else changes. With a request_id, a retry answers
 * as the first call did instead of NOT_FOUND.
 */
export class DeleteTaxZone {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: DeleteTaxZoneRequest): Promise<DeleteTaxZoneResponse> {
    const tenantId = principal.tenantId;
    const output = DeleteTaxZoneResponseSchema;
    const key = request.requestId
      ? idempotencyKey(tenantId, "orders.v1.TaxService/DeleteTaxZone", DeleteTaxZoneRequestSchema, request)
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      output,
      // A zone gone is NOT_FOUND only after the replay check: the same call sent twice at once may find
      // the zone its twin deleted while it waited for the lock, and answers as the twin did.
      (tx) => tx.findOne(TaxZone, { id: request.id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE }),
      async (tx, zone) => {
        if (!zone) throw taxZoneNotFound(request.id);
        if (request.etag !== "" && request.etag !== etagOf(zone.id, zone.version)) throw taxZoneEtagMismatch(zone.id);
        tx.remove(zone);
        await tx.flush();
        return create(output);
      },
    );
  }
}
