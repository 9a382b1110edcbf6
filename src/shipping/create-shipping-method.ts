import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import {
  CreateShippingMethodRequestSchema,
  CreateShippingMethodResponseSchema,
  type CreateShippingMethodRequest,
  type CreateShippingMethodResponse,
} from "../../gen/orders/v1/shipping_service_pb.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyKey, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { ShippingMethod } from "./entities/shipping-method.js";
import { checkShippingMethod, SHIPPING_METHOD_FIELDS } from "./rules/shipping-method.js";
import { shippingMethodToMessage } from "./shipping-mapper.js";

/** CreateShippingMethod: one row plus, with a request_id, its idempotency record, in one transaction. */
export class CreateShippingMethod {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: CreateShippingMethodRequest): Promise<CreateShippingMethodResponse> {
    const em = this.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.ShippingService/CreateShippingMethod",
          CreateShippingMethodRequestSchema,
          request,
        )
      : undefined;
    return idempotently(em, key, CreateShippingMethodResponseSchema, async () => {
      const given = request.shippingMethod;
      if (!given) throw ServiceError.invalidArgument([fieldViolation("shipping_method", "REQUIRED", "is required")]);
      const checked = checkShippingMethod("shipping_method", given, SHIPPING_METHOD_FIELDS);
      if (!checked.ok) throw ServiceError.invalidArgument(checked.violations);

      const now = new Date();
      return em.fork().transactional(async (tx) => {
        const method = tx.create(ShippingMethod, {
          id: randomUUID(),
          tenant: principal.tenantId,
          ...checked.values,
          active: given.active ?? true,
          createdAt: now,
          updatedAt: now,
        });
        // Flushed first so the answer carries the version (etag) the row was written with.
        await tx.flush();
        const response = create(CreateShippingMethodResponseSchema, {
          shippingMethod: shippingMethodToMessage(method),
        });
        if (key) recordResponse(tx, key, CreateShippingMethodResponseSchema, response, now);
        return response;
      });
    });
  }
}
