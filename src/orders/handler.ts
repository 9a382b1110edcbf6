import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type {
  CancelOrderRequest,
  CapturePaymentRequest,
  CreateOrderRequest,
  DeliverOrderRequest,
  FulfillOrderRequest,
  GetOrderRequest,
  HoldOrderRequest,
  ListOrdersRequest,
  OrdersService,
  PreviewOrderRequest,
  RecordPaymentRequest,
  ReceiveReturnRequest,
  RefundOrderRequest,
  ReleaseOrderRequest,
  RequestReturnRequest,
  UpdateOrderRequest,
  VoidPaymentRequest,
} from "../../gen/orders/v1/orders_service_pb.js";
import { CancelOrder } from "./cancel-order.js";
import { CapturePayment } from "./capture-payment.js";
import { CreateOrder, type CreateOrderDeps } from "./create-order.js";
import { DeliverOrder } from "./deliver-order.js";
import { FulfillOrder } from "./fulfill-order.js";
import { GetOrder } from "./get-order.js";
import { HoldOrder } from "./hold-order.js";
import { ListOrders } from "./list-orders.js";
import { PreviewOrder } from "./preview-order.js";
import { RecordPayment } from "./record-payment.js";
import { RefundOrder } from "./refund-order.js";
import { RequestReturn } from "./request-return.js";
import { ReceiveReturn } from "./receive-return.js";
import { ReleaseOrder } from "./release-order.js";
import { ReleaseExpiredHolds } from "./release-expired-holds.js";
import type { HousekeepingTask } from "../platform/database/housekeeping.js";
import { UpdateOrder } from "./update-order.js";
import { VoidPayment } from "./void-payment.js";
import type { MikroORM } from "@mikro-orm/postgresql";
import { callerOf } from "../platform/auth/caller.js";
import { OrderMutations } from "./order-mutation.js";
import type { PageTokens } from "../platform/pagination/page-token.js";

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
  capturePayment: CapturePayment;
  voidPayment: VoidPayment;
  holdOrder: HoldOrder;
  releaseOrder: ReleaseOrder;
  requestReturn: RequestReturn;
  receiveReturn: ReceiveReturn;
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

  capturePayment(request: CapturePaymentRequest, context: HandlerContext) {
    return this.useCases.capturePayment.execute(callerOf(context), request);
  }

  voidPayment(request: VoidPaymentRequest, context: HandlerContext) {
    return this.useCases.voidPayment.execute(callerOf(context), request);
  }

  holdOrder(request: HoldOrderRequest, context: HandlerContext) {
    return this.useCases.holdOrder.execute(callerOf(context), request);
  }

  releaseOrder(request: ReleaseOrderRequest, context: HandlerContext) {
    return this.useCases.releaseOrder.execute(callerOf(context), request);
  }

  requestReturn(request: RequestReturnRequest, context: HandlerContext) {
    return this.useCases.requestReturn.execute(callerOf(context), request);
  }

  receiveReturn(request: ReceiveReturnRequest, context: HandlerContext) {
    return this.useCases.receiveReturn.execute(callerOf(context), request);
  }
}

export interface OrdersDeps {
  orm: MikroORM;
  /** Called after each commit so the in-process relay publishes without waiting for its poll. */
  onCommitted: () => void;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
  /** Group commit of CreateOrder (CREATE_ORDER_BATCH*); absent: every order its own statement. */
  createOrderBatch?: CreateOrderDeps["batch"];
}

/** The OrdersService handler over its use cases; every change of an existing order goes through OrderMutations. */
export function ordersHandler(deps: OrdersDeps): OrdersServiceHandler {
  const { orm, onCommitted, pageTokens, createOrderBatch } = deps;
  const mutations = new OrderMutations({ orm, onCommitted });
  return new OrdersServiceHandler({
    createOrder: new CreateOrder({
      orm,
      onOrderCommitted: onCommitted,
      batch: createOrderBatch,
    }),
    getOrder: new GetOrder(orm),
    previewOrder: new PreviewOrder({ orm }),
    listOrders: new ListOrders(orm, pageTokens),
    updateOrder: new UpdateOrder(mutations),
    fulfillOrder: new FulfillOrder(mutations),
    deliverOrder: new DeliverOrder(mutations),
    cancelOrder: new CancelOrder(mutations),
    recordPayment: new RecordPayment(mutations),
    refundOrder: new RefundOrder(mutations),
    capturePayment: new CapturePayment(mutations),
    voidPayment: new VoidPayment(mutations),
    holdOrder: new HoldOrder(mutations),
    releaseOrder: new ReleaseOrder(mutations),
    requestReturn: new RequestReturn(mutations),
    receiveReturn: new ReceiveReturn(mutations),
  });
}

/** The orders' housekeeping: releasing the holds whose hold_until has passed (src/app.ts hands it to the platform). */
export function ordersHousekeeping(deps: Pick<OrdersDeps, "orm" | "onCommitted">): HousekeepingTask[] {
  const mutations = new OrderMutations(deps);
  const holds = new ReleaseExpiredHolds({ orm: deps.orm, mutations });
  return [{ name: "expiredHolds", run: (now) => holds.run(now) }];
}
