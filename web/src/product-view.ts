import { ProductStatusSchema, type Product, type Variant } from "../../gen/orders/v1/product_pb.js";
import { h } from "./dom.js";
import { enumLabel } from "./enums.js";
import { formatMoney } from "./money.js";

/** One product as the server returned it: title, status, id and its variants with SKUs and prices. */
export function renderProduct(product: Product): HTMLElement {
  return h(
    "article",
    { "data-product-id": product.id },
    h(
      "p",
      {},
      h("strong", {}, product.title),
      " ",
      h("span", { class: "badge", "data-product-status": "" }, enumLabel(ProductStatusSchema, product.status)),
      " ",
      h("span", { class: "muted" }, `id ${product.id}`),
    ),
    product.description && h("p", { class: "muted" }, product.description),
    h(
      "table",
      {},
      h("thead", {}, h("tr", {}, ...["SKU", "Variant", "Prices", "Tax category", "Weight"].map((t) => h("th", {}, t)))),
      h("tbody", {}, ...product.variants.map(variantRow)),
    ),
  );
}

function variantRow(variant: Variant): HTMLTableRowElement {
  return h(
    "tr",
    { "data-variant-id": variant.id },
    h(
      "td",
      {},
      variant.sku,
      variant.alternateSkus.length > 0 && h("span", { class: "muted" }, ` (also ${variant.alternateSkus.join(", ")})`),
    ),
    h("td", {}, variant.name),
    h("td", { "data-prices": "" }, pricesText(variant)),
    h("td", {}, variant.taxCategory),
    h("td", {}, variant.weightGrams === undefined ? "" : `${variant.weightGrams} g`),
  );
}

/** "$289.50 · €265.00": every price of the variant, formatted with the digits the server sent. */
export function pricesText(variant: Variant): string {
  return Object.entries(variant.prices)
    .map(([currency, amount]) => formatMoney(amount, currency))
    .join(" · ");
}
