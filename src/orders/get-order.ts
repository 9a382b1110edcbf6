import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetOrderResponseSchema,
  type GetOrderRequest,
  type GetOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { orderToMessage, seesPrivateMetadata } from "./order-mapper.js";
import { isTestCaller } from "./order-mode.js";
import { selectOrder, withLinesAndHistory } from "./queries/read-orders.js";

/**
 * GetOrder: one order of the caller's tenant and key mode (order-mode.ts); other tenants' orders, and
 * test orders to a live key or live orders to a test key, look exactly like missing ones. Read as plain rows,
 * the way ListOrders reads a page (queries/read-orders.ts): no entity is hydrated for a read.
 */
export class GetOrder {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetOrderRequest): Promise<GetOrderResponse> {
    const em = this.orm.em.fork();
    const row = await selectOrder(em, { tenantId: principal.tenantId, test: isTestCaller(principal) }, request.id);
    const [order] = row ? await withLinesAndHistory(em, principal.tenantId, [row]) : [];
    if (!order) {
      throw new ServiceError("not_found", "ORDER_NOT_FOUND", `order ${request.id} was not found`, [], {
        orderId: request.id,
      });
    }
    return create(GetOrderResponseSchema, {
      order: orderToMessage(order, { privateMetadata: seesPrivateMetadata(principal.role) }),
    });
  }
}
