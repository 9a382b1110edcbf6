import { create } from "@bufbuild/protobuf";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetMarketResponseSchema,
  GetSalesChannelResponseSchema,
  GetStockLocationResponseSchema,
  ListMarketsResponseSchema,
  ListSalesChannelsResponseSchema,
  ListStockLocationsResponseSchema,
  type CreateMarketRequest,
  type CreateSalesChannelRequest,
  type CreateStockLocationRequest,
  type GetMarketRequest,
  type GetSalesChannelRequest,
  type GetStockLocationRequest,
  type ListMarketsRequest,
  type ListSalesChannelsRequest,
  type ListStockLocationsRequest,
  type StoreService,
  type UpdateMarketRequest,
  type UpdateSalesChannelRequest,
  type UpdateStockLocationRequest,
} from "../../gen/orders/v1/store_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { CreateMarket } from "./markets/create-market.js";
import { UpdateMarket } from "./markets/update-market.js";
import { MARKETS, SALES_CHANNELS, STOCK_LOCATIONS } from "./resources.js";
import { CreateSalesChannel } from "./sales-channels/create-sales-channel.js";
import { UpdateSalesChannel } from "./sales-channels/update-sales-channel.js";
import { CreateStockLocation } from "./stock-locations/create-stock-location.js";
import { UpdateStockLocation } from "./stock-locations/update-stock-location.js";
import { StoreReads } from "./store-reads.js";
import { StoreWrites } from "./store-writes.js";

export interface StoreUseCases {
  reads: StoreReads;
  createMarket: CreateMarket;
  updateMarket: UpdateMarket;
  createSalesChannel: CreateSalesChannel;
  updateSalesChannel: UpdateSalesChannel;
  createStockLocation: CreateStockLocation;
  updateStockLocation: UpdateStockLocation;
}

/** orders.v1.StoreService: a thin adapter from RPCs to use cases; Get and List share StoreReads. */
export class StoreServiceHandler implements ServiceImpl<typeof StoreService> {
  constructor(private readonly useCases: StoreUseCases) {}

  createMarket(request: CreateMarketRequest, context: HandlerContext) {
    return this.useCases.createMarket.execute(callerOf(context), request);
  }

  async getMarket(request: GetMarketRequest, context: HandlerContext) {
    const market = await this.useCases.reads.get(callerOf(context), MARKETS, request.id);
    return create(GetMarketResponseSchema, { market });
  }

  async listMarkets(request: ListMarketsRequest, context: HandlerContext) {
    const { items, nextPageToken } = await this.useCases.reads.list(callerOf(context), MARKETS, request);
    return create(ListMarketsResponseSchema, { markets: items, nextPageToken });
  }

  updateMarket(request: UpdateMarketRequest, context: HandlerContext) {
    return this.useCases.updateMarket.execute(callerOf(context), request);
  }

  createSalesChannel(request: CreateSalesChannelRequest, context: HandlerContext) {
    return this.useCases.createSalesChannel.execute(callerOf(context), request);
  }

  async getSalesChannel(request: GetSalesChannelRequest, context: HandlerContext) {
    const salesChannel = await this.useCases.reads.get(callerOf(context), SALES_CHANNELS, request.id);
    return create(GetSalesChannelResponseSchema, { salesChannel });
  }

  async listSalesChannels(request: ListSalesChannelsRequest, context: HandlerContext) {
    const { items, nextPageToken } = await this.useCases.reads.list(callerOf(context), SALES_CHANNELS, request);
    return create(ListSalesChannelsResponseSchema, { salesChannels: items, nextPageToken });
  }

  updateSalesChannel(request: UpdateSalesChannelRequest, context: HandlerContext) {
    return this.useCases.updateSalesChannel.execute(callerOf(context), request);
  }

  createStockLocation(request: CreateStockLocationRequest, context: HandlerContext) {
    return this.useCases.createStockLocation.execute(callerOf(context), request);
  }

  async getStockLocation(request: GetStockLocationRequest, context: HandlerContext) {
    const stockLocation = await this.useCases.reads.get(callerOf(context), STOCK_LOCATIONS, request.id);
    return create(GetStockLocationResponseSchema, { stockLocation });
  }

  async listStockLocations(request: ListStockLocationsRequest, context: HandlerContext) {
    const { items, nextPageToken } = await this.useCases.reads.list(callerOf(context), STOCK_LOCATIONS, request);
    return create(ListStockLocationsResponseSchema, { stockLocations: items, nextPageToken });
  }

  updateStockLocation(request: UpdateStockLocationRequest, context: HandlerContext) {
    return this.useCases.updateStockLocation.execute(callerOf(context), request);
  }
}

/** The StoreService handler over its use cases. */
export function storeHandler(deps: { orm: MikroORM; pageTokens: () => Promise<PageTokens> }): StoreServiceHandler {
  const { orm, pageTokens } = deps;
  const writes = new StoreWrites(orm);
  return new StoreServiceHandler({
    reads: new StoreReads(orm, pageTokens),
    createMarket: new CreateMarket(orm, writes),
    updateMarket: new UpdateMarket(orm, writes),
    createSalesChannel: new CreateSalesChannel(writes),
    updateSalesChannel: new UpdateSalesChannel(writes),
    createStockLocation: new CreateStockLocation(writes),
    updateStockLocation: new UpdateStockLocation(writes),
  });
}
