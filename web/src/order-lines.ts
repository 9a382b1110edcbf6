import type { MessageInitShape } from "@bufbuild/protobuf";
import type { LineItem } from "../../gen/orders/v1/order_pb.js";
import type { LineItemInputSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { h } from "./dom.js";
import { formatMoney } from "./money.js";

export type LineInit = MessageInitShape<typeof LineItemInputSchema>;

/** What the server said about one line: its total and, for a catalog line, what the catalog filled in. */
export type PricedLine = Pick<
  LineItem,
  "lineTotal" | "name" | "unitPrice" | "sku" | "variantId" | "requestedSku" | "taxLines"
>;

/** A variant picked from the catalog: the line names it by id and shows its SKU. */
export interface PickedVariant {
  variantId: string;
  sku: string;
}

export interface OrderLines {
  /** Adds a line: one to type a SKU into, or one for a variant picked from the catalog. */
  add(picked?: PickedVariant): void;
  /** Removes the lines nothing was typed into yet (a picked variant takes the place of the empty first line). */
  removeUntouched(): void;
  /** The lines as the request sends them, in order. */
  items(): LineInit[];
  /**
   * Shows the server's line totals and, on each line the catalog resolved, the name and unit price it filled in
   * (as placeholders: typing a name or price overrides them) and which catalog SKU matched.
   */
  showPriced(items: readonly PricedLine[], currency: string): void;
  /** Forgets the line totals (the order changed, so they are no longer the server's). */
  clearTotals(): void;
}

/**
 * The order's lines as table rows. A line names its item by the SKU typed (the service matches it against the
 * catalog, primary or alternate SKU in any case; no match is a custom line that needs a name) or by the variant
 * picked from the catalog. Each input carries its request path (`items[1].unit_price`) for violations.
 */
export function orderLines(body: HTMLTableSectionElement, changed: () => void): OrderLines {
  const renumber = () => {
    body.querySelectorAll("tr").forEach((row, index) => {
      for (const input of row.querySelectorAll<HTMLElement>("[data-item-field]")) {
        input.setAttribute("data-field", `items[${index}].${input.dataset["itemField"] ?? ""}`);
      }
    });
  };
  const add = (picked?: PickedVariant) => {
    const cell = (field: string, attributes: Record<string, string>, ...extra: Node[]) =>
      h("td", {}, h("input", { "data-item-field": field, autocomplete: "off", ...attributes }), ...extra);
    const remove = h("button", { type: "button", class: "secondary", title: "Remove line" }, "×");
    // A picked variant is sent by id; its SKU is shown, not typed, and violations of variant_id appear under it.
    const reference = picked
      ? cell("variant_id", { "aria-label": "SKU", value: picked.sku, readonly: "" })
      : cell("sku", { "aria-label": "SKU" });
    reference.append(h("small", { class: "hint", "data-line-hint": "" }));
    const row = h(
      "tr",
      picked ? { "data-variant-id": picked.variantId } : {},
      reference,
      cell("name", { "aria-label": "Name" }),
      cell("quantity", { "aria-label": "Quantity", type: "number", min: "1", step: "1", value: "1" }),
      cell("unit_price", { "aria-label": "Unit price", inputmode: "decimal" }),
      cell("tax_amount", { "aria-label": "Tax", inputmode: "decimal" }),
      h("td", { class: "num", "data-line-total": "" }),
      h("td", {}, remove),
    );
    remove.addEventListener("click", () => {
      row.remove();
      renumber();
      changed();
    });
    body.append(row);
    renumber();
  };
  // A SKU typed anew is a new item: what the catalog said about the old one no longer holds.
  body.addEventListener("input", (event) => {
    const row = event.target instanceof HTMLInputElement && event.target.dataset["itemField"] === "sku";
    if (row) showCatalog(event.target.closest("tr"), undefined);
  });
  return {
    add,
    removeUntouched() {
      for (const row of body.querySelectorAll("tr")) {
        const item = itemOf(row);
        if (!item.variantId && !item.sku && !item.name && !item.unitPrice && !item.taxAmount) row.remove();
      }
      renumber();
    },
    items: () => Array.from(body.querySelectorAll("tr"), itemOf),
    showPriced(items, currency) {
      body.querySelectorAll("tr").forEach((row, index) => {
        const item = items[index];
        const cell = row.querySelector("[data-line-total]");
        if (!item || !cell) return;
        cell.textContent = formatMoney(item.lineTotal, currency);
        cell.setAttribute("data-amount", item.lineTotal);
        showCatalog(row, item);
      });
    },
    clearTotals() {
      for (const cell of body.querySelectorAll("[data-line-total]")) cell.textContent = "";
    },
  };
}

function itemOf(row: HTMLTableRowElement): LineInit {
  const value = (field: string) =>
    row.querySelector<HTMLInputElement>(`[data-item-field="${field}"]`)?.value.trim() ?? "";
  const quantity = value("quantity");
  const variantId = row.dataset["variantId"];
  return {
    ...(variantId ? { variantId } : { sku: value("sku") }),
    name: value("name"),
    // A quantity the browser cannot read as a whole number is sent as 0, which the contract
    // rejects at items[i].quantity, so the message appears at the field like any other.
    quantity: quantity === "" ? undefined : Number.isInteger(Number(quantity)) ? Number(quantity) : 0,
    unitPrice: value("unit_price") || undefined,
    taxAmount: value("tax_amount") || undefined,
  };
}

/** Shows what the catalog filled in on a line, or that a typed SKU is not in it (nothing before the server answered). */
function showCatalog(row: HTMLTableRowElement | null, item: PricedLine | undefined): void {
  if (!row) return;
  const input = (field: string) => row.querySelector<HTMLInputElement>(`[data-item-field="${field}"]`);
  const fromCatalog = item !== undefined && item.variantId !== "";
  const name = input("name");
  const price = input("unit_price");
  if (name) {
    // The column may be too narrow for the whole name: it is also the input's tooltip.
    name.placeholder = fromCatalog ? item.name : "";
    name.title = name.placeholder;
  }
  if (price) price.placeholder = fromCatalog ? item.unitPrice : "";
  row.dataset["catalogVariantId"] = fromCatalog ? item.variantId : "";
  const hint = row.querySelector("[data-line-hint]");
  if (!hint) return;
  if (fromCatalog) hint.textContent = item.requestedSku ? `Catalog SKU ${item.sku}` : "From the catalog";
  else hint.textContent = item && input("sku")?.value.trim() ? "Not in the catalog" : "";
}
