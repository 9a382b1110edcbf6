import { create } from "@bufbuild/protobuf";
import { durationFromMs, timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  WebhookDeliverySchema as WebhookDeliveryMessageSchema,
  WebhookDeliveryStatus,
  WebhookEndpointSchema as WebhookEndpointMessageSchema,
  type WebhookDelivery as WebhookDeliveryMessage,
  type WebhookEndpoint as WebhookEndpointMessage,
} from "../../gen/orders/v1/webhook_pb.js";
import { etagOf } from "../platform/database/etag.js";
import type { WebhookDeliveryStatusName } from "./entities/webhook-delivery.js";

/** An endpoint as read: the entity or a row of queries.ts. */
export interface WebhookEndpointView {
  id: string;
  isTest: boolean;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  previousSecretExpiresAt: Date | null | undefined;
  failingSince: Date | null | undefined;
  autoDisabledAt: Date | null | undefined;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A delivery as read (queries.ts), with its attempts oldest first. */
export interface WebhookDeliveryView {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  isTestEvent: boolean;
  eventTime: Date;
  status: string;
  attemptCount: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  attempts: WebhookAttemptView[];
}

export interface WebhookAttemptView {
  attemptNumber: number;
  attemptedAt: Date;
  durationMs: number;
  responseCode: number;
  succeeded: boolean;
  error: string;
  responseBody: string;
}

function time(value: Date | null | undefined) {
  return value ? timestampFromDate(value) : undefined;
}

/**
 * The endpoint as the contract shows it; `secret` only in the answers of the calls that made it, and
 * previous_secret_expire_time only while the replaced secret still signs at `now`.
 */
export function endpointToMessage(endpoint: WebhookEndpointView, now: Date, secret = ""): WebhookEndpointMessage {
  const previousSigns = endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now;
  return create(WebhookEndpointMessageSchema, {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    eventTypes: endpoint.eventTypes,
    enabled: endpoint.enabled,
    isTest: endpoint.isTest,
    secret,
    previousSecretExpireTime: previousSigns ? time(endpoint.previousSecretExpiresAt) : undefined,
    failureStartTime: time(endpoint.failingSince),
    autoDisableTime: time(endpoint.autoDisabledAt),
    etag: etagOf(endpoint.id, endpoint.version),
    createTime: timestampFromDate(endpoint.createdAt),
    updateTime: timestampFromDate(endpoint.updatedAt),
  });
}

const STATUSES = new Map<string, WebhookDeliveryStatus>([
  ["pending", WebhookDeliveryStatus.PENDING],
  ["succeeded", WebhookDeliveryStatus.SUCCEEDED],
  ["failed", WebhookDeliveryStatus.FAILED],
] satisfies [WebhookDeliveryStatusName, WebhookDeliveryStatus][]);

/** The stored status of a contract status (UNSPECIFIED: none). */
export function statusName(status: WebhookDeliveryStatus): WebhookDeliveryStatusName | undefined {
  for (const [name, value] of STATUSES) if (value === status) return name as WebhookDeliveryStatusName;
  return undefined;
}

export function deliveryToMessage(delivery: WebhookDeliveryView): WebhookDeliveryMessage {
  const status = STATUSES.get(delivery.status);
  // The check constraint allows no other status: anything else is a corrupt row.
  if (status === undefined) throw new Error(`unknown webhook delivery status ${JSON.stringify(delivery.status)}`);
  return create(WebhookDeliveryMessageSchema, {
    id: delivery.id,
    endpointId: delivery.endpointId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    status,
    attemptCount: delivery.attemptCount,
    nextAttemptTime: delivery.status === "pending" ? time(delivery.nextAttemptAt) : undefined,
    attempts: delivery.attempts.map((attempt) => ({
      attemptNumber: attempt.attemptNumber,
      attemptTime: timestampFromDate(attempt.attemptedAt),
      duration: durationFromMs(attempt.durationMs),
      responseCode: attempt.responseCode,
      succeeded: attempt.succeeded,
      error: attempt.error,
      responseBody: attempt.responseBody,
    })),
    isTestEvent: delivery.isTestEvent,
    eventTime: timestampFromDate(delivery.eventTime),
    createTime: timestampFromDate(delivery.createdAt),
    updateTime: timestampFromDate(delivery.updatedAt),
  });
}
