import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetOrderResponseSchema,
  type GetOrderRequest,
  type GetOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { Order } from "./entities/order.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { orderToMessage, visibleTo } from "./order-mapper.js";
import { callersOrders } from "./order-mode.js";

/**
 * GetOrder: one order of the caller's tenant and key mode (order-mode.ts); other tenants' orders, and
 * test orders to a live key or live orders to a test key, look exactly like missing ones.
 */
export class GetOrder {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetOrderRequest): Promise<GetOrderResponse> {
    const order = await this.orm.em
      .fork()
      .findOne(Order, { id: request.id, ...callersOrders(principal) }, { populate: ["lines", "history"] });
    if (!order) {
      throw new ServiceError("not_found", "ORDER_NOT_FOUND", `order ${request.id} was not found`, [], {
        orderId: request.id,
      });
    }
    return create(GetOrderResponseSchema, { order: visibleTo(principal.role, orderToMessage(order)) });
  }
}
