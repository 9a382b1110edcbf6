import type { Cart } from "../../gen/orders/v1/cart_pb.js";
import { clientsFor, type Clients } from "../support/clients.js";
import { setUpNewYorkShop } from "../support/new-york-shop.js";
import type { TestService, TestTenant } from "../support/service.js";

/** A tenant with the New York shop (tax, UPS Ground at 8.99, SPRING10) and a catalog of two SKUs. */
export interface CartShop {
  tenant: TestTenant;
  live: Clients;
  test: Clients;
  viewer: Clients;
  groundId: string;
  /** SKU "SD-SCAN-PRO", 49.99 USD, 45.00 EUR. */
  scannerVariantId: string;
  /** SKU "SD-CABLE", 9.50 USD only. */
  cableVariantId: string;
}

export async function cartShop(service: TestService): Promise<CartShop> {
  const tenant = await service.newTenant({ role: "admin" });
  const live = clientsFor("connect-json-http1", service.url, tenant.key);
  const test = clientsFor(
    "connect-json-http1",
    service.url,
    (await tenant.issueKey({ role: "admin", mode: "test" })).key,
  );
  const viewer = clientsFor("connect-json-http1", service.url, (await tenant.issueKey({ role: "viewer" })).key);
  const groundId = await setUpNewYorkShop(live);
  const { product: scanner } = await live.catalog.createProduct({
    product: {
      title: "SpectraDiag Scan Pro",
      variants: [{ sku: "SD-SCAN-PRO", prices: { USD: "49.99", EUR: "45.00" }, weightGrams: 900 }],
    },
  });
  const { product: cable } = await live.catalog.createProduct({
    product: { title: "OBD Cable", variants: [{ sku: "SD-CABLE", prices: { USD: "9.50" } }] },
  });
  return {
    tenant,
    live,
    test,
    viewer,
    groundId,
    scannerVariantId: scanner?.variants[0]?.id ?? "",
    cableVariantId: cable?.variants[0]?.id ?? "",
  };
}

export function cartOf(response: { cart?: Cart }): Cart {
  if (!response.cart) throw new Error("no cart in the response");
  return response.cart;
}
