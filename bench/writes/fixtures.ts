import { create, type MessageInitShape } from "@bufbuild/protobuf";
import { createClient } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import { CustomersService } from "../../gen/orders/v1/customers_service_pb.js";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import { CreateOrderRequestSchema, type CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import { createTenant, issueApiKey } from "../../src/admin/tenants.js";
import { clientsFor, transportFor } from "../../test/support/clients.js";
import { BROOKLYN, setUpNewYorkShop } from "../../test/support/new-york-shop.js";
import { catalogSku } from "./catalog.js";

/** Distinct customers per tenant the load spreads its orders over. */
export const CUSTOMERS_PER_TENANT = 16;

export interface BenchTenant {
  tenantId: string;
  key: string;
  customerIds: string[];
}

/**
 * A tenant of its own for each measured cell, so its order numbers, events (subject
 * orders.<tenant>.created) and counts are that cell's alone. Tenant and key come from the admin
 * functions the CLI uses; customers are created through the public API like a client would.
 */
export async function createBenchTenant(orm: MikroORM, serviceUrl: string, label: string): Promise<BenchTenant> {
  const em = orm.em.fork();
  const tenant = await createTenant(em, `bench ${label}`);
  const { key } = await issueApiKey(em, tenant.id, { role: "editor", mode: "live", name: "bench" });
  const customers = createClient(CustomersService, transportFor("connect-json-http1", serviceUrl));
  const customerIds: string[] = [];
  for (let i = 0; i < CUSTOMERS_PER_TENANT; i++) {
    const { customer } = await customers.createCustomer(
      { email: `buyer-${i}@bench.example`, name: `Bench Buyer ${i}` },
      { headers: { authorization: `Bearer ${key}` } },
    );
    if (!customer) throw new Error("CreateCustomer returned no customer");
    customerIds.push(customer.id);
  }
  return { tenantId: tenant.id, key, customerIds };
}

/** A line as a storefront sends it: SKU, name, quantity and unit price; the service prices the rest. */
export function lineInput(index: number) {
  return {
    sku: `SKU-${1000 + index}`,
    name: `Bench article ${index}`,
    quantity: 1 + (index % 4),
    unitPrice: `${19 + index}.95`,
  };
}

export const SHIPPING_ADDRESS = {
  name: "Ada Buyer",
  line1: "12 Harbour Street",
  city: "Bristol",
  postalCode: "BS1 4QA",
  country: "GB",
};

/** How the bench's orders name their lines. */
export type LineKind =
  /** Custom lines, as a storefront without a catalog in Orderspine sends them (lineInput): no SKU in the catalog. */
  | "custom"
  /** Lines named by a SKU of the tenant's seeded catalog (catalog.ts), quantity only: name and price come from it. */
  | "sku"
  /**
   * Custom lines as "custom", checked out as seed 003 does (issue 12): shipped to a taxed zone (the server computes
   * the tax), one coupon code of a promotion without usage limit and a shipping method by id (checkoutSetUp).
   */
  | "checkout";

/** The tenant's checkout configuration the "checkout" rows' orders name. */
export interface CheckoutSetUp {
  shippingMethodId: string;
  couponCode: string;
}

/**
 * The tenant's checkout configuration, through the public API with an admin key as a merchant would set it up:
 * the New York shop of test/orders/checkout.test.ts (setUpNewYorkShop): New York City sales tax, UPS Ground and
 * SPRING10, a 10 % order promotion with one code and no usage limit, as most shops' codes are.
 */
export async function checkoutSetUp(orm: MikroORM, serviceUrl: string, tenantId: string): Promise<CheckoutSetUp> {
  const { key } = await issueApiKey(orm.em.fork(), tenantId, { role: "admin", mode: "live", name: "bench set-up" });
  const shippingMethodId = await setUpNewYorkShop(clientsFor("connect-json-http1", serviceUrl, key));
  return { shippingMethodId, couponCode: "SPRING10" };
}

/** Requests per cell with lines by SKU: 64 orders of different SKUs, spread over the whole catalog. */
const SKU_REQUESTS = 64;

/** A line by SKU as seed 001 sends it: the SKU and a quantity, nothing else; every fifth by its alternate SKU. */
export function skuLineInput(variant: number, index: number) {
  return { sku: catalogSku(variant, index % 5 === 4), quantity: 1 + (index % 4) };
}

/**
 * The variant the `k`-th line of all requests names, of a catalog of `variants`: k times a prime modulo
 * `variants` names every variant once before any repeats (the prime is coprime with every smaller catalog
 * size), and consecutive lines name variants far apart, as real orders would.
 */
function spreadVariant(k: number, variants: number): number {
  return Number((BigInt(k) * 2654435761n) % BigInt(variants)) + 1;
}

/**
 * Requests built once: the generator then spends its time on the wire, not here. Custom lines: one request per
 * customer, all with the same lines. Lines by SKU: SKU_REQUESTS requests over the customers in turn, each line
 * naming another variant of the catalog of `catalogVariants`.
 */
export function orderRequests(
  customerIds: readonly string[],
  lines: number,
  kind: LineKind = "custom",
  catalogVariants = 0,
  checkout?: CheckoutSetUp,
): CreateOrderRequest[] {
  if (kind === "checkout" && !checkout) throw new Error("checkout rows need the tenant's checkoutSetUp");
  const count = kind === "sku" ? SKU_REQUESTS : customerIds.length;
  return Array.from({ length: count }, (_, r) => {
    const customerId = customerIds[r % customerIds.length] ?? "";
    const items = Array.from({ length: lines }, (_, i) =>
      kind === "sku" ? skuLineInput(spreadVariant(r * lines + i, catalogVariants), i) : lineInput(i),
    );
    const init: MessageInitShape<typeof CreateOrderRequestSchema> = {
      customerId,
      currency: "USD",
      channel: Channel.STOREFRONT,
      items,
      ...(checkout
        ? {
            shippingAddress: BROOKLYN,
            shippingMethod: { id: checkout.shippingMethodId },
            couponCodes: [checkout.couponCode],
          }
        : { shippingTotal: "4.90", shippingAddress: SHIPPING_ADDRESS }),
    };
    return create(CreateOrderRequestSchema, init);
  });
}
