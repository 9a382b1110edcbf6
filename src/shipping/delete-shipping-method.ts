import { create } from "@bufbuild/protobuf";
import { LockMode, type MikroORM } from "@mikro-orm/postgresql";
import {
  DeleteShippingMethodRequestSchema,
  DeleteShippingMethodResponseSchema,
  type DeleteShippingMethodRequest,
  type DeleteShippingMethodResponse,
} from "../../gen/orders/v1/shipping_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { ShippingMethod } from "./entities/shipping-method.js";
import { shippingMethodEtagMismatch, shippingMethodNotFound } from "./shipping-errors.js";

/**
 * DeleteShippingMethod (AIP-135): removes the method for good, under its row lock and etag. Orders keep their
 * snapshot of it (they hold no reference the row must outlive). The row is looked up without failing first, so
 * that a duplicate call that waited for the lock while the first one deleted the row answers as that call did.
 */
export class DeleteShippingMethod {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: DeleteShippingMethodRequest): Promise<DeleteShippingMethodResponse> {
    const key = request.requestId
      ? idempotencyKey(
          principal.tenantId,
          "orders.v1.ShippingService/DeleteShippingMethod",
          DeleteShippingMethodRequestSchema,
          request,
        )
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      DeleteShippingMethodResponseSchema,
      (tx) =>
        tx.findOne(
          ShippingMethod,
          { id: request.id, tenant: principal.tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        ),
      async (tx, method) => {
        if (!method) throw shippingMethodNotFound(request.id);
        if (request.etag !== "" && request.etag !== etagOf(method.id, method.version)) {
          throw shippingMethodEtagMismatch(method.id);
        }
        tx.remove(method);
        await tx.flush();
        return create(DeleteShippingMethodResponseSchema, {});
      },
    );
  }
}
