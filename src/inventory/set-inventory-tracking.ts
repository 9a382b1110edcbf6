import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  SetInventoryTrackingRequestSchema,
  SetInventoryTrackingResponseSchema,
  type SetInventoryTrackingRequest,
  type SetInventoryTrackingResponse,
} from "../../gen/orders/v1/inventory_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { itemToMessage } from "./inventory-mapper.js";
import { upsertTracking } from "./queries.js";
import { checkStockReferences } from "./stock-references.js";

/** SetInventoryTracking: turns tracking of a variant's stock on or off, in one transaction. */
export class SetInventoryTracking {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: SetInventoryTrackingRequest): Promise<SetInventoryTrackingResponse> {
    const { tenantId } = principal;
    const key = request.requestId
      ? idempotencyKey(
          tenantId,
          "orders.v1.InventoryService/SetInventoryTracking",
          SetInventoryTrackingRequestSchema,
          request,
        )
      : undefined;
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      SetInventoryTrackingResponseSchema,
      (tx) => checkStockReferences(tx, tenantId, request.variantId),
      async (tx) => {
        const item = await upsertTracking(tx, tenantId, request.variantId, request.tracked);
        return create(SetInventoryTrackingResponseSchema, { inventoryItem: itemToMessage(item) });
      },
    );
  }
}
