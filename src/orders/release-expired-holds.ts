import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  OrdersService,
  ReleaseOrderRequestSchema,
  ReleaseOrderResponseSchema,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Order as OrderMessage } from "../../gen/orders/v1/order_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { HOLD_EXPIRED_REASON, holdExpired } from "./rules/holds.js";
import { findExpiredHolds } from "./queries/expired-holds.js";
import type { OrderMutations } from "./order-mutation.js";
import { releaseHold } from "./release-order.js";

/** Refuses the release of an order whose hold changed since it was found (released, or held again). */
class HoldNotExpired extends Error {}

/**
 * Ends the holds whose hold_until has passed, each as ReleaseOrder would (its own transaction, history entry with
 * reason "hold_until passed" and no key, order.released), by the service itself: housekeeping runs it (the platform
 * gets it as a task from src/app.ts). Under the order's lock it checks the hold again, so a hold released or renewed
 * meanwhile is left alone, and several replicas releasing at once release each hold once.
 */
export class ReleaseExpiredHolds {
  constructor(private readonly deps: { orm: MikroORM; mutations: OrderMutations; batchSize?: number }) {}

  /** One pass; returns how many holds it released. */
  async run(now: Date): Promise<number> {
    const expired = await findExpiredHolds(this.deps.orm.em.fork(), now, this.deps.batchSize ?? 500);
    let released = 0;
    for (const { id, tenantId, isTest } of expired) {
      const principal: Principal = { tenantId, apiKeyId: "", role: "admin", mode: isTest ? "test" : "live" };
      const request = create(ReleaseOrderRequestSchema, { id, reason: HOLD_EXPIRED_REASON });
      const call = {
        method: OrdersService.method.releaseOrder,
        request,
        orderId: id,
        etag: "",
        respond: (order: OrderMessage) => create(ReleaseOrderResponseSchema, { order }),
      };
      try {
        await this.deps.mutations.run(principal, call, (context) => {
          if (context.order.status !== "on_hold" || !holdExpired(context.order.hold, now)) {
            throw new HoldNotExpired();
          }
          return releaseHold(context, HOLD_EXPIRED_REASON);
        });
        released += 1;
      } catch (error) {
        // Changed meanwhile, or deleted: nothing to release.
        if (!(error instanceof HoldNotExpired || (error instanceof ServiceError && error.kind === "not_found"))) {
          throw error;
        }
      }
    }
    return released;
  }
}
