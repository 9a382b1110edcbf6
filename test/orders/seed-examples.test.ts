import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Channel, OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { startTestService, type TestService } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";

// The example orders of seeds 001, 002 and 004 (../shared/seeds), placed over a real socket with Connect JSON, as
// their users would place them in Orderspine's contract (issue 11's "Done when").
let service: TestService;
let clients: Clients;
let admin: Clients;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  service = await startTestService();
  const tenant = await service.newTenant({ role: "admin" });
  clients = clientsFor("connect-json-http1", service.url, tenant.key);
  admin = clients;
});
afterAll(() => ifSetUp(service)?.shutdown());

const usAddress = (line1: string) => ({
  name: "Vendo Connect Inc",
  line1,
  city: "New York",
  region: "NY",
  postalCode: "10001",
  country: "US",
});

describe("seed 001: a B2B sales order for a company", () => {
  it("takes lines by SKU and alternate SKU, fills addresses from the company, keeps PO number, dates and custom fields", async () => {
    const product = await clients.catalog.createProduct({
      product: {
        title: "Hydraulic Pump",
        variants: [{ sku: `HP-200-${suffix}`, alternateSkus: [`ALT-HP200-${suffix}`], prices: { USD: "129.00" } }],
      },
    });
    const company = await clients.companies.createCompany({
      name: "Acme Industrial",
      billingAddress: usAddress("1 Billing Way"),
      shippingAddresses: [{ address: usAddress("2 Dock Rd"), default: true }],
    });
    const customer = await clients.customers.createCustomer({
      email: `customer123-${suffix}@acme.example`,
      name: "customer123",
      companyId: company.company?.id ?? "",
    });
    const { order } = await clients.orders.createOrder({
      customerId: customer.customer?.id ?? "",
      companyId: company.company?.id ?? "",
      orderNumber: `ORD-2024-001-${suffix}`,
      channel: Channel.B2B_PORTAL,
      customerReference: "customer123",
      poNumber: "PO-2024-5678",
      requestedShipDate: { year: 2024, month: 1, day: 20 },
      holdUntilDate: { year: 2024, month: 1, day: 18 },
      shipByDate: { year: 2024, month: 1, day: 25 },
      requestedShippingService: "FedEx Ground",
      taxTotal: "15.75",
      shippingTotal: "12.50",
      customerNote: "Please handle with care - fragile items",
      internalNote: "Rush order - expedite processing",
      customFields: { "Customer PO": "PO-98765", "Priority Level": "High", "Package Count": 3 },
      tags: ["urgent", "vip-customer", "rush-order"],
      items: [
        { sku: `HP-200-${suffix}`, quantity: 2 },
        { sku: `alt-hp200-${suffix}`, quantity: 1, unitPrice: "119.00" },
      ],
    });
    expect(order).toMatchObject({
      companyId: company.company?.id,
      billingAddress: { line1: "1 Billing Way" },
      shippingAddress: { line1: "2 Dock Rd" },
      poNumber: "PO-2024-5678",
      customerReference: "customer123",
      requestedShipDate: { year: 2024, month: 1, day: 20 },
      requestedShippingService: "FedEx Ground",
      customFields: { "Package Count": 3, "Priority Level": "High" },
      // (sum of quantities x unit prices) + tax + shipping
      subtotal: "377.00",
      total: "405.25",
    });
    expect(
      order?.items.map((line) => [line.sku, line.requestedSku, line.name, line.unitPrice, line.productId]),
    ).toEqual([
      [`HP-200-${suffix}`, "", "Hydraulic Pump", "129.00", product.product?.id],
      [`HP-200-${suffix}`, `alt-hp200-${suffix}`, "Hydraulic Pump", "119.00", product.product?.id],
    ]);
    expect((await clients.orders.listOrders({ poNumber: "PO-2024-5678" })).orders.map((o) => o.id)).toEqual([
      order?.id,
    ]);
  });
});

describe("seed 002: a Spree one-shot order", () => {
  it("takes a guest email, variant lines priced from the catalog with line metadata, a saved address, locale, market, channel and stock location", async () => {
    const product = await clients.catalog.createProduct({
      product: {
        title: "Linen Shirt",
        variants: [
          { sku: `LS-M-${suffix}`, name: "M", prices: { USD: "49.00" } },
          { sku: `LS-L-${suffix}`, name: "L", prices: { USD: "52.00" } },
        ],
      },
    });
    const [medium, large] = product.product?.variants ?? [];
    const market = await admin.store.createMarket({
      market: { name: `US ${suffix}`, currency: "USD", countries: ["US"], defaultLocale: "en-US" },
    });
    const channel = await admin.store.createSalesChannel({ salesChannel: { name: "Online" } });
    const location = await admin.store.createStockLocation({
      stockLocation: { name: "NJ warehouse", address: usAddress("100 Warehouse Rd") },
    });
    const customer = await clients.customers.createCustomer({ email: `jane-${suffix}@example.com`, name: "Jane Doe" });
    const saved = await clients.customers.addCustomerAddress({
      customerId: customer.customer?.id ?? "",
      address: usAddress("350 Fifth Avenue"),
    });
    const { order } = await clients.orders.createOrder({
      email: "jane@example.com",
      customerId: customer.customer?.id ?? "",
      useCustomerDefaultAddress: false,
      currency: "USD",
      marketId: market.market?.id ?? "",
      salesChannelId: channel.salesChannel?.id ?? "",
      locale: "en-US",
      preferredStockLocationId: location.stockLocation?.id ?? "",
      customerNote: "Please leave at the front desk.",
      internalNote: "VIP customer — handle with care.",
      metadata: { external_reference: "subscription_invoice_2026_04", source: "recurring-engine" },
      items: [
        { variantId: medium?.id ?? "", quantity: 2 },
        { variantId: large?.id ?? "", quantity: 1, metadata: { gift: "true" } },
      ],
      shippingAddressId: saved.customerAddress?.id ?? "",
      billingAddress: usAddress("350 Fifth Avenue"),
    });
    expect(order).toMatchObject({
      email: "jane@example.com",
      marketId: market.market?.id,
      salesChannelId: channel.salesChannel?.id,
      preferredStockLocationId: location.stockLocation?.id,
      locale: "en-US",
      shippingAddress: { line1: "350 Fifth Avenue" },
      subtotal: "150.00",
      display: { subtotal: "$150.00", total: "$150.00" },
    });
    expect(order?.items.map((line) => [line.name, line.unitPrice, line.metadata])).toEqual([
      ["Linen Shirt - M", "49.00", {}],
      ["Linen Shirt - L", "52.00", { gift: "true" }],
    ]);
  });

  it("takes a guest order with no customer at all", async () => {
    const { order } = await clients.orders.createOrder({
      email: "pinned@example.com",
      items: [{ sku: "GIFT-WRAP", name: "Gift wrap", unitPrice: "4.00" }],
    });
    expect(order).toMatchObject({ customerId: "", email: "pinned@example.com", display: { total: "$4.00" } });
  });
});

describe("seed 004: a Spree platform import", () => {
  it("imports a shipped, paid order with variant lines at catalog prices, addresses by id and private metadata", async () => {
    const product = await clients.catalog.createProduct({
      product: { title: "Vendo Lamp", variants: [{ sku: `VL-1-${suffix}`, prices: { USD: "85.45" } }] },
    });
    const customer = await clients.customers.createCustomer({ email: `snow-${suffix}@example.com`, name: "John Snow" });
    const home = await clients.customers.addCustomerAddress({
      customerId: customer.customer?.id ?? "",
      address: usAddress("5th ave"),
      defaultBilling: true,
      defaultShipping: true,
    });
    const { order } = await admin.orders.createOrder({
      customerId: customer.customer?.id ?? "",
      channel: Channel.IMPORT,
      currency: "USD",
      customerNote: "I need it ASAP!",
      shippingTotal: "10",
      taxTotal: "10",
      billingAddressId: home.customerAddress?.id ?? "",
      shippingAddressId: home.customerAddress?.id ?? "",
      privateMetadata: { close_to_shop: "true" },
      items: [{ variantId: product.product?.variants[0]?.id ?? "", quantity: 2 }],
      importDetails: {
        placedTime: { seconds: BigInt(Date.parse("2022-11-08T19:33:50Z") / 1000), nanos: 0 },
        status: OrderStatus.FULFILLED,
        paymentStatus: PaymentStatus.PAID,
        paidTotal: "190.9",
        expectedSubtotal: "170.9",
        expectedTotal: "190.9",
      },
    });
    expect(order).toMatchObject({
      status: OrderStatus.FULFILLED,
      paymentStatus: PaymentStatus.PAID,
      subtotal: "170.90",
      total: "190.90",
      paidTotal: "190.90",
      billingAddress: { line1: "5th ave" },
      shippingAddress: { line1: "5th ave" },
      privateMetadata: { close_to_shop: "true" },
      email: customer.customer?.email,
    });
    expect(order?.items[0]).toMatchObject({ unitPrice: "85.45", lineTotal: "170.90", sku: `VL-1-${suffix}` });
  });
});
