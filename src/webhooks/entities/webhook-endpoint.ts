import { defineEntity, p } from "@mikro-orm/core";
import { timestamps, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `webhook_endpoints`: a URL of a tenant's that events are POSTed to (docs/webhooks.md). `secret` is the
 * Standard Webhooks signing secret (`whsec_...`), kept in clear because every delivery signs with it;
 * `previous_secret` signs too until `previous_secret_expires_at` (24 h after a rotation). `is_test`
 * is the mode of the key that created it: test orders' events go only to test endpoints.
 * `failing_since` is the first failed attempt since the last success; `auto_disabled_at` when the
 * delivery worker disabled the endpoint after 5 days of that. `version` is the optimistic lock the etag
 * is derived from.
 */
export const WebhookEndpointSchema = defineEntity({
  name: "WebhookEndpoint",
  tableName: "webhook_endpoints",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    isTest: p.boolean(),
    url: p.text(),
    description: p.text(),
    eventTypes: p.array(),
    enabled: p.boolean(),
    secret: p.text(),
    previousSecret: p.text().nullable(),
    previousSecretExpiresAt: p.datetime().nullable(),
    failingSince: p.datetime().nullable(),
    autoDisabledAt: p.datetime().nullable(),
    version: p.integer().version(),
    ...timestamps,
  },
  // ListWebhookEndpoints pages one mode's endpoints oldest first; the dispatcher reads a tenant's by the same index.
  indexes: [
    {
      name: "webhook_endpoints_tenant_id_is_test_created_at_id_index",
      properties: ["tenant", "isTest", "createdAt", "id"],
    },
  ],
});

export class WebhookEndpoint extends WebhookEndpointSchema.class {}

WebhookEndpointSchema.setClass(WebhookEndpoint);
