import { create } from "@bufbuild/protobuf";
import { LockMode, type MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import type { Company as CompanyMessage } from "../../gen/orders/v1/company_pb.js";
import {
  UpdateCompanyRequestSchema,
  UpdateCompanyResponseSchema,
  type UpdateCompanyRequest,
  type UpdateCompanyResponse,
} from "../../gen/orders/v1/companies_service_pb.js";
import { addressCountryViolations, addressToRecord } from "../addresses/address.js";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { companyEtagMismatch, companyNotFound } from "./company-errors.js";
import { companyToMessage } from "./company-mapper.js";
import { Company } from "./entities/company.js";
import { shippingAddressList } from "./rules/company-addresses.js";

/** The Company fields UpdateCompany may set, by proto name as they appear in update_mask. */
export const UPDATABLE_PATHS = ["name", "tax_id", "billing_address", "shipping_addresses", "metadata"] as const;
type UpdatablePath = (typeof UPDATABLE_PATHS)[number];

/**
 * UpdateCompany (AIP-134): sets the fields named in update_mask from the given company, clearing those
 * left empty (but never the name), under the company's row lock and its etag.
 */
export class UpdateCompany {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: UpdateCompanyRequest): Promise<UpdateCompanyResponse> {
    const changes = request.company;
    if (!changes) throw ServiceError.invalidArgument([fieldViolation("company", "REQUIRED", "is required")]);
    const paths = checkedPaths(request, changes);
    const em = this.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CompaniesService/UpdateCompany",
          UpdateCompanyRequestSchema,
          request,
        )
      : undefined;
    return changeIdempotently(
      em,
      key,
      UpdateCompanyResponseSchema,
      async (tx) => {
        const company = await tx.findOne(
          Company,
          { id: changes.id, tenant: principal.tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!company) throw companyNotFound(changes.id);
        return company;
      },
      async (tx, company, now) => {
        if (changes.etag !== "" && changes.etag !== etagOf(company.id, company.version)) {
          throw companyEtagMismatch(company.id);
        }
        // The ids a new list may keep are the company's current ones, known only now.
        const violations: FieldViolation[] = [];
        for (const path of paths) violations.push(...apply(company, path, changes));
        if (violations.length > 0) throw ServiceError.invalidArgument(violations);
        company.updatedAt = now;
        // Flushed first so the answer carries the version (etag) the update produced.
        await tx.flush();
        return create(UpdateCompanyResponseSchema, { company: companyToMessage(company) });
      },
    );
  }
}

/** The mask's paths; INVALID_ARGUMENT naming every path that cannot be set and every bad value it names. */
function checkedPaths(request: UpdateCompanyRequest, changes: CompanyMessage): UpdatablePath[] {
  const mask = updateMaskPaths(request.updateMask?.paths ?? [], UPDATABLE_PATHS);
  const violations = [...resourceIdViolations("company.id", changes.id), ...(mask.ok ? [] : mask.violations)];
  if (mask.ok && mask.paths.includes("name") && changes.name === "") {
    violations.push(fieldViolation("company.name", "REQUIRED", "a company's name cannot be cleared"));
  }
  if (mask.ok && mask.paths.includes("billing_address")) {
    violations.push(...addressCountryViolations("company.billing_address", changes.billingAddress));
  }
  if (!mask.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);
  return mask.paths;
}

/** Sets one path; the violations of the value, when it depends on the company (shipping address ids). */
function apply(company: Company, path: UpdatablePath, changes: CompanyMessage): FieldViolation[] {
  switch (path) {
    case "name":
      company.name = changes.name;
      return [];
    case "tax_id":
      company.taxId = changes.taxId || null;
      return [];
    case "billing_address":
      company.billingAddress = addressToRecord(changes.billingAddress);
      return [];
    case "shipping_addresses": {
      const list = shippingAddressList(
        "company.shipping_addresses",
        changes.shippingAddresses,
        company.shippingAddresses,
        randomUUID,
      );
      if (!list.ok) return list.violations;
      company.shippingAddresses = list.addresses;
      return [];
    }
    case "metadata":
      company.metadata = { ...changes.metadata };
      return [];
  }
}
