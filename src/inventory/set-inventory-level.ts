import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  SetInventoryLevelRequestSchema,
  SetInventoryLevelResponseSchema,
  type SetInventoryLevelRequest,
  type SetInventoryLevelResponse,
} from "../../gen/orders/v1/inventory_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeLevel } from "./change-level.js";

/** SetInventoryLevel: on_hand := a counted quantity, the difference in the ledger (change-level.ts). */
export class SetInventoryLevel {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: SetInventoryLevelRequest): Promise<SetInventoryLevelResponse> {
    return changeLevel(
      this.orm,
      principal,
      {
        name: "orders.v1.InventoryService/SetInventoryLevel",
        requestSchema: SetInventoryLevelRequestSchema,
        responseSchema: SetInventoryLevelResponseSchema,
        respond: (changed) => create(SetInventoryLevelResponseSchema, changed),
      },
      request,
      { kind: "set", onHand: request.onHand },
    );
  }
}
