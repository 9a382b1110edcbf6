import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyKey, type IdempotencyKey } from "../platform/idempotency/idempotency.js";

/**
 * Test mode for webhooks (docs/test-mode.md): a key sees and changes only the endpoints of its own mode, found
 * through this condition, so an endpoint of the other mode is NOT_FOUND like a missing one.
 */
export function callersEndpoints(principal: Principal): { tenant: string; isTest: boolean } {
  return { tenant: principal.tenantId, isTest: principal.mode === "test" };
}

/**
 * The AIP-155 key of a WebhooksService call's request_id (none without one), recorded apart per mode (as
 * orders' are): a test key reusing a live call's request_id is IDEMPOTENCY_KEY_REUSED, never that call's answer.
 */
export function webhookRequestKey<Desc extends DescMessage>(
  principal: Principal,
  method: string,
  schema: Desc,
  request: MessageShape<Desc> & { requestId: string },
): IdempotencyKey | undefined {
  if (!request.requestId) return undefined;
  const procedure = `orders.v1.WebhooksService/${method}`;
  return idempotencyKey(
    principal.tenantId,
    principal.mode === "test" ? `${procedure}#test` : procedure,
    schema,
    request,
  );
}
