import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  CreateCompanyRequestSchema,
  CreateCompanyResponseSchema,
  type CreateCompanyRequest,
  type CreateCompanyResponse,
} from "../../gen/orders/v1/companies_service_pb.js";
import { addressCountryViolations, addressToRecord } from "../addresses/address.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyKey, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { companyToMessage } from "./company-mapper.js";
import { Company } from "./entities/company.js";
import { shippingAddressList } from "./rules/company-addresses.js";

/** CreateCompany: one row plus, with a request_id, its idempotency record, in one transaction. */
export class CreateCompany {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: CreateCompanyRequest): Promise<CreateCompanyResponse> {
    const em = this.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.CompaniesService/CreateCompany",
          CreateCompanyRequestSchema,
          request,
        )
      : undefined;
    return idempotently(em, key, CreateCompanyResponseSchema, async () => {
      const shipping = shippingAddressList("shipping_addresses", request.shippingAddresses, undefined, randomUUID);
      const violations = [
        ...addressCountryViolations("billing_address", request.billingAddress),
        ...(shipping.ok ? [] : shipping.violations),
      ];
      if (!shipping.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);

      const now = new Date();
      return em.fork().transactional(async (tx) => {
        const company = tx.create(Company, {
          id: randomUUID(),
          tenant: principal.tenantId,
          name: request.name,
          taxId: request.taxId || null,
          billingAddress: addressToRecord(request.billingAddress),
          shippingAddresses: shipping.addresses,
          metadata: { ...request.metadata },
          createdAt: now,
          updatedAt: now,
        });
        // Flushed first so the answer carries the version (etag) the row was written with.
        await tx.flush();
        const response = create(CreateCompanyResponseSchema, { company: companyToMessage(company) });
        if (key) recordResponse(tx, key, CreateCompanyResponseSchema, response, now);
        return response;
      });
    });
  }
}
