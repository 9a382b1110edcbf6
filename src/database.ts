import type { MikroORM } from "@mikro-orm/postgresql";
import { initOrm, type CreateOrmOptions } from "./platform/database/orm.js";
import { ApiKeySchema } from "./platform/auth/entities/api-key.js";
import { CartSchema } from "./carts/entities/cart.js";
import { CompanySchema } from "./companies/entities/company.js";
import { CustomerAddressSchema } from "./customers/entities/customer-address.js";
import { CustomerSchema } from "./customers/entities/customer.js";
import { GiftCardSchema } from "./gift-cards/entities/gift-card.js";
import { GiftCardTransactionSchema } from "./gift-cards/entities/gift-card-transaction.js";
import { InventoryItemSchema } from "./inventory/entities/inventory-item.js";
import { InventorySettingsSchema } from "./inventory/entities/inventory-settings.js";
import { InventoryLevelSchema } from "./inventory/entities/inventory-level.js";
import { InventoryTransactionSchema } from "./inventory/entities/inventory-transaction.js";
import { ProductSchema } from "./catalog/entities/product.js";
import { ProductSkuSchema } from "./catalog/entities/product-sku.js";
import { ProductVariantSchema } from "./catalog/entities/product-variant.js";
import { VariantPriceSchema } from "./catalog/entities/variant-price.js";
import { IdempotencyRecordSchema } from "./platform/idempotency/entities/idempotency-record.js";
import { OrderHistoryEntrySchema } from "./orders/entities/order-history-entry.js";
import { OrderLineSchema } from "./orders/entities/order-line.js";
import { OrderNumberCounterSchema } from "./orders/entities/order-number-counter.js";
import { OrderSchema } from "./orders/entities/order.js";
import { OutboxEventSchema } from "./platform/outbox/entities/outbox-event.js";
import { ServiceSecretSchema } from "./platform/database/entities/service-secret.js";
import { PromotionSchema } from "./promotions/entities/promotion.js";
import { PromotionCodeSchema } from "./promotions/entities/promotion-code.js";
import { PromotionRedemptionSchema } from "./promotions/entities/promotion-redemption.js";
import { MarketSchema } from "./store/entities/market.js";
import { MarketCountrySchema } from "./store/entities/market-country.js";
import { SalesChannelSchema } from "./store/entities/sales-channel.js";
import { ShippingMethodSchema } from "./shipping/entities/shipping-method.js";
import { StockLocationSchema } from "./store/entities/stock-location.js";
import { TaxSettingsSchema } from "./tax/entities/tax-settings.js";
import { TaxZoneSchema } from "./tax/entities/tax-zone.js";
import { TenantSchema } from "./platform/auth/entities/tenant.js";
import { WebhookDeliverySchema } from "./webhooks/entities/webhook-delivery.js";
import { WebhookDeliveryAttemptSchema } from "./webhooks/entities/webhook-delivery-attempt.js";
import { WebhookEndpointSchema } from "./webhooks/entities/webhook-endpoint.js";

export * from "./platform/auth/entities/api-key.js";
export * from "./carts/entities/cart.js";
export * from "./companies/entities/company.js";
export * from "./customers/entities/customer-address.js";
export * from "./customers/entities/customer.js";
export * from "./gift-cards/entities/gift-card.js";
export * from "./gift-cards/entities/gift-card-transaction.js";
export * from "./inventory/entities/inventory-item.js";
export * from "./inventory/entities/inventory-level.js";
export * from "./inventory/entities/inventory-settings.js";
export * from "./inventory/entities/inventory-transaction.js";
export type * from "./catalog/entities/json-types.js";
export * from "./catalog/entities/product.js";
export * from "./catalog/entities/product-sku.js";
export * from "./catalog/entities/product-variant.js";
export * from "./catalog/entities/variant-price.js";
export * from "./platform/idempotency/entities/idempotency-record.js";
export type * from "./orders/entities/json-types.js";
export * from "./orders/entities/order-history-entry.js";
export * from "./orders/entities/order-line.js";
export * from "./orders/entities/order-number-counter.js";
export * from "./orders/entities/order.js";
export * from "./platform/outbox/entities/outbox-event.js";
export * from "./platform/database/entities/service-secret.js";
export * from "./platform/auth/entities/tenant.js";
export * from "./promotions/entities/promotion.js";
export * from "./promotions/entities/promotion-code.js";
export * from "./promotions/entities/promotion-redemption.js";
export * from "./store/entities/market.js";
export * from "./store/entities/market-country.js";
export * from "./store/entities/sales-channel.js";
export * from "./store/entities/stock-location.js";
export * from "./shipping/entities/shipping-method.js";
export * from "./tax/entities/tax-settings.js";
export * from "./tax/entities/tax-zone.js";
export * from "./webhooks/entities/webhook-endpoint.js";
export * from "./webhooks/entities/webhook-delivery.js";
export * from "./webhooks/entities/webhook-delivery-attempt.js";

/** Every entity of the platform and the capabilities, listed explicitly for MikroORM (no folder discovery, no reflection). */
export const entities = [
  TenantSchema,
  ApiKeySchema,
  CompanySchema,
  CustomerSchema,
  CustomerAddressSchema,
  ProductSchema,
  ProductVariantSchema,
  ProductSkuSchema,
  VariantPriceSchema,
  OrderSchema,
  OrderLineSchema,
  OrderHistoryEntrySchema,
  OrderNumberCounterSchema,
  IdempotencyRecordSchema,
  OutboxEventSchema,
  ServiceSecretSchema,
  MarketSchema,
  MarketCountrySchema,
  SalesChannelSchema,
  StockLocationSchema,
  ShippingMethodSchema,
  GiftCardSchema,
  GiftCardTransactionSchema,
  PromotionSchema,
  PromotionCodeSchema,
  PromotionRedemptionSchema,
  TaxZoneSchema,
  TaxSettingsSchema,
  CartSchema,
  WebhookEndpointSchema,
  WebhookDeliverySchema,
  WebhookDeliveryAttemptSchema,
  InventoryItemSchema,
  InventoryLevelSchema,
  InventorySettingsSchema,
  InventoryTransactionSchema,
] as const;

/** The service's ORM: the platform's, with every entity above. */
export function createOrm(options: CreateOrmOptions): Promise<MikroORM> {
  return initOrm({ ...options, entities });
}
