import type { ConnectRouter } from "@connectrpc/connect";
import { CustomersService } from "../gen/orders/v1/customers_service_pb.js";
import { OrdersService } from "../gen/orders/v1/orders_service_pb.js";
import type { CustomersServiceHandler } from "./customers/handler.js";
import type { OrdersServiceHandler } from "./orders/handler.js";

/** Every service the port serves. Health and reflection are added by the server wiring (app.ts). */
export function routes(handlers: { orders: OrdersServiceHandler; customers: CustomersServiceHandler }) {
  return (router: ConnectRouter) => {
    router.service(OrdersService, handlers.orders);
    router.service(CustomersService, handlers.customers);
  };
}
