import type { ConnectRouter } from "@connectrpc/connect";
import { CartsService } from "../gen/orders/v1/carts_service_pb.js";
import { file_orders_v1_catalog_events } from "../gen/orders/v1/catalog_events_pb.js";
import { CatalogService } from "../gen/orders/v1/catalog_service_pb.js";
import { CompaniesService } from "../gen/orders/v1/companies_service_pb.js";
import { CustomersService } from "../gen/orders/v1/customers_service_pb.js";
import { file_orders_v1_events } from "../gen/orders/v1/events_pb.js";
import { GiftCardsService } from "../gen/orders/v1/gift_cards_service_pb.js";
import { InventoryService } from "../gen/orders/v1/inventory_service_pb.js";
import { OrdersService } from "../gen/orders/v1/orders_service_pb.js";
import { PromotionsService } from "../gen/orders/v1/promotions_service_pb.js";
import type { CartsServiceHandler } from "./carts/handler.js";
import type { CatalogServiceHandler } from "./catalog/handler.js";
import type { CompaniesServiceHandler } from "./companies/handler.js";
import { StoreService } from "../gen/orders/v1/store_service_pb.js";
import { ShippingService } from "../gen/orders/v1/shipping_service_pb.js";
import type { CustomersServiceHandler } from "./customers/handler.js";
import type { GiftCardsServiceHandler } from "./gift-cards/handler.js";
import type { InventoryServiceHandler } from "./inventory/handler.js";
import type { OrdersServiceHandler } from "./orders/handler.js";
import type { PromotionsServiceHandler } from "./promotions/handler.js";
import type { StoreServiceHandler } from "./store/handler.js";
import type { ShippingServiceHandler } from "./shipping/handler.js";
import { TaxService } from "../gen/orders/v1/tax_service_pb.js";
import type { TaxServiceHandler } from "./tax/handler.js";
import { WebhooksService } from "../gen/orders/v1/webhooks_service_pb.js";
import type { WebhooksServiceHandler } from "./webhooks/handler.js";
import { registerHealth, type HealthState } from "./platform/transport/health.js";
import { registerReflection } from "./platform/transport/reflection.js";

export interface Handlers {
  orders: OrdersServiceHandler;
  customers: CustomersServiceHandler;
  catalog: CatalogServiceHandler;
  companies: CompaniesServiceHandler;
  store: StoreServiceHandler;
  shipping: ShippingServiceHandler;
  giftCards: GiftCardsServiceHandler;
  inventory: InventoryServiceHandler;
  promotions: PromotionsServiceHandler;
  tax: TaxServiceHandler;
  carts: CartsServiceHandler;
  webhooks: WebhooksServiceHandler;
  health: HealthState;
}

/** Every service the port serves, in memory (createRouterTransport) and over the socket alike. */
export function routes(handlers: Handlers) {
  return (router: ConnectRouter) => {
    router.service(OrdersService, handlers.orders);
    router.service(CustomersService, handlers.customers);
    router.service(CatalogService, handlers.catalog);
    router.service(CompaniesService, handlers.companies);
    router.service(StoreService, handlers.store);
    router.service(ShippingService, handlers.shipping);
    router.service(GiftCardsService, handlers.giftCards);
    router.service(InventoryService, handlers.inventory);
    router.service(PromotionsService, handlers.promotions);
    router.service(TaxService, handlers.tax);
    router.service(CartsService, handlers.carts);
    router.service(WebhooksService, handlers.webhooks);
    registerHealth(router, handlers.health);
    // The event payloads are part of the contract too, though no RPC returns them.
    registerReflection(router, { extraFiles: [file_orders_v1_events, file_orders_v1_catalog_events] });
  };
}
