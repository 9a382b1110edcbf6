import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  CreateTaxZoneRequestSchema,
  CreateTaxZoneResponseSchema,
  type CreateTaxZoneRequest,
  type CreateTaxZoneResponse,
} from "../../gen/orders/v1/tax_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyKey, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { TaxZone } from "./entities/tax-zone.js";
import { checkTaxZone, placeOf, TAX_ZONE_FIELDS } from "./rules/tax-zone-rules.js";
import { taxZoneToMessage } from "./tax-mapper.js";
import { claimingPlace, refuseTakenPlace, taxZoneFieldsOf } from "./tax-zone-writes.js";

/** CreateTaxZone: one row plus, with a request_id, its idempotency record, in one transaction. */
export class CreateTaxZone {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: CreateTaxZoneRequest): Promise<CreateTaxZoneResponse> {
    const checked = checkTaxZone("tax_zone", taxZoneFieldsOf(request.taxZone), TAX_ZONE_FIELDS);
    if (!checked.ok) throw ServiceError.invalidArgument(checked.violations);
    const values = checked.values;
    const place = placeOf(values);
    const tenantId = principal.tenantId;
    const em = this.orm.em.fork();
    const output = CreateTaxZoneResponseSchema;
    const key = request.requestId
      ? idempotencyKey(tenantId, "orders.v1.TaxService/CreateTaxZone", CreateTaxZoneRequestSchema, request)
      : undefined;
    return claimingPlace(this.orm, tenantId, key, output, { place: () => place, zoneId: undefined }, () =>
      idempotently(em, key, output, () =>
        em.fork().transactional(async (tx) => {
          await refuseTakenPlace(tx, tenantId, place, undefined);
          const now = new Date();
          const zone = tx.create(TaxZone, {
            tenant: tenantId,
            displayName: values.displayName,
            ...place,
            rates: [...values.rates],
            createdAt: now,
            updatedAt: now,
          });
          // Flushed first so the answer carries the version (etag) the row was written with.
          await tx.flush();
          const response = create(output, { taxZone: taxZoneToMessage(zone) });
          if (key) recordResponse(tx, key, output, response, now);
          return response;
        }),
      ),
    );
  }
}
