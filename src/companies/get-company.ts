import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetCompanyResponseSchema,
  type GetCompanyRequest,
  type GetCompanyResponse,
} from "../../gen/orders/v1/companies_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { companyNotFound } from "./company-errors.js";
import { companyToMessage } from "./company-mapper.js";
import { Company } from "./entities/company.js";

/** GetCompany: one company of the caller's tenant; other tenants' companies look exactly like missing ones. */
export class GetCompany {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetCompanyRequest): Promise<GetCompanyResponse> {
    const company = await this.orm.em.fork().findOne(Company, { id: request.id, tenant: principal.tenantId });
    if (!company) throw companyNotFound(request.id);
    return create(GetCompanyResponseSchema, { company: companyToMessage(company) });
  }
}
