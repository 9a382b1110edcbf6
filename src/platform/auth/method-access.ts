import type { Role } from "./roles.js";

/**
 * What a capability declares about its RPCs for authentication: the role each one needs, keyed by
 * procedure (`orders.v1.OrdersService/CreateOrder`). The application hands the capabilities'
 * declarations to the auth interceptor (src/app.ts); services no declaration names (health,
 * reflection) are public: load balancers and `buf curl` call them without a key.
 */
export type MethodRoles = Readonly<Record<string, Role>>;

/** The RPCs behind API keys, and which of their services belong to the tenant's orders module. */
export interface MethodAccess {
  readonly requiredRoles: MethodRoles;
  /** Services that belong to the tenant's orders module (switched on or off per tenant). */
  readonly ordersModuleServices: ReadonlySet<string>;
}
