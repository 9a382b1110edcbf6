import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { CartsService } from "../../gen/orders/v1/carts_service_pb.js";
import { CatalogService } from "../../gen/orders/v1/catalog_service_pb.js";
import { CompaniesService } from "../../gen/orders/v1/companies_service_pb.js";
import { CustomersService } from "../../gen/orders/v1/customers_service_pb.js";
import { GiftCardsService } from "../../gen/orders/v1/gift_cards_service_pb.js";
import { InventoryService } from "../../gen/orders/v1/inventory_service_pb.js";
import { OrdersService } from "../../gen/orders/v1/orders_service_pb.js";
import { PromotionsService } from "../../gen/orders/v1/promotions_service_pb.js";
import { StoreService } from "../../gen/orders/v1/store_service_pb.js";
import { ShippingService } from "../../gen/orders/v1/shipping_service_pb.js";
import { TaxService } from "../../gen/orders/v1/tax_service_pb.js";
import { WebhooksService } from "../../gen/orders/v1/webhooks_service_pb.js";

/** The wire protocols the one port serves, each over the HTTP version its clients use. */
export const PROTOCOLS = ["connect-json-http1", "grpc-web-http1", "grpc-http2", "connect-binary-http2"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export function transportFor(protocol: Protocol, baseUrl: string, interceptors: Interceptor[] = []): Transport {
  switch (protocol) {
    case "connect-json-http1":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false, interceptors });
    case "grpc-web-http1":
      return createGrpcWebTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true, interceptors });
    case "grpc-http2":
      return createGrpcTransport({ baseUrl, interceptors });
    case "connect-binary-http2":
      return createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: true, interceptors });
  }
}

export interface Clients {
  orders: Client<typeof OrdersService>;
  customers: Client<typeof CustomersService>;
  catalog: Client<typeof CatalogService>;
  companies: Client<typeof CompaniesService>;
  store: Client<typeof StoreService>;
  shipping: Client<typeof ShippingService>;
  giftCards: Client<typeof GiftCardsService>;
  inventory: Client<typeof InventoryService>;
  promotions: Client<typeof PromotionsService>;
  tax: Client<typeof TaxService>;
  carts: Client<typeof CartsService>;
  webhooks: Client<typeof WebhooksService>;
}

/** Typed clients whose every call carries `Authorization: Bearer <key>` (no header when key is undefined). */
export function clientsFor(protocol: Protocol, baseUrl: string, key: string | undefined): Clients {
  const bearer: Interceptor = (next) => (req) => {
    if (key !== undefined) req.header.set("Authorization", `Bearer ${key}`);
    return next(req);
  };
  const transport = transportFor(protocol, baseUrl, [bearer]);
  return clientsOver(transport);
}

/** Every service's client over one transport. */
export function clientsOver(transport: Transport): Clients {
  return {
    orders: createClient(OrdersService, transport),
    customers: createClient(CustomersService, transport),
    catalog: createClient(CatalogService, transport),
    companies: createClient(CompaniesService, transport),
    store: createClient(StoreService, transport),
    shipping: createClient(ShippingService, transport),
    giftCards: createClient(GiftCardsService, transport),
    inventory: createClient(InventoryService, transport),
    promotions: createClient(PromotionsService, transport),
    tax: createClient(TaxService, transport),
    carts: createClient(CartsService, transport),
    webhooks: createClient(WebhooksService, transport),
  };
}
