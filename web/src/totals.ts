import { TaxSource, type LineItem, type Order, type OrderPayment, type TaxLine } from "../../gen/orders/v1/order_pb.js";
import { h } from "./dom.js";
import { formatMoney, formatRate } from "./money.js";

export type Totals = Pick<
  Order,
  | "currency"
  | "subtotal"
  | "shippingTotal"
  | "discountTotal"
  | "taxTotal"
  | "total"
  | "adjustments"
  | "shippingLine"
  | "taxSource"
  | "payments"
  | "amountDue"
> & { items: readonly Pick<LineItem, "name" | "taxLines">[] };

/** What Order.tax_source says, in words. */
const TAX_SOURCE_WORDS: Record<TaxSource, string> = {
  [TaxSource.UNSPECIFIED]: "",
  [TaxSource.SERVER]: "computed by the server",
  [TaxSource.CLIENT]: "as given with the order",
};

/**
 * Fills a <dl> with the server's priced summary: subtotal, the discount and each adjustment (code and amount),
 * shipping (and its method), tax with each tax line and who computed it, total, the payments (gift cards) and the
 * amount due. Each amount <dd> keeps the raw amount in data-amount; nothing is added up here.
 */
export function renderTotals(list: HTMLElement, totals: Totals): void {
  const money = (amount: string) => formatMoney(amount, totals.currency);
  const row = (label: string, attributes: Record<string, string>, amount: string, extraClass = "") => [
    h("dt", { class: extraClass }, label),
    h("dd", { class: extraClass, ...attributes, "data-amount": amount }, money(amount)),
  ];
  const total = (label: string, key: string, amount: string, extraClass = "") =>
    row(label, { "data-total": key }, amount, extraClass);
  const taxLine = (where: string, line: TaxLine) =>
    row(
      `${where} · ${line.displayName} ${formatRate(line.rate)}${line.included ? " (included)" : ""}`,
      { "data-tax-line": line.displayName },
      line.amount,
      "sub",
    );
  const shippingName = totals.shippingLine?.displayName;
  const taxWords = TAX_SOURCE_WORDS[totals.taxSource];
  list.replaceChildren(
    ...total("Subtotal", "subtotal", totals.subtotal),
    ...total("Discount", "discount", totals.discountTotal),
    ...totals.adjustments.flatMap((adjustment) =>
      row(
        adjustment.code
          ? `${adjustment.code}${adjustment.displayName ? ` (${adjustment.displayName})` : ""}`
          : "Manual",
        { "data-adjustment": adjustment.code },
        adjustment.amount,
        "sub",
      ),
    ),
    ...total(shippingName ? `Shipping (${shippingName})` : "Shipping", "shipping", totals.shippingTotal),
    ...total(taxWords ? `Tax (${taxWords})` : "Tax", "tax", totals.taxTotal),
    ...totals.items.flatMap((item, index) =>
      item.taxLines.flatMap((line) => taxLine(`Line ${index + 1}${item.name ? ` ${item.name}` : ""}`, line)),
    ),
    ...(totals.shippingLine?.taxLines ?? []).flatMap((line) => taxLine("Shipping", line)),
    ...total("Total", "total", totals.total, "grand"),
    ...totals.payments.flatMap((payment) =>
      row(paymentLabel(payment), { "data-payment": payment.method }, payment.amount),
    ),
    ...(totals.amountDue ? total("Amount due", "amount-due", totals.amountDue, "grand") : []),
  );
}

/** "Gift card …WXYZ" for a gift card, else the method (e.g. "card"). */
function paymentLabel(payment: OrderPayment): string {
  return payment.method === "GIFT_CARD" ? `Gift card …${payment.giftCardLastCharacters}` : `Paid by ${payment.method}`;
}
