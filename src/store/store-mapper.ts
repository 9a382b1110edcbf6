import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  MarketSchema as MarketMessageSchema,
  SalesChannelSchema as SalesChannelMessageSchema,
  StockLocationSchema as StockLocationMessageSchema,
  type Market as MarketMessage,
  type SalesChannel as SalesChannelMessage,
  type StockLocation as StockLocationMessage,
} from "../../gen/orders/v1/store_pb.js";
import { recordToAddress } from "../addresses/address.js";
import { etagOf } from "../platform/database/etag.js";
import type { Market } from "./entities/market.js";
import type { SalesChannel } from "./entities/sales-channel.js";
import type { StockLocation } from "./entities/stock-location.js";

/** A market with its countries loaded (they are rows of market_countries, see the Market entity). */
export function marketToMessage(market: Market): MarketMessage {
  return create(MarketMessageSchema, {
    id: market.id,
    name: market.name,
    currency: market.currency,
    countries: market.countries
      .getItems()
      .map((row) => row.country)
      .sort(),
    defaultLocale: market.defaultLocale,
    createTime: timestampFromDate(market.createdAt),
    updateTime: timestampFromDate(market.updatedAt),
    etag: etagOf(market.id, market.version),
  });
}

export function salesChannelToMessage(channel: SalesChannel): SalesChannelMessage {
  return create(SalesChannelMessageSchema, {
    id: channel.id,
    name: channel.name,
    primary: channel.primary,
    createTime: timestampFromDate(channel.createdAt),
    updateTime: timestampFromDate(channel.updatedAt),
    etag: etagOf(channel.id, channel.version),
  });
}

export function stockLocationToMessage(location: StockLocation): StockLocationMessage {
  return create(StockLocationMessageSchema, {
    id: location.id,
    name: location.name,
    address: recordToAddress(location.address),
    active: location.active,
    createTime: timestampFromDate(location.createdAt),
    updateTime: timestampFromDate(location.updatedAt),
    etag: etagOf(location.id, location.version),
  });
}
