import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  CreateWebhookEndpointRequestSchema,
  CreateWebhookEndpointResponseSchema,
  type CreateWebhookEndpointRequest,
  type CreateWebhookEndpointResponse,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { idempotently, recordResponse } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { callersEndpoints, webhookRequestKey } from "./endpoint-scope.js";
import { WebhookEndpoint } from "./entities/webhook-endpoint.js";
import type { UrlPolicy } from "./rules/endpoint-url.js";
import { eventTypeViolations } from "./rules/event-types.js";
import { generateSigningSecret } from "./rules/signing.js";
import { endpointUrlViolations } from "./url-safety.js";
import { endpointToMessage } from "./webhook-mapper.js";

/**
 * CreateWebhookEndpoint: checks the URL (syntax, then every address its host resolves to) and the event types,
 * then writes the endpoint, of the caller's mode, with a new secret. The answer is the one place the secret
 * appears: the recorded answer a retry replays leaves it out.
 */
export class CreateWebhookEndpoint {
  constructor(
    private readonly orm: MikroORM,
    private readonly policy: UrlPolicy,
    private readonly newSecret: () => string = generateSigningSecret,
  ) {}

  async execute(principal: Principal, request: CreateWebhookEndpointRequest): Promise<CreateWebhookEndpointResponse> {
    const given = request.webhookEndpoint;
    if (!given) throw ServiceError.invalidArgument([fieldViolation("webhook_endpoint", "REQUIRED", "is required")]);
    const violations = [
      ...(await endpointUrlViolations("webhook_endpoint.url", given.url, this.policy)),
      ...eventTypeViolations("webhook_endpoint.event_types", given.eventTypes),
    ];
    if (violations.length > 0) throw ServiceError.invalidArgument(violations);
    const key = webhookRequestKey(principal, "CreateWebhookEndpoint", CreateWebhookEndpointRequestSchema, request);
    const em = this.orm.em.fork();
    return idempotently(em, key, CreateWebhookEndpointResponseSchema, () =>
      em.fork().transactional(async (tx) => {
        const now = new Date();
        const secret = this.newSecret();
        const { tenant, isTest } = callersEndpoints(principal);
        const endpoint = tx.create(WebhookEndpoint, {
          tenant,
          isTest,
          url: given.url,
          description: given.description,
          eventTypes: given.eventTypes,
          enabled: given.enabled ?? true,
          secret,
          previousSecret: null,
          previousSecretExpiresAt: null,
          failingSince: null,
          autoDisabledAt: null,
          createdAt: now,
          updatedAt: now,
        });
        // Flushed first so the answer carries the version (etag) the row was written with.
        await tx.flush();
        const answer = (withSecret: string) =>
          create(CreateWebhookEndpointResponseSchema, {
            webhookEndpoint: endpointToMessage(endpoint, now, withSecret),
          });
        if (key) recordResponse(tx, key, CreateWebhookEndpointResponseSchema, answer(""), now);
        return answer(secret);
      }),
    );
  }
}
