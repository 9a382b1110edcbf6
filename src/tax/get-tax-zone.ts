import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetTaxZoneResponseSchema,
  type GetTaxZoneRequest,
  type GetTaxZoneResponse,
} from "../../gen/orders/v1/tax_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { TaxZone } from "./entities/tax-zone.js";
import { taxZoneNotFound } from "./tax-errors.js";
import { taxZoneToMessage } from "./tax-mapper.js";

/** GetTaxZone: one zone of the caller's tenant; other tenants' zones look exactly like missing ones. */
export class GetTaxZone {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetTaxZoneRequest): Promise<GetTaxZoneResponse> {
    const zone = await this.orm.em.fork().findOne(TaxZone, { id: request.id, tenant: principal.tenantId });
    if (!zone) throw taxZoneNotFound(request.id);
    return create(GetTaxZoneResponseSchema, { taxZone: taxZoneToMessage(zone) });
  }
}
