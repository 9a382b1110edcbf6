import { createContextKey } from "@connectrpc/connect";
import type { KeyMode } from "./api-key.js";
import type { Role } from "./roles.js";

/** Who is calling: resolved from the API key by the auth interceptor. */
export interface Principal {
  tenantId: string;
  apiKeyId: string;
  role: Role;
  mode: KeyMode;
}

/** Handlers read the caller from here; the auth interceptor puts it there. */
export const principalKey = createContextKey<Principal | undefined>(undefined, {
  description: "the authenticated caller",
});
