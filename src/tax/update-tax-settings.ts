import { create } from "@bufbuild/protobuf";
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/postgresql";
import { TaxRounding, type TaxSettings as TaxSettingsMessage } from "../../gen/orders/v1/tax_pb.js";
import {
  UpdateTaxSettingsRequestSchema,
  UpdateTaxSettingsResponseSchema,
  type UpdateTaxSettingsRequest,
  type UpdateTaxSettingsResponse,
} from "../../gen/orders/v1/tax_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { updateMaskPaths } from "../platform/transport/update-mask.js";
import { resolveStoreReferences, storeResourceNotFound } from "../store/public.js";
import { TaxSettings } from "./entities/tax-settings.js";
import { ensureTaxSettingsRow } from "./queries.js";
import {
  changedTaxSettings,
  DEFAULT_TAX_SETTINGS,
  TAX_SETTINGS_FIELDS,
  taxSettingsViolations,
  type MarketOverrideRecord,
  type TaxSettingsFields,
} from "./rules/tax-settings-rules.js";
import { taxSettingsEtagMismatch } from "./tax-errors.js";
import { taxSettingsToMessage } from "./tax-mapper.js";

/**
 * UpdateTaxSettings (AIP-134 on the AIP-156 singleton): sets the fields the mask names under the settings'
 * row lock and etag. The tenant's first update writes the row (with the defaults) before locking it, so two
 * first updates queue like any others; the defaults' etag stays valid for it.
 */
export class UpdateTaxSettings {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: UpdateTaxSettingsRequest): Promise<UpdateTaxSettingsResponse> {
    const given = fieldsOf(request.taxSettings);
    const mask = updateMaskPaths(request.updateMask?.paths ?? [], TAX_SETTINGS_FIELDS);
    const violations = mask.ok ? taxSettingsViolations("tax_settings", given, mask.paths) : mask.violations;
    if (!mask.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);
    const { paths } = mask;
    const tenantId = principal.tenantId;
    const output = UpdateTaxSettingsResponseSchema;
    const key = request.requestId
      ? idempotencyKey(tenantId, "orders.v1.TaxService/UpdateTaxSettings", UpdateTaxSettingsRequestSchema, request)
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      output,
      async (tx) => {
        await ensureTaxSettingsRow(tx, tenantId);
        return tx.findOneOrFail(TaxSettings, { tenant: tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      },
      async (tx, settings, now) => {
        const etag = request.taxSettings?.etag ?? "";
        if (etag !== "" && etag !== etagOf(tenantId, settings.version)) throw taxSettingsEtagMismatch();
        const values = changedTaxSettings(settings, given, paths);
        if (paths.includes("market_overrides")) await refuseUnknownMarkets(tx, tenantId, values.marketOverrides);
        Object.assign(settings, values, { updatedAt: now });
        // Flushed first so the answer carries the version (etag) the update produced.
        await tx.flush();
        return create(output, { taxSettings: taxSettingsToMessage(tenantId, settings) });
      },
    );
  }
}

/**
 * NOT_FOUND, reason MARKET_NOT_FOUND (StoreService's own error), for the first override whose market is not
 * the tenant's. One lookup per market, through the store's surface; markets are never deleted, so what holds
 * now holds for the settings' whole life.
 */
async function refuseUnknownMarkets(
  tx: EntityManager,
  tenantId: string,
  overrides: readonly MarketOverrideRecord[],
): Promise<void> {
  for (const { marketId } of overrides) {
    const { notFound } = await resolveStoreReferences(tx, tenantId, { marketId });
    if (notFound.length > 0) throw storeResourceNotFound("market", marketId);
  }
}

/** The settable fields of a request's settings (the defaults when it sent none). */
function fieldsOf(settings: TaxSettingsMessage | undefined): TaxSettingsFields {
  return {
    pricesIncludeTax: settings?.pricesIncludeTax ?? DEFAULT_TAX_SETTINGS.pricesIncludeTax,
    marketOverrides: (settings?.marketOverrides ?? []).map(({ marketId, pricesIncludeTax }) => ({
      marketId,
      pricesIncludeTax,
    })),
    taxShipping: settings?.taxShipping ?? DEFAULT_TAX_SETTINGS.taxShipping,
    shippingTaxCategory: settings?.shippingTaxCategory ?? "",
    rounding: settings?.rounding ?? TaxRounding.UNSPECIFIED,
  };
}
