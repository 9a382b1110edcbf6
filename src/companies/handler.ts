import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  CompaniesService,
  CreateCompanyRequest,
  GetCompanyRequest,
  ListCompaniesRequest,
  UpdateCompanyRequest,
} from "../../gen/orders/v1/companies_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { CreateCompany } from "./create-company.js";
import { GetCompany } from "./get-company.js";
import { ListCompanies } from "./list-companies.js";
import { UpdateCompany } from "./update-company.js";

/** orders.v1.CompaniesService: a thin adapter from RPCs to use cases. */
export class CompaniesServiceHandler implements ServiceImpl<typeof CompaniesService> {
  constructor(
    private readonly useCases: {
      createCompany: CreateCompany;
      getCompany: GetCompany;
      listCompanies: ListCompanies;
      updateCompany: UpdateCompany;
    },
  ) {}

  createCompany(request: CreateCompanyRequest, context: HandlerContext) {
    return this.useCases.createCompany.execute(callerOf(context), request);
  }

  getCompany(request: GetCompanyRequest, context: HandlerContext) {
    return this.useCases.getCompany.execute(callerOf(context), request);
  }

  listCompanies(request: ListCompaniesRequest, context: HandlerContext) {
    return this.useCases.listCompanies.execute(callerOf(context), request);
  }

  updateCompany(request: UpdateCompanyRequest, context: HandlerContext) {
    return this.useCases.updateCompany.execute(callerOf(context), request);
  }
}

export interface CompaniesDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
}

/** The CompaniesService handler over its use cases. */
export function companiesHandler(deps: CompaniesDeps): CompaniesServiceHandler {
  return new CompaniesServiceHandler({
    createCompany: new CreateCompany(deps.orm),
    getCompany: new GetCompany(deps.orm),
    listCompanies: new ListCompanies(deps.orm, deps.pageTokens),
    updateCompany: new UpdateCompany(deps.orm),
  });
}
