import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import type { TaxZone as TaxZoneMessage } from "../../gen/orders/v1/tax_pb.js";
import { isUniqueViolation } from "../platform/database/errors.js";
import { answeringWinner, type IdempotencyKey } from "../platform/idempotency/idempotency.js";
import { zoneAt } from "./queries.js";
import type { TaxZoneFields, TaxZonePlace } from "./rules/tax-zone-rules.js";
import { taxZoneExists } from "./tax-errors.js";

/** The unique index of tax_zones on (tenant, country, region, postal code prefixes): one zone per place. */
export const TAX_ZONE_PLACE_CONSTRAINT = "tax_zones_place_unique";

/**
 * In a write's transaction, before it gives a zone `place` (`zoneId` undefined: the zone being created):
 * ALREADY_EXISTS, reason TAX_ZONE_EXISTS, naming the zone of the tenant already there.
 */
export async function refuseTakenPlace(
  tx: EntityManager,
  tenantId: string,
  place: TaxZonePlace,
  zoneId: string | undefined,
): Promise<void> {
  const holder = await zoneAt(tx, tenantId, place, zoneId);
  if (holder !== undefined) throw taxZoneExists(holder);
}

/**
 * Runs a write that may give a zone a place. Two writes racing for one place both pass refuseTakenPlace, but
 * the unique index lets only one commit. The loser answers:
 * - as the winner did when both carry the same request_id (the same call sent to two replicas at once,
 *   colliding on the zone's row before the idempotency record could tell);
 * - else TAX_ZONE_EXISTS naming the zone there now (`place()`: where the write tried to put its zone).
 */
export async function claimingPlace<Res extends DescMessage>(
  orm: MikroORM,
  tenantId: string,
  key: IdempotencyKey | undefined,
  output: Res,
  target: { place: () => TaxZonePlace | undefined; zoneId: string | undefined },
  write: () => Promise<MessageShape<Res>>,
): Promise<MessageShape<Res>> {
  try {
    return await answeringWinner(orm.em, key, output, write, (error) => isUniqueViolation(error));
  } catch (error) {
    const place = target.place();
    if (!isUniqueViolation(error, TAX_ZONE_PLACE_CONSTRAINT) || !place) throw error;
    throw taxZoneExists(await zoneAt(orm.em.fork(), tenantId, place, target.zoneId));
  }
}

/** The settable fields of a request's zone (all empty when it sent none: the required ones are then REQUIRED). */
export function taxZoneFieldsOf(zone: TaxZoneMessage | undefined): TaxZoneFields {
  return {
    displayName: zone?.displayName ?? "",
    country: zone?.country ?? "",
    region: zone?.region ?? "",
    postalCodePrefixes: zone?.postalCodePrefixes ?? [],
    rates: (zone?.rates ?? []).map(({ taxCategory, displayName, rate }) => ({ taxCategory, displayName, rate })),
  };
}
