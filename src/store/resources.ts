import type { EntityManager } from "@mikro-orm/postgresql";
import type {
  Market as MarketMessage,
  SalesChannel as SalesChannelMessage,
  StockLocation as StockLocationMessage,
} from "../../gen/orders/v1/store_pb.js";
import { Market } from "./entities/market.js";
import { SalesChannel } from "./entities/sales-channel.js";
import { StockLocation } from "./entities/stock-location.js";
import { marketToMessage, salesChannelToMessage, stockLocationToMessage } from "./store-mapper.js";
import type { StoreResource } from "./store-reads.js";

/** The store's three resources as Get and List read them (store-reads.ts). */

export const MARKETS: StoreResource<Market, MarketMessage> = {
  kind: "market",
  table: "markets",
  load: (em: EntityManager, tenantId, ids) =>
    em.find(Market, { id: { $in: [...ids] }, tenant: tenantId }, { populate: ["countries"] }),
  toMessage: marketToMessage,
};

export const SALES_CHANNELS: StoreResource<SalesChannel, SalesChannelMessage> = {
  kind: "sales_channel",
  table: "sales_channels",
  load: (em, tenantId, ids) => em.find(SalesChannel, { id: { $in: [...ids] }, tenant: tenantId }),
  toMessage: salesChannelToMessage,
};

export const STOCK_LOCATIONS: StoreResource<StockLocation, StockLocationMessage> = {
  kind: "stock_location",
  table: "stock_locations",
  load: (em, tenantId, ids) => em.find(StockLocation, { id: { $in: [...ids] }, tenant: tenantId }),
  toMessage: stockLocationToMessage,
};
