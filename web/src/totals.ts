import type { Order } from "../../gen/orders/v1/order_pb.js";
import { h } from "./dom.js";
import { formatMoney } from "./money.js";

export type Totals = Pick<Order, "currency" | "subtotal" | "shippingTotal" | "discountTotal" | "taxTotal" | "total">;

/** Fills a <dl> with the server's totals; each <dd> keeps the raw amount in data-amount. */
export function renderTotals(list: HTMLElement, totals: Totals): void {
  const row = (label: string, key: string, amount: string, extraClass = "") => [
    h("dt", { class: extraClass }, label),
    h("dd", { class: extraClass, "data-total": key, "data-amount": amount }, formatMoney(amount, totals.currency)),
  ];
  list.replaceChildren(
    ...row("Subtotal", "subtotal", totals.subtotal),
    ...row("Shipping", "shipping", totals.shippingTotal),
    ...row("Tax", "tax", totals.taxTotal),
    ...row("Discount", "discount", totals.discountTotal),
    ...row("Total", "total", totals.total, "grand"),
  );
}
