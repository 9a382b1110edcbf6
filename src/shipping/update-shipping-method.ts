import { create } from "@bufbuild/protobuf";
import { LockMode, type MikroORM } from "@mikro-orm/postgresql";
import type { ShippingMethod as ShippingMethodMessage } from "../../gen/orders/v1/shipping_pb.js";
import {
  UpdateShippingMethodRequestSchema,
  UpdateShippingMethodResponseSchema,
  type UpdateShippingMethodRequest,
  type UpdateShippingMethodResponse,
} from "../../gen/orders/v1/shipping_service_pb.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { ShippingMethod } from "./entities/shipping-method.js";
import {
  checkShippingMethod,
  SHIPPING_METHOD_FIELDS,
  type ShippingMethodField,
  type ShippingMethodValues,
} from "./rules/shipping-method.js";
import { shippingMethodEtagMismatch, shippingMethodNotFound } from "./shipping-errors.js";
import { shippingMethodToMessage } from "./shipping-mapper.js";

/**
 * UpdateShippingMethod (AIP-134): sets the fields named in update_mask from the given method, under the method's
 * row lock and its etag. A named field left empty is cleared (countries: everywhere; active: false); the
 * required ones cannot be.
 */
export class UpdateShippingMethod {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: UpdateShippingMethodRequest): Promise<UpdateShippingMethodResponse> {
    const changes = request.shippingMethod;
    if (!changes) throw ServiceError.invalidArgument([fieldViolation("shipping_method", "REQUIRED", "is required")]);
    const { paths, values } = checkedChanges(request, changes);
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.ShippingService/UpdateShippingMethod",
          UpdateShippingMethodRequestSchema,
          request,
        )
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      UpdateShippingMethodResponseSchema,
      async (tx) => {
        const method = await tx.findOne(
          ShippingMethod,
          { id: changes.id, tenant: principal.tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        if (!method) throw shippingMethodNotFound(changes.id);
        return method;
      },
      async (tx, method, now) => {
        if (changes.etag !== "" && changes.etag !== etagOf(method.id, method.version)) {
          throw shippingMethodEtagMismatch(method.id);
        }
        for (const path of paths) apply(method, path, values, changes.active ?? false);
        method.updatedAt = now;
        // Flushed first so the answer carries the version (etag) the update produced.
        await tx.flush();
        return create(UpdateShippingMethodResponseSchema, { shippingMethod: shippingMethodToMessage(method) });
      },
    );
  }
}

/** The mask's paths and the checked values; INVALID_ARGUMENT naming every path that cannot be set and every bad value. */
function checkedChanges(
  request: UpdateShippingMethodRequest,
  changes: ShippingMethodMessage,
): { paths: ShippingMethodField[]; values: ShippingMethodValues } {
  const mask = updateMaskPaths(request.updateMask?.paths ?? [], SHIPPING_METHOD_FIELDS);
  const checked = checkShippingMethod("shipping_method", changes, mask.ok ? mask.paths : []);
  const violations = [
    ...resourceIdViolations("shipping_method.id", changes.id),
    ...(mask.ok ? [] : mask.violations),
    ...(checked.ok ? [] : checked.violations),
  ];
  if (!mask.ok || !checked.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);
  return { paths: mask.paths, values: checked.values };
}

function apply(method: ShippingMethod, path: ShippingMethodField, values: ShippingMethodValues, active: boolean): void {
  switch (path) {
    case "display_name":
      method.displayName = values.displayName;
      return;
    case "carrier":
      method.carrier = values.carrier;
      return;
    case "service":
      method.service = values.service;
      return;
    case "countries":
      method.countries = values.countries;
      return;
    case "rates":
      method.rates = values.rates;
      return;
    case "active":
      method.active = active;
      return;
  }
}
