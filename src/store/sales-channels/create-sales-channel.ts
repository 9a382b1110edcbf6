import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  CreateSalesChannelResponseSchema,
  StoreService,
  type CreateSalesChannelRequest,
  type CreateSalesChannelResponse,
} from "../../../gen/orders/v1/store_service_pb.js";
import type { Principal } from "../../platform/auth/principal.js";
import { ServiceError } from "../../platform/transport/service-error.js";
import { SalesChannel } from "../entities/sales-channel.js";
import { primaryAfter } from "../rules/primary-channel.js";
import { requiredViolations } from "../rules/required.js";
import { salesChannelToMessage } from "../store-mapper.js";
import type { StoreWrites } from "../store-writes.js";
import { currentPrimary, demote } from "./primary.js";

/** CreateSalesChannel: the tenant's first channel, or one created with primary true, becomes primary. */
export class CreateSalesChannel {
  constructor(private readonly writes: StoreWrites) {}

  execute(principal: Principal, request: CreateSalesChannelRequest): Promise<CreateSalesChannelResponse> {
    const name = request.salesChannel?.name ?? "";
    const violations = requiredViolations("sales_channel.name", name !== "");
    if (violations.length > 0) throw ServiceError.invalidArgument(violations);

    const call = { method: StoreService.method.createSalesChannel, request };
    return this.writes.create(principal, call, async (tx, now) => {
      const id = randomUUID();
      const current = await currentPrimary(tx, principal.tenantId);
      const change = primaryAfter(current?.id, id, request.salesChannel?.primary ?? false);
      if (!change.ok) throw new Error("a new channel never unsets the primary one");
      if (current && change.demotedId === current.id) await demote(tx, current, now);
      const channel = tx.create(SalesChannel, {
        id,
        tenant: principal.tenantId,
        name,
        primary: change.primaryId === id,
        createdAt: now,
        updatedAt: now,
      });
      await tx.flush();
      return create(CreateSalesChannelResponseSchema, { salesChannel: salesChannelToMessage(channel) });
    });
  }
}
