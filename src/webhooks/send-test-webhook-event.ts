import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  SendTestWebhookEventRequestSchema,
  SendTestWebhookEventResponseSchema,
  type SendTestWebhookEventRequest,
  type SendTestWebhookEventResponse,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import { fieldViolation } from "../money/field-violation.js";
import type { Principal } from "../platform/auth/principal.js";
import { changeIdempotently } from "../platform/idempotency/idempotency.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { traceparentOf } from "../platform/tracing.js";
import { checkedEndpoint, lockEndpoint } from "./endpoint-lock.js";
import { webhookRequestKey } from "./endpoint-scope.js";
import { insertDeliveries, selectDelivery } from "./queries.js";
import { sampleEvent } from "./rules/event-body.js";
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from "./rules/event-types.js";
import { webhookEndpointDisabled } from "./webhook-errors.js";
import { deliveryToMessage } from "./webhook-mapper.js";

/**
 * SendTestWebhookEvent: queues a sample event of the asked type (rules/event-body.ts) for this one endpoint, in
 * the same table and the same way as a real event's delivery, so the worker signs, sends, retries and records it
 * like any other; `onQueued` wakes this replica's worker.
 */
export class SendTestWebhookEvent {
  constructor(
    private readonly orm: MikroORM,
    private readonly eventSource: string,
    private readonly onQueued: () => void,
  ) {}

  async execute(principal: Principal, request: SendTestWebhookEventRequest): Promise<SendTestWebhookEventResponse> {
    const type = request.eventType === "" ? "order.created" : request.eventType;
    if (!isWebhookEventType(type)) {
      throw ServiceError.invalidArgument([
        fieldViolation(
          "event_type",
          "UNKNOWN_EVENT_TYPE",
          `"${type}" is not an event type; one of ${WEBHOOK_EVENT_TYPES.join(", ")}`,
        ),
      ]);
    }
    const key = webhookRequestKey(principal, "SendTestWebhookEvent", SendTestWebhookEventRequestSchema, request);
    const response = await changeIdempotently(
      this.orm.em.fork(),
      key,
      SendTestWebhookEventResponseSchema,
      (tx) => lockEndpoint(tx, principal, request.id),
      async (tx, locked, now) => {
        const endpoint = checkedEndpoint(locked, request.id, "");
        if (!endpoint.enabled) throw webhookEndpointDisabled(endpoint.id);
        const { attributes, body } = sampleEvent(type, principal.tenantId, this.eventSource, now);
        const [queued] = await insertDeliveries(
          tx,
          [
            {
              tenantId: principal.tenantId,
              endpointId: endpoint.id,
              eventId: attributes.id,
              eventType: type,
              isTestEvent: true,
              eventTime: now,
              body,
              traceparent: traceparentOf(),
            },
          ],
          now,
        );
        const delivery = queued && (await selectDelivery(tx, queued.id));
        if (!delivery) throw new Error("the test event's delivery was not queued");
        return create(SendTestWebhookEventResponseSchema, { delivery: deliveryToMessage(delivery) });
      },
    );
    this.onQueued();
    return response;
  }
}
