import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  DeleteWebhookEndpointRequestSchema,
  DeleteWebhookEndpointResponseSchema,
  type DeleteWebhookEndpointRequest,
  type DeleteWebhookEndpointResponse,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeIdempotently } from "../platform/idempotency/idempotency.js";
import { checkedEndpoint, lockEndpoint } from "./endpoint-lock.js";
import { webhookRequestKey } from "./endpoint-scope.js";

/**
 * DeleteWebhookEndpoint (AIP-135): removes the endpoint, under its row lock and etag; its deliveries and their
 * attempts go with it (on delete cascade). An attempt in flight finishes and finds nothing to record.
 */
export class DeleteWebhookEndpoint {
  constructor(private readonly orm: MikroORM) {}

  execute(principal: Principal, request: DeleteWebhookEndpointRequest): Promise<DeleteWebhookEndpointResponse> {
    const key = webhookRequestKey(principal, "DeleteWebhookEndpoint", DeleteWebhookEndpointRequestSchema, request);
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      DeleteWebhookEndpointResponseSchema,
      (tx) => lockEndpoint(tx, principal, request.id),
      async (tx, locked) => {
        tx.remove(checkedEndpoint(locked, request.id, request.etag));
        await tx.flush();
        return create(DeleteWebhookEndpointResponseSchema, {});
      },
    );
  }
}
