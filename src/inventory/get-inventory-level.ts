import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetInventoryLevelResponseSchema,
  type GetInventoryLevelRequest,
  type GetInventoryLevelResponse,
} from "../../gen/orders/v1/inventory_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { inventoryLevelNotFound } from "./inventory-errors.js";
import { levelToMessage } from "./inventory-mapper.js";
import { selectLevel } from "./queries.js";

/** GetInventoryLevel: one level of the caller's tenant by variant and stock location. */
export class GetInventoryLevel {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetInventoryLevelRequest): Promise<GetInventoryLevelResponse> {
    const { variantId, stockLocationId } = request;
    const level = await selectLevel(this.orm.em.fork(), principal.tenantId, variantId, stockLocationId);
    if (!level) throw inventoryLevelNotFound(variantId, stockLocationId);
    return create(GetInventoryLevelResponseSchema, { inventoryLevel: levelToMessage(level) });
  }
}
