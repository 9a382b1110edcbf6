import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Variant, VariantSchema } from "../../gen/orders/v1/product_pb.js";
import { h } from "./dom.js";

export type VariantInit = MessageInitShape<typeof VariantSchema>;

export interface VariantsEditor {
  /** The table of variants and the button that adds one. */
  element: HTMLElement;
  /** The variants as typed, in order; a saved variant keeps its id and its metadata. */
  value(): VariantInit[];
  /** Shows these variants (none: one empty row). */
  set(variants: readonly Variant[]): void;
}

/** A new variant's first price is in this currency; the person may change it or add others. */
const FIRST_CURRENCY = "USD";

/**
 * The variants of a product as rows: SKU, alternate SKUs (separated by commas), name, prices (one currency and
 * amount per pair), tax category and weight. Each input carries its request path (`product.variants[1].sku`,
 * `product.variants[1].prices["EUR"]`), so violations appear where they belong.
 */
export function variantsEditor(): VariantsEditor {
  const body = h("tbody", { id: "product-variants" });
  // The saved variant each row shows: its metadata, which the editor does not show, goes back unchanged.
  const saved = new WeakMap<HTMLTableRowElement, Variant>();
  const add = h("button", { type: "button", class: "secondary" }, "Add variant");
  const headings = ["SKU", "Alternate SKUs", "Variant name", "Prices", "Tax category", "Weight (g)", ""];
  const element = h(
    "div",
    {},
    h("table", { class: "lines" }, h("thead", {}, h("tr", {}, ...headings.map((title) => h("th", {}, title)))), body),
    h("p", { class: "field-error", "data-error-for": "product.variants" }),
    add,
  );

  const renumber = () => {
    body.querySelectorAll("tr").forEach((row, index) => {
      const path = `product.variants[${index}]`;
      for (const input of row.querySelectorAll<HTMLElement>("[data-variant-field]"))
        input.dataset["field"] = `${path}.${input.dataset["variantField"] ?? ""}`;
      for (const pair of row.querySelectorAll<HTMLElement>("[data-price]"))
        pair.dataset["field"] = `${path}.prices[${JSON.stringify(priceInputs(pair).currency.value.trim())}]`;
    });
  };
  const addRow = (variant?: Variant) => {
    const cell = (field: string, label: string, value: string, attributes: Record<string, string> = {}) => {
      const input = h("input", {
        "data-variant-field": field,
        "aria-label": label,
        autocomplete: "off",
        ...attributes,
      });
      input.value = value;
      return h("td", {}, input);
    };
    const prices = h("td", { class: "prices" });
    const addPrice = (currency: string, amount: string) => {
      const pair = h(
        "span",
        { class: "price", "data-price": "" },
        h("input", { "aria-label": "Currency", size: "3", autocomplete: "off", value: currency }),
        h("input", { "aria-label": "Price", inputmode: "decimal", size: "8", autocomplete: "off", value: amount }),
      );
      prices.insertBefore(pair, morePrices);
      renumber();
    };
    const morePrices = h("button", { type: "button", class: "secondary small", title: "Add a price" }, "+ currency");
    prices.append(morePrices);
    const remove = h("button", { type: "button", class: "secondary", title: "Remove variant" }, "×");
    const row = h(
      "tr",
      { "data-variant-id": variant?.id ?? "" },
      cell("sku", "SKU", variant?.sku ?? ""),
      cell("alternate_skus", "Alternate SKUs", variant?.alternateSkus.join(", ") ?? ""),
      cell("name", "Variant name", variant?.name ?? ""),
      prices,
      cell("tax_category", "Tax category", variant?.taxCategory ?? "", { placeholder: "standard", size: "8" }),
      cell("weight_grams", "Weight (g)", variant?.weightGrams?.toString() ?? "", { type: "number", min: "0" }),
      h("td", {}, remove),
    );
    const given: [string, string][] = Object.entries(variant?.prices ?? {});
    const first: [string, string][] = [[FIRST_CURRENCY, ""]];
    for (const [currency, amount] of given.length > 0 ? given : first) addPrice(currency, amount);
    if (variant) saved.set(row, variant);
    morePrices.addEventListener("click", () => addPrice("", ""));
    remove.addEventListener("click", () => {
      row.remove();
      renumber();
    });
    body.append(row);
    renumber();
  };

  add.addEventListener("click", () => addRow());
  // A changed currency changes the path its price's violations name.
  body.addEventListener("input", renumber);
  return {
    element,
    value: () =>
      Array.from(body.querySelectorAll("tr"), (row) => ({
        ...variantOf(row),
        metadata: saved.get(row)?.metadata ?? {},
      })),
    set(variants) {
      body.replaceChildren();
      if (variants.length === 0) addRow();
      for (const variant of variants) addRow(variant);
    },
  };
}

function priceInputs(pair: Element): { currency: HTMLInputElement; amount: HTMLInputElement } {
  const [currency, amount] = pair.querySelectorAll("input");
  if (!currency || !amount) throw new Error("a price pair without its two inputs");
  return { currency, amount };
}

function variantOf(row: HTMLTableRowElement): VariantInit {
  const value = (field: string) =>
    row.querySelector<HTMLInputElement>(`[data-variant-field="${field}"]`)?.value.trim() ?? "";
  const prices: Record<string, string> = {};
  for (const pair of row.querySelectorAll("[data-price]")) {
    const { currency, amount } = priceInputs(pair);
    // A pair left empty is no price; half a pair is sent, so the service says what is missing.
    if (currency.value.trim() !== "" || amount.value.trim() !== "") prices[currency.value.trim()] = amount.value.trim();
  }
  const weight = value("weight_grams");
  return {
    id: row.dataset["variantId"] ?? "",
    sku: value("sku"),
    alternateSkus: value("alternate_skus")
      .split(",")
      .map((sku) => sku.trim())
      .filter((sku) => sku !== ""),
    name: value("name"),
    prices,
    taxCategory: value("tax_category"),
    // A weight the browser cannot read as a whole number is sent as -1, which the contract refuses at the field.
    weightGrams: weight === "" ? undefined : Number.isInteger(Number(weight)) ? Number(weight) : -1,
  };
}
