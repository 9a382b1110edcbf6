import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  AdjustInventoryLevelRequest,
  GetInventoryLevelRequest,
  GetInventorySettingsRequest,
  UpdateInventorySettingsRequest,
  InventoryService,
  ListInventoryLevelsRequest,
  ListInventoryTransactionsRequest,
  SetInventoryLevelRequest,
  SetInventoryTrackingRequest,
} from "../../gen/orders/v1/inventory_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { AdjustInventoryLevel } from "./adjust-inventory-level.js";
import { GetInventoryLevel } from "./get-inventory-level.js";
import { GetInventorySettings } from "./get-inventory-settings.js";
import { UpdateInventorySettings } from "./update-inventory-settings.js";
import { ListInventoryLevels } from "./list-inventory-levels.js";
import { ListInventoryTransactions } from "./list-inventory-transactions.js";
import { SetInventoryLevel } from "./set-inventory-level.js";
import { SetInventoryTracking } from "./set-inventory-tracking.js";

/** orders.v1.InventoryService: a thin adapter from RPCs to use cases. */
export class InventoryServiceHandler implements ServiceImpl<typeof InventoryService> {
  constructor(
    private readonly useCases: {
      setInventoryLevel: SetInventoryLevel;
      adjustInventoryLevel: AdjustInventoryLevel;
      getInventoryLevel: GetInventoryLevel;
      listInventoryLevels: ListInventoryLevels;
      listInventoryTransactions: ListInventoryTransactions;
      setInventoryTracking: SetInventoryTracking;
      getInventorySettings: GetInventorySettings;
      updateInventorySettings: UpdateInventorySettings;
    },
  ) {}

  setInventoryLevel(request: SetInventoryLevelRequest, context: HandlerContext) {
    return this.useCases.setInventoryLevel.execute(callerOf(context), request);
  }

  adjustInventoryLevel(request: AdjustInventoryLevelRequest, context: HandlerContext) {
    return this.useCases.adjustInventoryLevel.execute(callerOf(context), request);
  }

  getInventoryLevel(request: GetInventoryLevelRequest, context: HandlerContext) {
    return this.useCases.getInventoryLevel.execute(callerOf(context), request);
  }

  listInventoryLevels(request: ListInventoryLevelsRequest, context: HandlerContext) {
    return this.useCases.listInventoryLevels.execute(callerOf(context), request);
  }

  listInventoryTransactions(request: ListInventoryTransactionsRequest, context: HandlerContext) {
    return this.useCases.listInventoryTransactions.execute(callerOf(context), request);
  }

  setInventoryTracking(request: SetInventoryTrackingRequest, context: HandlerContext) {
    return this.useCases.setInventoryTracking.execute(callerOf(context), request);
  }

  getInventorySettings(_request: GetInventorySettingsRequest, context: HandlerContext) {
    return this.useCases.getInventorySettings.execute(callerOf(context));
  }

  updateInventorySettings(request: UpdateInventorySettingsRequest, context: HandlerContext) {
    return this.useCases.updateInventorySettings.execute(callerOf(context), request);
  }
}

export interface InventoryDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
}

/** The InventoryService handler over its use cases. */
export function inventoryHandler(deps: InventoryDeps): InventoryServiceHandler {
  return new InventoryServiceHandler({
    setInventoryLevel: new SetInventoryLevel(deps.orm),
    adjustInventoryLevel: new AdjustInventoryLevel(deps.orm),
    getInventoryLevel: new GetInventoryLevel(deps.orm),
    listInventoryLevels: new ListInventoryLevels(deps.orm, deps.pageTokens),
    listInventoryTransactions: new ListInventoryTransactions(deps.orm, deps.pageTokens),
    setInventoryTracking: new SetInventoryTracking(deps.orm),
    getInventorySettings: new GetInventorySettings(deps.orm),
    updateInventorySettings: new UpdateInventorySettings(deps.orm),
  });
}
