import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetInventorySettingsResponseSchema,
  type GetInventorySettingsResponse,
} from "../../gen/orders/v1/inventory_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { settingsToMessage } from "./inventory-mapper.js";
import { selectSettings } from "./queries.js";

/** GetInventorySettings: the tenant's settings, or the defaults while it has never changed them (no row yet). */
export class GetInventorySettings {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal): Promise<GetInventorySettingsResponse> {
    const settings = await selectSettings(this.orm.em.fork(), principal.tenantId);
    return create(GetInventorySettingsResponseSchema, { settings: settingsToMessage(settings) });
  }
}
