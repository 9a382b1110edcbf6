import { ProductStatus, type Product, type Variant } from "../../gen/orders/v1/product_pb.js";
import type { Api } from "./api.js";
import type { OrderComposer } from "./compose.js";
import { byId, h } from "./dom.js";
import { describeError } from "./errors.js";
import { formatMoney } from "./money.js";

/** Wait this long after the last keystroke before searching the catalog. */
const SEARCH_DELAY_MS = 250;
const RESULTS = 10;
/** Longer text is no SKU (the contract's limit), only the start of a title. */
const MAX_SKU_LENGTH = 128;

/**
 * "Add from the catalog" in the order form: finds active products whose title starts with the text typed, or that
 * have it as a SKU (primary or alternate, any case), with ListProducts; each variant found is a button that adds
 * a line naming that variant by id to the cart. The price shown is the variant's in the order's currency, as the
 * catalog has it; the cart then prices the line. The search is not part of the order: typing in it prices nothing.
 */
export function setUpProductSearch(api: Api, composer: OrderComposer): void {
  const input = byId("order-product-search", HTMLInputElement);
  const status = byId("order-product-search-status", HTMLParagraphElement);
  const results = byId("order-product-results", HTMLUListElement);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Answers can arrive out of order; only the latest search's answer is shown.
  let latest = 0;

  const search = async (text: string, call: number) => {
    try {
      const [bySku, byTitle] = await Promise.all([
        text.length > MAX_SKU_LENGTH
          ? { products: [] }
          : api.catalog.listProducts({ sku: text, status: ProductStatus.ACTIVE, pageSize: 1 }),
        api.catalog.listProducts({ titlePrefix: text, status: ProductStatus.ACTIVE, pageSize: RESULTS }),
      ]);
      if (call !== latest) return;
      // Found by its title: every variant; found by a SKU only: the variant that has it.
      const found = new Map<string, { product: Product; variants: Variant[] }>();
      for (const product of bySku.products)
        found.set(product.id, { product, variants: variantsWithSku(product, text) });
      for (const product of byTitle.products) found.set(product.id, { product, variants: product.variants });
      const currency = composer.currency();
      results.replaceChildren(
        ...[...found.values()].flatMap(({ product, variants }) =>
          variants.map((v) => variantItem(product, v, currency)),
        ),
      );
      status.textContent = found.size === 0 ? `No active product has a title starting with "${text}" or SKU.` : "";
    } catch (error) {
      if (call !== latest) return;
      const shown = describeError(error);
      results.replaceChildren();
      status.textContent = `${shown.code}${shown.reason ? ` (${shown.reason})` : ""}: ${shown.message}`;
    }
  };

  const variantItem = (product: Product, variant: Variant, currency: string) => {
    const price = variant.prices[currency];
    const pick = h(
      "button",
      { type: "button", class: "secondary", "data-variant-id": variant.id },
      [product.title, variant.name].filter(Boolean).join(" — "),
    );
    pick.addEventListener("click", () => {
      composer.addPicked({ variantId: variant.id, sku: variant.sku });
      input.value = "";
      results.replaceChildren();
      input.focus();
    });
    return h(
      "li",
      {},
      pick,
      h("span", { class: "muted" }, ` ${variant.sku} · `),
      h("span", { class: price ? "" : "muted" }, price ? formatMoney(price, currency) : `no price in ${currency}`),
    );
  };

  input.addEventListener("input", (event) => {
    // Not a change of the order.
    event.stopPropagation();
    const call = ++latest;
    clearTimeout(timer);
    const text = input.value.trim();
    if (text === "") {
      results.replaceChildren();
      status.textContent = "";
      return;
    }
    timer = setTimeout(() => void search(text, call), SEARCH_DELAY_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    // Enter adds the first variant found, never places the order.
    event.preventDefault();
    results.querySelector("button")?.click();
  });
}

/**
 * The variants of a product found by `sku` that have it as primary or alternate SKU, compared as the service
 * compares SKUs closely enough for a list (NFC, without regard to case); all of them if none compares equal here.
 */
function variantsWithSku(product: Product, sku: string): Variant[] {
  const key = (text: string) => text.normalize("NFC").toLowerCase();
  const wanted = key(sku);
  const matching = product.variants.filter((v) => [v.sku, ...v.alternateSkus].some((s) => key(s) === wanted));
  return matching.length > 0 ? matching : product.variants;
}
