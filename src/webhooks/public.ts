/**
 * What operators' tools (the admin CLI) may use of webhooks: the endpoints with their failure state, and enabling
 * one again after it was disabled for failing. Tenants do both through WebhooksService.
 */
export { reenableEndpoint, selectEndpointFailureStates, type EndpointFailureState } from "./queries.js";
