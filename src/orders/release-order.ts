import { create } from "@bufbuild/protobuf";
import {
  OrdersService,
  ReleaseOrderResponseSchema,
  type ReleaseOrderRequest,
  type ReleaseOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeStatus } from "./rules/order-lifecycle.js";
import { appendStatusChange } from "./history-entries.js";
import { holdToMessage } from "./history-mapper.js";
import { lifecycleError } from "./order-errors.js";
import {
  lifecycleStateOf,
  statusFactsOf,
  type MutationContext,
  type MutationOutcome,
  type OrderMutations,
} from "./order-mutation.js";

/**
 * ReleaseOrder: on_hold -> placed (partially_fulfilled when units were shipped before), clearing Order.hold; publishes order.released with the hold that ended.
 * Housekeeping ends an expired hold through the same change (release-expired-holds.ts).
 */
export class ReleaseOrder {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: ReleaseOrderRequest): Promise<ReleaseOrderResponse> {
    const call = {
      method: OrdersService.method.releaseOrder,
      request,
      orderId: request.id,
      etag: request.etag,
      respond: (order: ReleaseOrderResponse["order"]) => create(ReleaseOrderResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, (context) => releaseHold(context, request.reason));
  }
}

/** The release of a held order in a mutation, with `reason` in its history entry. */
export function releaseHold(context: MutationContext, reason: string): MutationOutcome {
  const { order } = context;
  const result = changeStatus(lifecycleStateOf(order), "release", statusFactsOf(order));
  if (!result.ok) throw lifecycleError(result.failure, order, "release");
  const hold = holdToMessage(order.hold);
  order.status = result.change.to;
  order.hold = null;
  appendStatusChange(context, result.change, reason);
  return { event: "order.released", details: { hold } };
}
