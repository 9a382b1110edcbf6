import { create } from "@bufbuild/protobuf";
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import {
  StoreService,
  UpdateSalesChannelResponseSchema,
  type UpdateSalesChannelRequest,
  type UpdateSalesChannelResponse,
} from "../../../gen/orders/v1/store_service_pb.js";
import type { Principal } from "../../platform/auth/principal.js";
import { ServiceError } from "../../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../../platform/transport/update-mask.js";
import { SalesChannel } from "../entities/sales-channel.js";
import { lockSalesChannels } from "../queries.js";
import { primaryAfter } from "../rules/primary-channel.js";
import { requiredViolations } from "../rules/required.js";
import { primaryChannelRequired } from "../store-errors.js";
import { salesChannelToMessage } from "../store-mapper.js";
import type { StoreWrites } from "../store-writes.js";
import { currentPrimary, demote } from "./primary.js";

export const SALES_CHANNEL_FIELDS = ["name", "primary"] as const;

/** UpdateSalesChannel (AIP-134): renames a channel or makes it primary, the old primary unset in the same transaction. */
export class UpdateSalesChannel {
  constructor(private readonly writes: StoreWrites) {}

  execute(principal: Principal, request: UpdateSalesChannelRequest): Promise<UpdateSalesChannelResponse> {
    const changes = request.salesChannel;
    const id = changes?.id ?? "";
    const mask = updateMaskPaths(request.updateMask?.paths ?? [], SALES_CHANNEL_FIELDS);
    const renames = mask.ok && mask.paths.includes("name");
    const violations = [
      ...resourceIdViolations("sales_channel.id", id),
      ...(mask.ok ? [] : mask.violations),
      ...(renames ? requiredViolations("sales_channel.name", (changes?.name ?? "") !== "") : []),
    ];
    if (violations.length > 0 || !mask.ok) throw ServiceError.invalidArgument(violations);
    const { paths } = mask;

    const call = { method: StoreService.method.updateSalesChannel, request };
    const target = {
      kind: "sales_channel" as const,
      id,
      etag: changes?.etag ?? "",
      load: async (tx: EntityManager) => {
        // The tenant's channel lock before the row's, in the order creates take them, or a create demoting
        // this channel and this update making it primary could each wait for the other.
        await lockSalesChannels(tx, principal.tenantId);
        return tx.findOne(SalesChannel, { id, tenant: principal.tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      },
    };
    return this.writes.update(
      principal,
      call,
      target,
      async (tx, channel, now) => {
        if (paths.includes("primary")) {
          const current = await currentPrimary(tx, principal.tenantId);
          const change = primaryAfter(current?.id, channel.id, changes?.primary ?? false);
          if (!change.ok) throw primaryChannelRequired(channel.id);
          if (current && change.demotedId === current.id) await demote(tx, current, now);
          channel.primary = change.primaryId === channel.id;
        }
        if (paths.includes("name")) channel.name = changes?.name ?? "";
      },
      (channel) => create(UpdateSalesChannelResponseSchema, { salesChannel: salesChannelToMessage(channel) }),
    );
  }
}
