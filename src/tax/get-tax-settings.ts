import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { GetTaxSettingsResponseSchema, type GetTaxSettingsResponse } from "../../gen/orders/v1/tax_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { TaxSettings } from "./entities/tax-settings.js";
import { DEFAULT_TAX_SETTINGS } from "./rules/tax-settings-rules.js";
import { DEFAULT_SETTINGS_VERSION, taxSettingsToMessage } from "./tax-mapper.js";

/** GetTaxSettings: the tenant's settings, or the defaults while it has never changed them (no row yet). */
export class GetTaxSettings {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal): Promise<GetTaxSettingsResponse> {
    const settings = await this.orm.em.fork().findOne(TaxSettings, { tenant: principal.tenantId });
    const view = settings ?? { ...DEFAULT_TAX_SETTINGS, version: DEFAULT_SETTINGS_VERSION, updatedAt: null };
    return create(GetTaxSettingsResponseSchema, { taxSettings: taxSettingsToMessage(principal.tenantId, view) });
  }
}
