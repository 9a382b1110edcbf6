import type { HandlerContext } from "@connectrpc/connect";
import { principalKey, type Principal } from "./principal.js";

/** The caller the auth interceptor resolved; its absence means the interceptor chain is miswired. */
export function callerOf(context: HandlerContext): Principal {
  const principal = context.values.get(principalKey);
  if (!principal) throw new Error("no principal in context: is the auth interceptor installed?");
  return principal;
}
