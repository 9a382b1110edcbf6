import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  RotateWebhookEndpointSecretRequestSchema,
  RotateWebhookEndpointSecretResponseSchema,
  type RotateWebhookEndpointSecretRequest,
  type RotateWebhookEndpointSecretResponse,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { findReplay, idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { checkedEndpoint, lockEndpoint } from "./endpoint-lock.js";
import { webhookRequestKey } from "./endpoint-scope.js";
import { generateSigningSecret } from "./rules/signing.js";
import { endpointToMessage } from "./webhook-mapper.js";

/** How long a replaced secret keeps signing: receivers have a day to switch to the new one. */
export const PREVIOUS_SECRET_SIGNS_MS = 24 * 60 * 60 * 1000;

/**
 * RotateWebhookEndpointSecret: a new secret under the endpoint's row lock and etag; the one it replaces keeps
 * signing for PREVIOUS_SECRET_SIGNS_MS (an older one stops at once). Like create, the answer shows the new
 * secret and the recorded answer a retry replays leaves it out.
 */
export class RotateWebhookEndpointSecret {
  constructor(
    private readonly orm: MikroORM,
    private readonly newSecret: () => string = generateSigningSecret,
  ) {}

  execute(
    principal: Principal,
    request: RotateWebhookEndpointSecretRequest,
  ): Promise<RotateWebhookEndpointSecretResponse> {
    const schema = RotateWebhookEndpointSecretResponseSchema;
    const key = webhookRequestKey(
      principal,
      "RotateWebhookEndpointSecret",
      RotateWebhookEndpointSecretRequestSchema,
      request,
    );
    const em = this.orm.em.fork();
    return idempotently(em, key, schema, () =>
      em.fork().transactional(async (tx) => {
        const locked = await lockEndpoint(tx, principal, request.id);
        // A duplicate that waited for the lock while the first call committed answers as that call did.
        const replay = key && (await findReplay(tx, key, schema));
        if (replay) return replay;
        const endpoint = checkedEndpoint(locked, request.id, request.etag);
        const now = new Date();
        const secret = this.newSecret();
        endpoint.previousSecret = endpoint.secret;
        endpoint.previousSecretExpiresAt = new Date(now.getTime() + PREVIOUS_SECRET_SIGNS_MS);
        endpoint.secret = secret;
        endpoint.updatedAt = now;
        await tx.flush();
        const answer = (withSecret: string) =>
          create(schema, { webhookEndpoint: endpointToMessage(endpoint, now, withSecret) });
        if (key) recordResponse(tx, key, schema, answer(""), now);
        return answer(secret);
      }),
    );
  }
}
