import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  TaxSettingsSchema as TaxSettingsMessageSchema,
  TaxZoneSchema as TaxZoneMessageSchema,
  type TaxSettings as TaxSettingsMessage,
  type TaxZone as TaxZoneMessage,
} from "../../gen/orders/v1/tax_pb.js";
import { etagOf } from "../platform/database/etag.js";
import { roundingMessageOf, type TaxSettingsValues } from "./rules/tax-settings-rules.js";
import type { TaxZoneValues } from "./rules/tax-zone-rules.js";

/** A zone as read: the entity, or a row of the listing (queries.ts). */
export interface TaxZoneView extends TaxZoneValues {
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export function taxZoneToMessage(zone: TaxZoneView): TaxZoneMessage {
  return create(TaxZoneMessageSchema, {
    id: zone.id,
    displayName: zone.displayName,
    country: zone.country,
    region: zone.region,
    postalCodePrefixes: [...zone.postalCodePrefixes],
    rates: zone.rates.map((rate) => ({ ...rate })),
    etag: etagOf(zone.id, zone.version),
    createTime: timestampFromDate(zone.createdAt),
    updateTime: timestampFromDate(zone.updatedAt),
  });
}

/** The version of a tenant's settings while they are the defaults (the column default, row or no row). */
export const DEFAULT_SETTINGS_VERSION = 1;

/** The settings as read: their values, the version their etag comes from, when they were last changed (or null). */
export interface TaxSettingsView extends TaxSettingsValues {
  version: number;
  updatedAt: Date | null | undefined;
}

/** A tenant's settings; their etag is derived from the tenant's id, as the singleton's own. */
export function taxSettingsToMessage(tenantId: string, settings: TaxSettingsView): TaxSettingsMessage {
  return create(TaxSettingsMessageSchema, {
    pricesIncludeTax: settings.pricesIncludeTax,
    marketOverrides: settings.marketOverrides.map((entry) => ({ ...entry })),
    taxShipping: settings.taxShipping,
    shippingTaxCategory: settings.shippingTaxCategory,
    rounding: roundingMessageOf(settings.rounding),
    etag: etagOf(tenantId, settings.version),
    updateTime: settings.updatedAt ? timestampFromDate(settings.updatedAt) : undefined,
  });
}
