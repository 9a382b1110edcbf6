import { create } from "@bufbuild/protobuf";
import { LockMode, type MikroORM } from "@mikro-orm/postgresql";
import {
  UpdateTaxZoneRequestSchema,
  UpdateTaxZoneResponseSchema,
  type UpdateTaxZoneRequest,
  type UpdateTaxZoneResponse,
} from "../../gen/orders/v1/tax_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { TaxZone } from "./entities/tax-zone.js";
import {
  checkTaxZone,
  placeOf,
  TAX_ZONE_FIELDS,
  type TaxZoneField,
  type TaxZoneFields,
  type TaxZonePlace,
} from "./rules/tax-zone-rules.js";
import { taxZoneEtagMismatch, taxZoneNotFound } from "./tax-errors.js";
import { taxZoneToMessage } from "./tax-mapper.js";
import { claimingPlace, refuseTakenPlace, taxZoneFieldsOf } from "./tax-zone-writes.js";

/** The fields that say where a zone applies: changing any of them may meet another zone (TAX_ZONE_EXISTS). */
const PLACE_FIELDS: readonly TaxZoneField[] = ["country", "region", "postal_code_prefixes"];

/**
 * UpdateTaxZone (AIP-134): sets the fields the mask names (rates and prefixes as a whole) under the zone's
 * row lock and its etag; a new place is checked against the tenant's other zones in the same transaction.
 */
export class UpdateTaxZone {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: UpdateTaxZoneRequest): Promise<UpdateTaxZoneResponse> {
    const id = request.taxZone?.id ?? "";
    const mask = updateMaskPaths(request.updateMask?.paths ?? [], TAX_ZONE_FIELDS);
    // The values are checked only once the mask is right: what to check is what it names.
    const checked = mask.ok ? checkTaxZone("tax_zone", taxZoneFieldsOf(request.taxZone), mask.paths) : undefined;
    const violations = [
      ...resourceIdViolations("tax_zone.id", id),
      ...(mask.ok ? [] : mask.violations),
      ...(checked && !checked.ok ? checked.violations : []),
    ];
    if (violations.length > 0 || !mask.ok || !checked?.ok) throw ServiceError.invalidArgument(violations);
    const { paths } = mask;
    const values = checked.values;
    const tenantId = principal.tenantId;
    const output = UpdateTaxZoneResponseSchema;
    const key = request.requestId
      ? idempotencyKey(tenantId, "orders.v1.TaxService/UpdateTaxZone", UpdateTaxZoneRequestSchema, request)
      : undefined;
    // Where the change puts the zone, known once the zone is read (a mask may name only some of its fields).
    let place: TaxZonePlace | undefined;
    return claimingPlace(this.orm, tenantId, key, output, { place: () => place, zoneId: id }, () =>
      changeIdempotently(
        this.orm.em.fork(),
        key,
        output,
        async (tx) => {
          const zone = await tx.findOne(TaxZone, { id, tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
          if (!zone) throw taxZoneNotFound(id);
          return zone;
        },
        async (tx, zone, now) => {
          const etag = request.taxZone?.etag ?? "";
          if (etag !== "" && etag !== etagOf(zone.id, zone.version)) throw taxZoneEtagMismatch(zone.id);
          for (const path of paths) apply(zone, path, values);
          if (paths.some((path) => PLACE_FIELDS.includes(path))) {
            place = placeOf(zone);
            await refuseTakenPlace(tx, tenantId, place, zone.id);
          }
          zone.updatedAt = now;
          // Flushed first so the answer carries the version (etag) the update produced.
          await tx.flush();
          return create(output, { taxZone: taxZoneToMessage(zone) });
        },
      ),
    );
  }
}

function apply(zone: TaxZone, path: TaxZoneField, values: TaxZoneFields): void {
  switch (path) {
    case "display_name":
      zone.displayName = values.displayName;
      return;
    case "country":
      zone.country = values.country;
      return;
    case "region":
      zone.region = values.region;
      return;
    case "postal_code_prefixes":
      zone.postalCodePrefixes = [...values.postalCodePrefixes];
      return;
    case "rates":
      zone.rates = [...values.rates];
      return;
  }
}
