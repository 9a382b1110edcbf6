import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  AdjustInventoryLevelRequestSchema,
  AdjustInventoryLevelResponseSchema,
  type AdjustInventoryLevelRequest,
  type AdjustInventoryLevelResponse,
} from "../../gen/orders/v1/inventory_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeLevel } from "./change-level.js";
import { quantityChangeZero } from "./inventory-errors.js";

/** AdjustInventoryLevel: on_hand += quantity_change, never below 0 (change-level.ts, rules/level-changes.ts). */
export class AdjustInventoryLevel {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: AdjustInventoryLevelRequest): Promise<AdjustInventoryLevelResponse> {
    if (request.quantityChange === 0) throw quantityChangeZero();
    return changeLevel(
      this.orm,
      principal,
      {
        name: "orders.v1.InventoryService/AdjustInventoryLevel",
        requestSchema: AdjustInventoryLevelRequestSchema,
        responseSchema: AdjustInventoryLevelResponseSchema,
        respond: (changed) => create(AdjustInventoryLevelResponseSchema, changed),
      },
      request,
      { kind: "adjust", quantityChange: request.quantityChange },
    );
  }
}
