import type { Role } from "./roles.js";

/**
 * The role each RPC needs. Services not listed here (health, reflection) are
 * public: load balancers and `buf curl` call them without a key.
 */
export const REQUIRED_ROLE: Readonly<Record<string, Role>> = {
  "orders.v1.OrdersService/CreateOrder": "editor",
  "orders.v1.OrdersService/GetOrder": "viewer",
  // Writes nothing and returns only what the request already holds, priced.
  "orders.v1.OrdersService/PreviewOrder": "viewer",
  "orders.v1.OrdersService/ListOrders": "viewer",
  // Changes need an editor; an import (CreateOrder with CHANNEL_IMPORT) needs an admin, checked
  // in orders/rules/order-import.ts because the role depends on the request, not only the method.
  "orders.v1.OrdersService/UpdateOrder": "editor",
  "orders.v1.OrdersService/FulfillOrder": "editor",
  "orders.v1.OrdersService/DeliverOrder": "editor",
  "orders.v1.OrdersService/CancelOrder": "editor",
  "orders.v1.OrdersService/RecordPayment": "editor",
  "orders.v1.OrdersService/RefundOrder": "editor",
  "orders.v1.CustomersService/CreateCustomer": "editor",
  "orders.v1.CustomersService/GetCustomer": "viewer",
};

/** Services that belong to the tenant's orders module (switched on or off per tenant). */
export const ORDERS_MODULE_SERVICES: ReadonlySet<string> = new Set([
  "orders.v1.OrdersService",
  "orders.v1.CustomersService",
]);
