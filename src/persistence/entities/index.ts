import { ApiKeySchema } from "./api-key.js";
import { CustomerSchema } from "./customer.js";
import { IdempotencyRecordSchema } from "./idempotency-record.js";
import { OrderHistoryEntrySchema } from "./order-history-entry.js";
import { OrderLineSchema } from "./order-line.js";
import { OrderNumberCounterSchema } from "./order-number-counter.js";
import { OrderSchema } from "./order.js";
import { OutboxEventSchema } from "./outbox-event.js";
import { ServiceSecretSchema } from "./service-secret.js";
import { TenantSchema } from "./tenant.js";

export * from "./api-key.js";
export * from "./customer.js";
export * from "./idempotency-record.js";
export type * from "./json-types.js";
export * from "./order-history-entry.js";
export * from "./order-line.js";
export * from "./order-number-counter.js";
export * from "./order.js";
export * from "./outbox-event.js";
export * from "./service-secret.js";
export * from "./tenant.js";

/** Every entity, listed explicitly for MikroORM (no folder discovery, no reflection). */
export const entities = [
  TenantSchema,
  ApiKeySchema,
  CustomerSchema,
  OrderSchema,
  OrderLineSchema,
  OrderHistoryEntrySchema,
  OrderNumberCounterSchema,
  IdempotencyRecordSchema,
  OutboxEventSchema,
  ServiceSecretSchema,
] as const;
