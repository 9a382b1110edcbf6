import { create } from "@bufbuild/protobuf";
import {
  FulfillOrderResponseSchema,
  OrdersService,
  type FulfillOrderRequest,
  type FulfillOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { beforePlacedViolations, reportedTime } from "./client-times.js";
import { appendStatusChange } from "./history-entries.js";
import { fulfillmentToRecord } from "./history-mapper.js";
import { lifecycleError, orderOnHold } from "./order-errors.js";
import { lifecycleStateOf, type OrderMutations } from "./order-mutation.js";

/** FulfillOrder: placed -> fulfilled, with the shipment details; publishes order.fulfilled. */
export class FulfillOrder {
  constructor(
    private readonly mutations: OrderMutations,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  execute(principal: Principal, request: FulfillOrderRequest): Promise<FulfillOrderResponse> {
    const { date: shipTime, violations } = reportedTime("ship_time", request.shipTime, this.clock());
    if (violations.length > 0) throw ServiceError.invalidArgument(violations);

    const call = {
      method: OrdersService.method.fulfillOrder,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: FulfillOrderResponse["order"]) => create(FulfillOrderResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => {
      const { order, now } = context;
      if (order.status === "on_hold") throw orderOnHold(order);
      const result = changeStatus(lifecycleStateOf(order), "fulfill");
      if (!result.ok) throw lifecycleError(result.failure, order, "fulfill");
      const early = beforePlacedViolations("ship_time", shipTime, order.placedAt ?? order.createdAt);
      if (early.length > 0) throw ServiceError.invalidArgument(early);
      order.status = result.change.to;
      order.fulfillment = fulfillmentToRecord({
        // The shipping method chosen at checkout, unless the shipment says otherwise.
        carrier: request.carrier || order.shippingLine?.carrier || "",
        service: request.service || order.shippingLine?.service || "",
        trackingNumber: request.trackingNumber,
        shipTime: shipTime ?? now,
      });
      appendStatusChange(context, result.change);
      return { event: "order.fulfilled" };
    });
  }
}
