import { Cascade, defineEntity, p } from "@mikro-orm/core";
import { type AddressRecord, Customer } from "../../customers/public.js";
import { Company } from "../../companies/public.js";
import type {
  AdjustmentRecord,
  CustomFields,
  FulfillmentRecord,
  HoldRecord,
  OrderFulfillmentRecord,
  ReturnRecord,
  OrderMetadata,
  OrderTags,
  PaymentRecord,
  ShippingLineRecord,
} from "./json-types.js";
import { OrderHistoryEntry } from "./order-history-entry.js";
import { OrderLine } from "./order-line.js";
import { createdAt, money, uuidPrimaryKey } from "../../platform/database/entity-properties.js";
import { Tenant } from "../../platform/auth/entities/tenant.js";

/**
 * `orders`: one placed order. Money columns are `numeric(19,4)` decimal strings; `lines` is loaded
 * in request order (`position`) and persisted together with the order (cascade persist).
 * `version` is an optimistic lock the ORM bumps on every update; the order's etag is derived from it.
 * `event_sequence` is the per-order sequence number of the last event written for the order
 * (order.created is 1). `placed_at` is null unless an import gave a placed time other than
 * `created_at`. The check constraint keeps 0 <= refunded_total <= paid_total <= total even if a bug
 * slipped past the domain rules.
 */
export const OrderSchema = defineEntity({
  name: "Order",
  tableName: "orders",
  properties: {
    ...uuidPrimaryKey,
    tenant: () => p.manyToOne(Tenant),
    orderNumber: p.text(),
    // null for a guest order, which has an email instead
    customer: () => p.manyToOne(Customer).nullable().deleteRule("no action"),
    status: p.text(),
    paymentStatus: p.text(),
    currency: p.character().length(3),
    channel: p.text(),
    propertyId: p.text().nullable(),
    subtotal: money(),
    shippingTotal: money(),
    discountTotal: money(),
    taxTotal: money(),
    total: money(),
    shippingAddress: p.json<AddressRecord>().nullable(),
    billingAddress: p.json<AddressRecord>().nullable(),
    customerNote: p.text().nullable(),
    internalNote: p.text().nullable(),
    metadata: p
      .json<OrderMetadata>()
      .defaultRaw("'{}'")
      .onCreate(() => ({})),
    requestId: p.uuid().nullable(),
    version: p.integer().version(),
    ...createdAt,
    // Set by each change (orders/order-mutation.ts) to the time of that change, the same instant as
    // its history entry and its event; an onUpdate hook would stamp the later flush time instead.
    updatedAt: p
      .datetime()
      .defaultRaw("now()")
      .onCreate(() => new Date()),
    paidTotal: money().defaultRaw("0"),
    refundedTotal: money().defaultRaw("0"),
    fulfillment: p.json<FulfillmentRecord>().nullable(),
    tags: p
      .json<OrderTags>()
      .defaultRaw("'[]'")
      .onCreate(() => []),
    placedAt: p.datetime().nullable(),
    eventSequence: p.integer().default(1),
    // Issue 11: the buyer and what the seeds put on an order (see Order in proto/orders/v1/order.proto).
    email: p.text().nullable(),
    poNumber: p.text().nullable(),
    customerReference: p.text().nullable(),
    requestedShipDate: p.date().nullable(),
    holdUntilDate: p.date().nullable(),
    shipByDate: p.date().nullable(),
    requestedShippingService: p.text().nullable(),
    customFields: p.json<CustomFields>().nullable(),
    locale: p.text().nullable(),
    privateMetadata: p
      .json<OrderMetadata>()
      .defaultRaw("'{}'")
      .onCreate(() => ({})),
    // Issue 11: who the order is placed for and where (companies, StoreService). Store resources are never deleted,
    // so their ids are checked when the order is created rather than by a foreign key to another capability's table.
    company: () => p.manyToOne(Company).nullable().deleteRule("no action"),
    marketId: p.uuid().nullable(),
    salesChannelId: p.uuid().nullable(),
    preferredStockLocationId: p.uuid().nullable(),
    // Issue 12: checkout pricing (domain/pricing). tax_total = included + additional; "client" or "server" tax.
    includedTaxTotal: money().defaultRaw("0"),
    additionalTaxTotal: money().defaultRaw("0"),
    taxSource: p.text().default("client"),
    taxZoneId: p.uuid().nullable(),
    // Snapshots in the contract's JSON form, written at creation; payments change by CapturePayment / VoidPayment,
    // and their refunded amounts by RefundOrder and CancelOrder (rules/refunds.ts).
    shippingLine: p.json<ShippingLineRecord>().nullable(),
    adjustments: p
      .json<AdjustmentRecord[]>()
      .defaultRaw("'[]'")
      .onCreate(() => []),
    payments: p
      .json<PaymentRecord[]>()
      .defaultRaw("'[]'")
      .onCreate(() => []),
    // Issue 14: set exactly while the status is on_hold (HoldOrder, or hold_until_date at creation)
    hold: p.json<HoldRecord>().nullable(),
    // Issue 14: every shipment, oldest first (FulfillOrder appends, DeliverOrder sets their deliver times)
    fulfillments: p
      .json<OrderFulfillmentRecord[]>()
      .defaultRaw("'[]'")
      .onCreate(() => []),
    // Issue 14: every return, oldest first (RequestReturn appends, ReceiveReturn receives and refunds)
    returns: p
      .json<ReturnRecord[]>()
      .defaultRaw("'[]'")
      .onCreate(() => []),
    // placed with an sk_test_ key: seen only by test keys (docs/test-mode.md)
    isTest: p.boolean().default(false),
    lines: () => p.oneToMany(OrderLine).mappedBy("order").orderBy({ position: "asc" }).cascade(Cascade.PERSIST),
    history: () =>
      p.oneToMany(OrderHistoryEntry).mappedBy("order").orderBy({ position: "asc" }).cascade(Cascade.PERSIST),
  },
  uniques: [{ name: "orders_tenant_id_order_number_unique", properties: ["tenant", "orderNumber"] }],
  checks: [
    // a guest order is known by its email
    { name: "orders_customer_or_email_check", expression: "customer_id is not null or email is not null" },
    {
      name: "orders_payment_totals_check",
      expression: "paid_total >= 0 and refunded_total >= 0 and refunded_total <= paid_total and paid_total <= total",
    },
  ],
  indexes: [
    {
      // newest-first listing per tenant and mode (a key lists only its mode's orders, docs/test-mode.md),
      // `id` breaks ties for keyset pagination. Written as a raw expression because MikroORM 7.2.1
      // introspection reads `id DESC` as the `id` inside `tenant_id` and would otherwise rebuild this
      // index on every schema diff.
      name: "orders_tenant_id_is_test_created_at_id_index",
      expression:
        "create index orders_tenant_id_is_test_created_at_id_index on orders (tenant_id, is_test, created_at desc, id desc)",
    },
    // One per ListOrders filter, each ending in the listing order, so a filtered page is an index
    // range scan at any depth instead of a walk through the tenant's orders that skips non-matches;
    // among the matches it skips the other mode's orders. (order_number needs none: the unique
    // constraint above finds it.)
    ...(["status", "payment_status", "customer_id", "channel", "po_number", "company_id"] as const).map((column) => ({
      name: `orders_tenant_id_${column}_created_at_id_index`,
      expression: `create index orders_tenant_id_${column}_created_at_id_index on orders (tenant_id, ${column}, created_at desc, id desc)`,
    })),
    {
      // the held orders whose hold ends by itself, by when (housekeeping: queries/expired-holds.ts)
      name: "orders_hold_until_index",
      expression:
        "create index orders_hold_until_index on orders ((hold->>'holdUntil')) where status = 'on_hold' and hold ? 'holdUntil'",
    },
    {
      // the email filter compares case-insensitively
      name: "orders_tenant_id_lower_email_created_at_id_index",
      expression:
        "create index orders_tenant_id_lower_email_created_at_id_index on orders (tenant_id, lower(email), created_at desc, id desc)",
    },
  ],
});

export class Order extends OrderSchema.class {}

OrderSchema.setClass(Order);
