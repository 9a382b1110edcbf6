import type { MethodRoles } from "../platform/auth/method-access.js";

/** The role each OrdersService RPC needs (handed to the auth interceptor by src/app.ts). */
export const ORDERS_METHOD_ROLES: MethodRoles = {
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
  "orders.v1.OrdersService/CapturePayment": "editor",
  "orders.v1.OrdersService/VoidPayment": "editor",
  "orders.v1.OrdersService/HoldOrder": "editor",
  "orders.v1.OrdersService/ReleaseOrder": "editor",
  "orders.v1.OrdersService/RequestReturn": "editor",
  "orders.v1.OrdersService/ReceiveReturn": "editor",
};
