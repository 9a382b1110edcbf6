import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetShippingMethodResponseSchema,
  type GetShippingMethodRequest,
  type GetShippingMethodResponse,
} from "../../gen/orders/v1/shipping_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ShippingMethod } from "./entities/shipping-method.js";
import { shippingMethodNotFound } from "./shipping-errors.js";
import { shippingMethodToMessage } from "./shipping-mapper.js";

/** GetShippingMethod: one method of the caller's tenant; other tenants' methods look exactly like missing ones. */
export class GetShippingMethod {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetShippingMethodRequest): Promise<GetShippingMethodResponse> {
    const method = await this.orm.em.fork().findOne(ShippingMethod, { id: request.id, tenant: principal.tenantId });
    if (!method) throw shippingMethodNotFound(request.id);
    return create(GetShippingMethodResponseSchema, { shippingMethod: shippingMethodToMessage(method) });
  }
}
