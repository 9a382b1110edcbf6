import type { MessageInitShape } from "@bufbuild/protobuf";
import type { CartLine } from "../../gen/orders/v1/cart_pb.js";
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

/** A variant picked from the catalog: the line names it by id. */
export interface PickedVariant {
  variantId: string;
  sku: string;
}

/** What the rows ask the cart to do (compose.ts sends each as a CartsService call). */
export interface LineActions {
  /** AddCartLines with the new line; resolves true when the cart took it (the row is then emptied). */
  add(item: LineInit): Promise<boolean>;
  /** UpdateCartLine: the line's new quantity (0 removes it). */
  setQuantity(lineId: string, quantity: number): void;
  /** RemoveCartLine. */
  remove(lineId: string): void;
}

export interface CartLines {
  /** Shows the cart's lines, each with what the server priced it at (absent when the cart cannot be priced now). */
  show(lines: readonly CartLine[], priced: readonly PricedLine[] | undefined, currency: string): void;
}

/**
 * The cart's lines as table rows, and a row below them to type a new line into. A new line names its item by SKU
 * (the service matches it against the catalog, primary or alternate SKU in any case; no match is a custom line that
 * needs a name) and may give a name, quantity, unit price (a negotiated price) and tax; "Add line" (or Enter) sends
 * it with AddCartLines, whose violations appear at its inputs (`items[0].name`). A line in the cart shows what the
 * service made of it (name, SKU and price from the catalog); its quantity is changed in place, × removes it.
 */
export function cartLines(
  body: HTMLTableSectionElement,
  newLine: HTMLTableSectionElement,
  actions: LineActions,
): CartLines {
  const input = (field: string, label: string, attributes: Record<string, string> = {}) =>
    h("input", { "data-field": `items[0].${field}`, "aria-label": label, autocomplete: "off", ...attributes });
  const sku = input("sku", "SKU", { placeholder: "SKU" });
  const name = input("name", "Name", { placeholder: "catalog's, or type one" });
  const quantity = input("quantity", "Quantity", { type: "number", min: "1", step: "1", value: "1" });
  const unitPrice = input("unit_price", "Unit price", { inputmode: "decimal", placeholder: "catalog's" });
  const tax = input("tax_amount", "Tax", { inputmode: "decimal" });
  const addButton = h("button", { type: "button", id: "add-line" }, "Add line");
  newLine.replaceChildren(
    h(
      "tr",
      { "data-new-line": "" },
      ...[sku, name, quantity, unitPrice, tax].map((cell) => h("td", {}, cell)),
      h("td", { colspan: "2" }, addButton),
    ),
  );

  const add = async () => {
    const typed = quantity.value.trim();
    // A quantity the browser cannot read as a whole number is sent as 0, which the contract rejects at
    // items[0].quantity, so the message appears at the field like any other.
    const item: LineInit = {
      sku: sku.value.trim(),
      name: name.value.trim(),
      quantity: typed === "" ? undefined : Number.isInteger(Number(typed)) ? Number(typed) : 0,
      unitPrice: unitPrice.value.trim() || undefined,
      taxAmount: tax.value.trim() || undefined,
    };
    if (!(await actions.add(item))) return;
    for (const field of [sku, name, unitPrice, tax]) field.value = "";
    quantity.value = "1";
    sku.focus();
  };
  addButton.addEventListener("click", () => void add());
  newLine.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    // Enter adds the line, never places the order.
    event.preventDefault();
    void add();
  });

  return {
    show(lines, priced, currency) {
      body.replaceChildren(...lines.map((line, index) => lineRow(line, priced?.[index], currency, index, actions)));
    },
  };
}

function lineRow(
  line: CartLine,
  priced: PricedLine | undefined,
  currency: string,
  index: number,
  actions: LineActions,
): HTMLTableRowElement {
  const item = line.item;
  const units = item?.quantity ?? 1;
  const quantity = h("input", {
    "aria-label": "Quantity",
    type: "number",
    min: "0",
    max: "1000000",
    step: "1",
    value: String(units),
    "data-field": `lines[${index}].quantity`,
  });
  // Sent once, on change or Enter (which must not place the order); the answer redraws the row.
  let sent = false;
  const commit = () => {
    const wanted = Number(quantity.value);
    if (sent || wanted === units) return;
    if (!Number.isInteger(wanted) || wanted < 0) {
      quantity.value = String(units);
      return;
    }
    sent = true;
    actions.setQuantity(line.id, wanted);
  };
  quantity.addEventListener("change", commit);
  quantity.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    commit();
  });
  const remove = h(
    "button",
    { type: "button", class: "secondary", title: "Remove line", "aria-label": `Remove line ${index + 1}` },
    "×",
  );
  remove.addEventListener("click", () => actions.remove(line.id));
  const amount = (value: string | undefined) => (value ? formatMoney(value, currency) : "");
  return h(
    "tr",
    { "data-line-id": line.id },
    h(
      "td",
      { "data-sku": "" },
      priced?.sku || item?.sku || "",
      h("small", { class: "hint", "data-line-hint": "" }, catalogHint(item?.sku ?? "", priced)),
    ),
    h("td", { "data-name": "" }, priced?.name || item?.name || ""),
    h("td", {}, quantity),
    h("td", { class: "num", "data-unit-price": "" }, amount(priced?.unitPrice ?? item?.unitPrice)),
    h("td", { class: "num" }, amount(item?.taxAmount)),
    h("td", { class: "num", "data-line-total": "", "data-amount": priced?.lineTotal ?? "" }, amount(priced?.lineTotal)),
    h("td", {}, remove),
  );
}

/** What the catalog made of a line: `From the catalog`, `Catalog SKU X` (matched another way), or not in it. */
function catalogHint(typedSku: string, priced: PricedLine | undefined): string {
  if (!priced) return "";
  if (priced.variantId) return priced.requestedSku ? `Catalog SKU ${priced.sku}` : "From the catalog";
  return typedSku ? "Not in the catalog" : "";
}
