import type { Principal } from "../platform/auth/principal.js";
import { modeIdempotencyKey } from "../platform/idempotency/idempotency.js";

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

/** The AIP-155 key of an order RPC's request_id (none without one), kept apart per key mode (idempotency.ts). */
export const orderIdempotencyKey = modeIdempotencyKey;
