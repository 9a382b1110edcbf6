import { timestampDate } from "@bufbuild/protobuf/wkt";
import { ProductStatus, ProductStatusSchema, type Product, type Variant } from "../../gen/orders/v1/product_pb.js";
import type { Api } from "./api.js";
import { byId, h, labelledInput, optionalValue } from "./dom.js";
import { enumLabel, enumOptions } from "./enums.js";
import { clearErrors, showError } from "./errors.js";
import { formatMoney } from "./money.js";
import { pager, type Pager } from "./pager.js";

const PAGE_SIZE = 10;
/** A row shows this many variants; more are counted. */
const VARIANTS_SHOWN = 4;

/**
 * The "Products" panel: ListProducts, newest first, by title prefix, SKU (primary or alternate, any case) and
 * status, page by page; a row opens the product in the form.
 */
export function setUpProductsList(api: Api, onOpen: (product: Product) => void): Pager {
  const container = byId("products-list", HTMLDivElement);
  const status = h(
    "select",
    { id: "filter-product-status", "data-field": "status" },
    ...enumOptions(ProductStatusSchema, "Any"),
  );
  const form = h(
    "form",
    { id: "products-filter-form", class: "filters", novalidate: "" },
    labelledInput("Title starts with", "filter-product-title", "title_prefix", { size: "16" }),
    labelledInput("SKU", "filter-product-sku", "sku", { size: "14" }),
    h("div", { class: "field" }, h("label", { for: status.id }, "Status"), status),
    h("button", { type: "submit" }, "Search"),
    h("p", { class: "form-error", role: "alert" }),
  );
  const body = h("tbody");
  const headings = ["Title", "Status", "Variants: SKU, prices", "Updated"];
  const table = h(
    "table",
    { class: "clickable", id: "products-table" },
    h("thead", {}, h("tr", {}, ...headings.map((title) => h("th", {}, title)))),
    body,
  );
  const value = (id: string) => optionalValue(byId(id, HTMLInputElement));
  const pages = pager("products-page", async (pageToken) => {
    clearErrors(form);
    try {
      const response = await api.catalog.listProducts({
        pageSize: PAGE_SIZE,
        pageToken,
        titlePrefix: value("filter-product-title"),
        sku: value("filter-product-sku"),
        status: selectedStatus(status),
      });
      body.replaceChildren(...response.products.map((product) => row(product, onOpen)));
      if (response.products.length === 0)
        body.append(h("tr", {}, h("td", { colspan: "4", class: "muted" }, "No products match.")));
      return response.nextPageToken;
    } catch (error) {
      body.replaceChildren();
      showError(form, error);
      return "";
    }
  });
  container.replaceChildren(form, table, pages.element);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    pages.first();
  });
  return pages;
}

const STATUSES = [ProductStatus.ACTIVE, ProductStatus.ARCHIVED] as const;

/** The status the filter names (its options carry the enum's numbers), or any. */
function selectedStatus(select: HTMLSelectElement): ProductStatus {
  return STATUSES.find((status) => String(status) === select.value) ?? ProductStatus.UNSPECIFIED;
}

function row(product: Product, onOpen: (product: Product) => void): HTMLTableRowElement {
  const more = product.variants.length - VARIANTS_SHOWN;
  const tr = h(
    "tr",
    { "data-product-id": product.id, tabindex: "0" },
    h("td", {}, product.title),
    h(
      "td",
      {},
      h("span", { class: "badge", "data-product-status": "" }, enumLabel(ProductStatusSchema, product.status)),
    ),
    h(
      "td",
      {},
      ...product.variants.slice(0, VARIANTS_SHOWN).map(variantLine),
      more > 0 && h("div", { class: "muted" }, `and ${more} more`),
    ),
    h("td", { class: "muted" }, product.updateTime ? timestampDate(product.updateTime).toLocaleString() : ""),
  );
  tr.addEventListener("click", () => onOpen(product));
  tr.addEventListener("keydown", (event) => {
    if (event.key === "Enter") onOpen(product);
  });
  return tr;
}

/** "TEE-L-RED Large / Red: €23.50 · $25.00": a variant's SKU, name and every price, with the server's digits. */
function variantLine(variant: Variant): HTMLDivElement {
  return h(
    "div",
    { "data-variant-id": variant.id },
    h("span", { "data-sku": "" }, variant.sku),
    variant.name && ` ${variant.name}`,
    ": ",
    h("span", { "data-prices": "" }, pricesText(variant)),
  );
}

/** "€23.50 · $25.00": every price of the variant, formatted with the digits the server sent. */
export function pricesText(variant: Pick<Variant, "prices">): string {
  return Object.entries(variant.prices)
    .map(([currency, amount]) => formatMoney(amount, currency))
    .join(" · ");
}
