import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  CreateTaxZoneRequest,
  DeleteTaxZoneRequest,
  GetTaxSettingsRequest,
  GetTaxZoneRequest,
  ListTaxZonesRequest,
  TaxService,
  UpdateTaxSettingsRequest,
  UpdateTaxZoneRequest,
} from "../../gen/orders/v1/tax_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { CreateTaxZone } from "./create-tax-zone.js";
import { DeleteTaxZone } from "./delete-tax-zone.js";
import { GetTaxSettings } from "./get-tax-settings.js";
import { GetTaxZone } from "./get-tax-zone.js";
import { ListTaxZones } from "./list-tax-zones.js";
import { UpdateTaxSettings } from "./update-tax-settings.js";
import { UpdateTaxZone } from "./update-tax-zone.js";

export interface TaxUseCases {
  createTaxZone: CreateTaxZone;
  getTaxZone: GetTaxZone;
  listTaxZones: ListTaxZones;
  updateTaxZone: UpdateTaxZone;
  deleteTaxZone: DeleteTaxZone;
  getTaxSettings: GetTaxSettings;
  updateTaxSettings: UpdateTaxSettings;
}

/** orders.v1.TaxService: a thin adapter from RPCs to use cases. */
export class TaxServiceHandler implements ServiceImpl<typeof TaxService> {
  constructor(private readonly useCases: TaxUseCases) {}

  createTaxZone(request: CreateTaxZoneRequest, context: HandlerContext) {
    return this.useCases.createTaxZone.execute(callerOf(context), request);
  }

  getTaxZone(request: GetTaxZoneRequest, context: HandlerContext) {
    return this.useCases.getTaxZone.execute(callerOf(context), request);
  }

  listTaxZones(request: ListTaxZonesRequest, context: HandlerContext) {
    return this.useCases.listTaxZones.execute(callerOf(context), request);
  }

  updateTaxZone(request: UpdateTaxZoneRequest, context: HandlerContext) {
    return this.useCases.updateTaxZone.execute(callerOf(context), request);
  }

  deleteTaxZone(request: DeleteTaxZoneRequest, context: HandlerContext) {
    return this.useCases.deleteTaxZone.execute(callerOf(context), request);
  }

  getTaxSettings(_request: GetTaxSettingsRequest, context: HandlerContext) {
    return this.useCases.getTaxSettings.execute(callerOf(context));
  }

  updateTaxSettings(request: UpdateTaxSettingsRequest, context: HandlerContext) {
    return this.useCases.updateTaxSettings.execute(callerOf(context), request);
  }
}

export interface TaxDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
}

/** The TaxService handler over its use cases. */
export function taxHandler(deps: TaxDeps): TaxServiceHandler {
  return new TaxServiceHandler({
    createTaxZone: new CreateTaxZone(deps.orm),
    getTaxZone: new GetTaxZone(deps.orm),
    listTaxZones: new ListTaxZones(deps.orm, deps.pageTokens),
    updateTaxZone: new UpdateTaxZone(deps.orm),
    deleteTaxZone: new DeleteTaxZone(deps.orm),
    getTaxSettings: new GetTaxSettings(deps.orm),
    updateTaxSettings: new UpdateTaxSettings(deps.orm),
  });
}
