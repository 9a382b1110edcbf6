import { ServiceError } from "../platform/transport/service-error.js";

/** The store's resources, as their errors name them. */
export type StoreResourceKind = "market" | "sales_channel" | "stock_location";

const NAMES: Record<StoreResourceKind, { reason: string; words: string; key: string }> = {
  market: { reason: "MARKET_NOT_FOUND", words: "market", key: "marketId" },
  sales_channel: { reason: "SALES_CHANNEL_NOT_FOUND", words: "sales channel", key: "salesChannelId" },
  stock_location: { reason: "STOCK_LOCATION_NOT_FOUND", words: "stock location", key: "stockLocationId" },
};

/** NOT_FOUND with reason MARKET_NOT_FOUND and so on; other tenants' resources look exactly like missing ones. */
export function storeResourceNotFound(kind: StoreResourceKind, id: string): ServiceError {
  const { reason, words, key } = NAMES[kind];
  return new ServiceError("not_found", reason, `${words} ${id} was not found`, [], { [key]: id });
}

export function etagMismatch(kind: StoreResourceKind, id: string): ServiceError {
  const { words, key } = NAMES[kind];
  return new ServiceError(
    "aborted",
    "ETAG_MISMATCH",
    `${words} ${id} changed since the given etag was read; read it again`,
    [],
    { [key]: id },
  );
}

/** ALREADY_EXISTS: a country is in another market of the tenant (marketId empty if that market let it go since). */
export function countryTaken(country: string, marketId: string | undefined): ServiceError {
  const holder = marketId === undefined ? "another market" : `market ${marketId}`;
  return new ServiceError(
    "already_exists",
    "COUNTRY_TAKEN",
    `country ${country} is in ${holder}; a country belongs to at most one market`,
    [],
    { country, marketId: marketId ?? "" },
  );
}

export function primaryChannelRequired(channelId: string): ServiceError {
  return new ServiceError(
    "failed_precondition",
    "PRIMARY_CHANNEL_REQUIRED",
    `sales channel ${channelId} is the primary channel; make another channel primary instead`,
    [],
    { salesChannelId: channelId },
  );
}
