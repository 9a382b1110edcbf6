import type { DescMessage, DescMethod, MessageShape } from "@bufbuild/protobuf";
import type { Principal } from "../platform/auth/principal.js";
import { idempotencyKey, type IdempotencyKey } from "../platform/idempotency/idempotency.js";

/**
 * Test mode (docs/test-mode.md): an order placed with an `sk_test_` key is a test order, and a key
 * sees only the orders of its own mode, as Stripe separates live and test data. Every read and
 * change of an order finds it through callersOrders, so an order of the other mode is NOT_FOUND
 * exactly like a missing one.
 */
export function isTestCaller(principal: Pick<Principal, "mode">): boolean {
  return principal.mode === "test";
}

/** The orders a caller may see, as a MikroORM condition on Order: its tenant's, of its key's mode. */
export function callersOrders(principal: Principal): { tenant: string; isTest: boolean } {
  return { tenant: principal.tenantId, isTest: isTestCaller(principal) };
}

/**
 * The AIP-155 key of an order RPC's request_id (none without one). Records are kept per tenant
 * whatever the mode, so a test key's calls are recorded under a procedure of their own: a test key
 * reusing a live call's request_id is refused as IDEMPOTENCY_KEY_REUSED instead of being answered
 * with the live call's order, and the other way round. A live key's procedure is the plain name, as
 * before test mode.
 */
export function orderIdempotencyKey<Req extends DescMessage>(
  principal: Principal,
  method: DescMethod & { input: Req },
  request: MessageShape<Req> & { requestId: string },
): IdempotencyKey | undefined {
  if (!request.requestId) return undefined;
  const procedure = `${method.parent.typeName}/${method.name}`;
  return idempotencyKey(
    principal.tenantId,
    isTestCaller(principal) ? `${procedure}#test` : procedure,
    method.input,
    request,
  );
}
