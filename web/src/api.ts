import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { CustomersService } from "../../gen/orders/v1/customers_service_pb.js";
import { OrdersService } from "../../gen/orders/v1/orders_service_pb.js";

export interface Api {
  baseUrl: string;
  orders: Client<typeof OrdersService>;
  customers: Client<typeof CustomersService>;
}

/**
 * The service to call: the page's own origin (the service serves the console), or the `api`
 * query parameter, e.g. `?api=https://orders.example`, for a console hosted elsewhere — the
 * service allows that through CORS.
 */
export function apiBaseUrl(location: Location): string {
  return new URL(location.href).searchParams.get("api")?.replace(/\/+$/, "") || location.origin;
}

/** Typed clients over the Connect protocol with JSON bodies; every call sends the current key. */
export function createApi(baseUrl: string, currentKey: () => string): Api {
  const bearer: Interceptor = (next) => (request) => {
    const key = currentKey();
    if (key) request.header.set("Authorization", `Bearer ${key}`);
    return next(request);
  };
  const transport = createConnectTransport({ baseUrl, useBinaryFormat: false, interceptors: [bearer] });
  return {
    baseUrl,
    orders: createClient(OrdersService, transport),
    customers: createClient(CustomersService, transport),
  };
}
