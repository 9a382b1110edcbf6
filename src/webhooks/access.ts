import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each WebhooksService RPC needs (handed to the auth interceptor by src/app.ts): admin, every one. */
export const WEBHOOKS_METHOD_ROLES: MethodRoles = {
  "orders.v1.WebhooksService/CreateWebhookEndpoint": "admin",
  "orders.v1.WebhooksService/GetWebhookEndpoint": "admin",
  "orders.v1.WebhooksService/ListWebhookEndpoints": "admin",
  "orders.v1.WebhooksService/UpdateWebhookEndpoint": "admin",
  "orders.v1.WebhooksService/DeleteWebhookEndpoint": "admin",
  "orders.v1.WebhooksService/RotateWebhookEndpointSecret": "admin",
  "orders.v1.WebhooksService/SendTestWebhookEvent": "admin",
  "orders.v1.WebhooksService/ListWebhookDeliveries": "admin",
};
