import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { WebhookEndpoint as WebhookEndpointMessage } from "../../gen/orders/v1/webhook_pb.js";
import {
  UpdateWebhookEndpointRequestSchema,
  UpdateWebhookEndpointResponseSchema,
  type UpdateWebhookEndpointRequest,
  type UpdateWebhookEndpointResponse,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeIdempotently } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../platform/transport/update-mask.js";
import { checkedEndpoint, lockEndpoint } from "./endpoint-lock.js";
import { webhookRequestKey } from "./endpoint-scope.js";
import type { WebhookEndpoint } from "./entities/webhook-endpoint.js";
import type { UrlPolicy } from "./rules/endpoint-url.js";
import { eventTypeViolations } from "./rules/event-types.js";
import { endpointUrlViolations } from "./url-safety.js";
import { endpointToMessage } from "./webhook-mapper.js";

/** The fields a client sets, by proto name as update_mask names them. */
export const WEBHOOK_ENDPOINT_FIELDS = ["url", "description", "event_types", "enabled"] as const;
type WebhookEndpointField = (typeof WEBHOOK_ENDPOINT_FIELDS)[number];

/**
 * UpdateWebhookEndpoint (AIP-134): sets the fields named in update_mask, under the endpoint's row lock and etag.
 * Enabling an endpoint starts it afresh: its failure_start_time and auto_disable_time are cleared.
 */
export class UpdateWebhookEndpoint {
  constructor(
    private readonly orm: MikroORM,
    private readonly policy: UrlPolicy,
  ) {}

  async execute(principal: Principal, request: UpdateWebhookEndpointRequest): Promise<UpdateWebhookEndpointResponse> {
    const changes = request.webhookEndpoint;
    if (!changes) throw ServiceError.invalidArgument([fieldViolation("webhook_endpoint", "REQUIRED", "is required")]);
    const paths = await this.checkedPaths(request, changes);
    const key = webhookRequestKey(principal, "UpdateWebhookEndpoint", UpdateWebhookEndpointRequestSchema, request);
    return changeIdempotently(
      this.orm.em.fork(),
      key,
      UpdateWebhookEndpointResponseSchema,
      (tx) => lockEndpoint(tx, principal, changes.id),
      async (tx, locked, now) => {
        const endpoint = checkedEndpoint(locked, changes.id, changes.etag);
        for (const path of paths) apply(endpoint, path, changes, now);
        endpoint.updatedAt = now;
        // Flushed first so the answer carries the version (etag) the update produced.
        await tx.flush();
        return create(UpdateWebhookEndpointResponseSchema, { webhookEndpoint: endpointToMessage(endpoint, now) });
      },
    );
  }

  /** The mask's paths; INVALID_ARGUMENT naming every path that cannot be set and every bad value. */
  private async checkedPaths(
    request: UpdateWebhookEndpointRequest,
    changes: WebhookEndpointMessage,
  ): Promise<WebhookEndpointField[]> {
    const mask = updateMaskPaths(request.updateMask?.paths ?? [], WEBHOOK_ENDPOINT_FIELDS);
    const paths = mask.ok ? mask.paths : [];
    const violations: FieldViolation[] = [
      ...resourceIdViolations("webhook_endpoint.id", changes.id),
      ...(mask.ok ? [] : mask.violations),
      ...(paths.includes("url") ? await endpointUrlViolations("webhook_endpoint.url", changes.url, this.policy) : []),
      ...(paths.includes("event_types") ? eventTypeViolations("webhook_endpoint.event_types", changes.eventTypes) : []),
    ];
    if (!mask.ok || violations.length > 0) throw ServiceError.invalidArgument(violations);
    return paths;
  }
}

function apply(
  endpoint: WebhookEndpoint,
  path: WebhookEndpointField,
  changes: WebhookEndpointMessage,
  now: Date,
): void {
  switch (path) {
    case "url":
      endpoint.url = changes.url;
      return;
    case "description":
      endpoint.description = changes.description;
      return;
    case "event_types":
      endpoint.eventTypes = changes.eventTypes;
      return;
    case "enabled": {
      const enabled = changes.enabled ?? false;
      if (enabled && !endpoint.enabled) {
        endpoint.failingSince = null;
        endpoint.autoDisabledAt = null;
      }
      endpoint.enabled = enabled;
      endpoint.updatedAt = now;
      return;
    }
  }
}
