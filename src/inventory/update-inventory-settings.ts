import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  UpdateInventorySettingsResponseSchema,
  type UpdateInventorySettingsRequest,
  type UpdateInventorySettingsResponse,
} from "../../gen/orders/v1/inventory_service_pb.js";
import { StockShortagePolicy } from "../../gen/orders/v1/inventory_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { settingsToMessage } from "./inventory-mapper.js";
import { upsertSettings } from "./queries.js";

/**
 * UpdateInventorySettings: sets the tenant's shortage policy; orders placed after it commits follow it (each order
 * reads the policy in its own transaction, with its levels locked). The request's validation (protovalidate) has
 * refused an unspecified policy already.
 */
export class UpdateInventorySettings {
  constructor(private readonly orm: MikroORM) {}

  async execute(
    principal: Principal,
    request: UpdateInventorySettingsRequest,
  ): Promise<UpdateInventorySettingsResponse> {
    const policy = request.shortagePolicy === StockShortagePolicy.BACKORDER ? "backorder" : "refuse";
    const settings = await upsertSettings(this.orm.em.fork(), principal.tenantId, policy);
    return create(UpdateInventorySettingsResponseSchema, { settings: settingsToMessage(settings) });
  }
}
