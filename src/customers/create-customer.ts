import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  CreateCustomerRequestSchema,
  CreateCustomerResponseSchema,
  type CreateCustomerRequest,
  type CreateCustomerResponse,
} from "../../gen/orders/v1/customers_service_pb.js";
import type { Principal } from "../auth/principal.js";
import { isCountryCode } from "../domain/country.js";
import { fieldViolation, type FieldViolation } from "../domain/field-violation.js";
import { IDEMPOTENCY_CONSTRAINT, findReplay, idempotencyKey, recordResponse } from "../idempotency/idempotency.js";
import { Customer } from "../persistence/entities/customer.js";
import { isUniqueViolation } from "../persistence/errors.js";
import { ServiceError } from "../service-error.js";
import { addressToRecord } from "../orders/order-mapper.js";
import { customerToMessage } from "./customer-mapper.js";

export const CUSTOMER_EMAIL_CONSTRAINT = "customers_tenant_id_lower_email_unique";

/** CreateCustomer: one row plus, with a request_id, its idempotency record, in one transaction. */
export class CreateCustomer {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: CreateCustomerRequest): Promise<CreateCustomerResponse> {
    const em = this.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(principal.tenantId, "orders.v1.CustomersService/CreateCustomer", CreateCustomerRequestSchema, request)
      : undefined;
    if (key) {
      const replay = await findReplay(em, key, CreateCustomerResponseSchema);
      if (replay) return replay;
    }
    const violations: FieldViolation[] = [];
    for (const [field, address] of [
      ["default_billing_address", request.defaultBillingAddress],
      ["default_shipping_address", request.defaultShippingAddress],
    ] as const) {
      if (address && !isCountryCode(address.country)) {
        violations.push(fieldViolation(`${field}.country`, "UNKNOWN_COUNTRY", `"${address.country}" is not an ISO 3166-1 alpha-2 country code`));
      }
    }
    if (violations.length > 0) throw ServiceError.invalidArgument(violations);

    const now = new Date();
    try {
      return await em.fork().transactional(async (tx) => {
        const customer = tx.create(Customer, {
          id: randomUUID(),
          tenant: principal.tenantId,
          email: request.email,
          name: request.name,
          company: request.company || null,
          phone: request.phone || null,
          defaultBillingAddress: addressToRecord(request.defaultBillingAddress),
          defaultShippingAddress: addressToRecord(request.defaultShippingAddress),
          createdAt: now,
          updatedAt: now,
        });
        const response = create(CreateCustomerResponseSchema, { customer: customerToMessage(customer) });
        if (key) recordResponse(tx, key, CreateCustomerResponseSchema, response, now);
        return response;
      });
    } catch (error) {
      if (key && isUniqueViolation(error, IDEMPOTENCY_CONSTRAINT)) {
        const replay = await findReplay(em.fork(), key, CreateCustomerResponseSchema);
        if (replay) return replay;
      }
      if (isUniqueViolation(error, CUSTOMER_EMAIL_CONSTRAINT)) {
        throw new ServiceError("already_exists", "CUSTOMER_EMAIL_TAKEN", "a customer with this e-mail already exists", [], {
          email: request.email,
        });
      }
      throw error;
    }
  }
}
