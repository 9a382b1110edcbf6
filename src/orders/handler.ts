import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type {
  CancelOrderRequest,
  CreateOrderRequest,
  DeliverOrderRequest,
  FulfillOrderRequest,
  GetOrderRequest,
  ListOrdersRequest,
  OrdersService,
  PreviewOrderRequest,
  RecordPaymentRequest,
  RefundOrderRequest,
  UpdateOrderRequest,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { CancelOrder } from "./cancel-order.js";
import type { CreateOrder } from "./create-order.js";
import type { DeliverOrder } from "./deliver-order.js";
import type { FulfillOrder } from "./fulfill-order.js";
import type { GetOrder } from "./get-order.js";
import type { ListOrders } from "./list-orders.js";
import type { PreviewOrder } from "./preview-order.js";
import type { RecordPayment } from "./record-payment.js";
import type { RefundOrder } from "./refund-order.js";
import type { UpdateOrder } from "./update-order.js";
import { callerOf } from "../platform/auth/caller.js";

export interface OrdersUseCases {
  createOrder: CreateOrder;
  getOrder: GetOrder;
  previewOrder: PreviewOrder;
  listOrders: ListOrders;
  updateOrder: UpdateOrder;
  fulfillOrder: FulfillOrder;
  deliverOrder: DeliverOrder;
  cancelOrder: CancelOrder;
  recordPayment: RecordPayment;
  refundOrder: RefundOrder;
}

/** orders.v1.OrdersService: a thin adapter from RPCs to use cases. */
export class OrdersServiceHandler implements ServiceImpl<typeof OrdersService> {
  constructor(private readonly useCases: OrdersUseCases) {}

  createOrder(request: CreateOrderRequest, context: HandlerContext) {
    return this.useCases.createOrder.execute(callerOf(context), request);
  }

  getOrder(request: GetOrderRequest, context: HandlerContext) {
    return this.useCases.getOrder.execute(callerOf(context), request);
  }

  previewOrder(request: PreviewOrderRequest, context: HandlerContext) {
    return this.useCases.previewOrder.execute(callerOf(context), request);
  }

  listOrders(request: ListOrdersRequest, context: HandlerContext) {
    return this.useCases.listOrders.execute(callerOf(context), request);
  }

  updateOrder(request: UpdateOrderRequest, context: HandlerContext) {
    return this.useCases.updateOrder.execute(callerOf(context), request);
  }

  fulfillOrder(request: FulfillOrderRequest, context: HandlerContext) {
    return this.useCases.fulfillOrder.execute(callerOf(context), request);
  }

  deliverOrder(request: DeliverOrderRequest, context: HandlerContext) {
    return this.useCases.deliverOrder.execute(callerOf(context), request);
  }

  cancelOrder(request: CancelOrderRequest, context: HandlerContext) {
    return this.useCases.cancelOrder.execute(callerOf(context), request);
  }

  recordPayment(request: RecordPaymentRequest, context: HandlerContext) {
    return this.useCases.recordPayment.execute(callerOf(context), request);
  }

  refundOrder(request: RefundOrderRequest, context: HandlerContext) {
    return this.useCases.refundOrder.execute(callerOf(context), request);
  }
}
