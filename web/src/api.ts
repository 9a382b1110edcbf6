import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { CartsService } from "../../gen/orders/v1/carts_service_pb.js";
import { CatalogService } from "../../gen/orders/v1/catalog_service_pb.js";
import { CompaniesService } from "../../gen/orders/v1/companies_service_pb.js";
import { CustomersService } from "../../gen/orders/v1/customers_service_pb.js";
import { OrdersService } from "../../gen/orders/v1/orders_service_pb.js";
import { ShippingService } from "../../gen/orders/v1/shipping_service_pb.js";
import { allowedApiOrigins, CONSOLE_CONFIG_FILE, resolveApiTarget, type ApiTarget } from "./api-target.js";

export interface Api {
  target: ApiTarget;
  orders: Client<typeof OrdersService>;
  carts: Client<typeof CartsService>;
  customers: Client<typeof CustomersService>;
  catalog: Client<typeof CatalogService>;
  companies: Client<typeof CompaniesService>;
  shipping: Client<typeof ShippingService>;
}

/**
 * The service to call (see api-target.ts): the page's own origin, or the `?api=` address when the deployment
 * lists its origin in console-config.json beside index.html. The file is read only when a link names another API.
 */
export async function loadApiTarget(location: Location): Promise<ApiTarget> {
  const ownOrigin = resolveApiTarget(location.href, []);
  if (ownOrigin.allowed) return ownOrigin;
  return resolveApiTarget(location.href, await fetchAllowedApiOrigins());
}

async function fetchAllowedApiOrigins(): Promise<string[]> {
  try {
    const response = await fetch(new URL(CONSOLE_CONFIG_FILE, document.baseURI), {
      cache: "no-store",
      credentials: "omit",
      redirect: "error",
    });
    return response.ok ? allowedApiOrigins(await response.json()) : [];
  } catch {
    // No file, or not JSON: nothing is listed, so only the console's own origin is called.
    return [];
  }
}

/**
 * Typed clients over the Connect protocol with JSON bodies; every call sends the current key. For a refused
 * target every call fails before anything is sent, so no key can leave the page.
 */
export function createApi(target: ApiTarget, currentKey: () => string): Api {
  const bearer: Interceptor = (next) => (request) => {
    if (!target.allowed) throw new ConnectError(target.message, Code.PermissionDenied);
    const key = currentKey();
    if (key) request.header.set("Authorization", `Bearer ${key}`);
    return next(request);
  };
  const transport = createConnectTransport({
    baseUrl: target.allowed ? target.baseUrl : "http://refused.invalid",
    useBinaryFormat: false,
    interceptors: [bearer],
  });
  return {
    target,
    orders: createClient(OrdersService, transport),
    carts: createClient(CartsService, transport),
    customers: createClient(CustomersService, transport),
    catalog: createClient(CatalogService, transport),
    companies: createClient(CompaniesService, transport),
    shipping: createClient(ShippingService, transport),
  };
}
