import { Code, ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { CreateOrderRequest, GetOrderRequest, OrdersService, PreviewOrderRequest } from "../../../gen/orders/v1/orders_service_pb.js";
import type { CreateOrder } from "../../orders/create-order.js";
import type { GetOrder } from "../../orders/get-order.js";
import type { PreviewOrder } from "../../orders/preview-order.js";
import { callerOf } from "./caller.js";

/** orders.v1.OrdersService: a thin adapter from RPCs to use cases. */
export class OrdersServiceHandler implements ServiceImpl<typeof OrdersService> {
  constructor(private readonly useCases: { createOrder: CreateOrder; getOrder: GetOrder; previewOrder: PreviewOrder }) {}

  createOrder(request: CreateOrderRequest, context: HandlerContext) {
    return this.useCases.createOrder.execute(callerOf(context), request);
  }

  getOrder(request: GetOrderRequest, context: HandlerContext) {
    return this.useCases.getOrder.execute(callerOf(context), request);
  }

  previewOrder(request: PreviewOrderRequest, context: HandlerContext) {
    return this.useCases.previewOrder.execute(callerOf(context), request);
  }

  // In the contract already so other clients can build on it; implemented in the following commits.
  listOrders = notYetImplemented;
  updateOrder = notYetImplemented;
  fulfillOrder = notYetImplemented;
  deliverOrder = notYetImplemented;
  cancelOrder = notYetImplemented;
  recordPayment = notYetImplemented;
  refundOrder = notYetImplemented;
}

function notYetImplemented(): never {
  throw new ConnectError("not implemented yet", Code.Unimplemented);
}
