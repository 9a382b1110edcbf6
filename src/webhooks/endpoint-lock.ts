import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { callersEndpoints } from "./endpoint-scope.js";
import { WebhookEndpoint } from "./entities/webhook-endpoint.js";
import { webhookEndpointEtagMismatch, webhookEndpointNotFound } from "./webhook-errors.js";

/** The caller's endpoint `id`, locked FOR UPDATE in `tx`; undefined when the caller has none of that id. */
export async function lockEndpoint(
  tx: EntityManager,
  principal: Principal,
  id: string,
): Promise<WebhookEndpoint | null> {
  return tx.findOne(WebhookEndpoint, { id, ...callersEndpoints(principal) }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** The locked endpoint, checked: NOT_FOUND when there is none, ABORTED when `etag` is given and stale. */
export function checkedEndpoint(endpoint: WebhookEndpoint | null, id: string, etag: string): WebhookEndpoint {
  if (!endpoint) throw webhookEndpointNotFound(id);
  if (etag !== "" && etag !== etagOf(endpoint.id, endpoint.version)) throw webhookEndpointEtagMismatch(endpoint.id);
  return endpoint;
}
