import type { MessageInitShape } from "@bufbuild/protobuf";
import { ChannelSchema, type Order, type PricingWarning } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequestSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { addressPicker } from "./address-picker.js";
import type { Api } from "./api.js";
import { codesInput } from "./codes-input.js";
import { byId, optionalValue } from "./dom.js";
import { enumOptions } from "./enums.js";
import { clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";
import { requestIds } from "./request-ids.js";
import { formatMoney } from "./money.js";
import { orderLines as lines, type PickedVariant, type PricedLine } from "./order-lines.js";
import { shippingOptions, type ShippingOptions } from "./shipping-options.js";
import { renderTotals, type Totals } from "./totals.js";

export type OrderRequestInit = MessageInitShape<typeof CreateOrderRequestSchema>;

/**
 * A priced order as the server returned it: its totals, per line its total and what the catalog filled in, and the
 * addresses it gets.
 */
export interface Priced extends Totals, Partial<Pick<Order, "billingAddress" | "shippingAddress">> {
  items: PricedLine[];
}

export interface OrderComposer {
  form: HTMLFormElement;
  setCustomer(customerId: string): void;
  /** The order the form describes right now, without a request_id (placing it adds one). */
  request(): OrderRequestInit;
  /** Shows server-computed line totals and totals, and the warnings about coupon codes that did not apply. */
  showPriced(priced: Priced, warnings?: readonly PricingWarning[]): void;
  /** The shipping methods offered for the order (listed again by the preview when the order changes). */
  shipping: ShippingOptions;
  /** Called on every change of the order, e.g. to price it again. */
  onChange(listener: () => void): void;
  /** Adds a line for a variant picked from the catalog, in place of lines nothing was typed into. */
  addPicked(picked: PickedVariant): void;
  /** Places the order for this company (its id in the form). */
  setCompany(companyId: string): void;
}

/** What the page says when the answer to "Place order" was lost (see answerLost in errors.ts). */
export const ANSWER_LOST =
  'The answer to "Place order" was lost, so the order may have been placed. Placing it again is safe: the console ' +
  "sends the same request id, so the service places this order at most once and answers with it if it exists. " +
  "If you change the order first, it is a new order.";

/**
 * The "New order" form: customer (or a guest's email), company, saved addresses, currency, channel, PO number,
 * lines and order-level amounts. It never computes money: line totals, totals and catalog prices appear only as the server returns them.
 */
export function setUpOrderComposer(api: Api, onPlaced: (order: Order) => void): OrderComposer {
  const form = byId("order-form", HTMLFormElement);
  const customerId = byId("order-customer-id", HTMLInputElement);
  const currency = byId("order-currency", HTMLInputElement);
  const channel = byId("order-channel", HTMLSelectElement);
  const email = byId("order-email", HTMLInputElement);
  const po = byId("order-po-number", HTMLInputElement);
  const companyId = byId("order-company-id", HTMLInputElement);
  const shipping = byId("order-shipping", HTMLInputElement);
  const discount = byId("order-discount", HTMLInputElement);
  const tax = byId("order-tax", HTMLInputElement);
  const totals = byId("order-totals", HTMLElement);
  const result = byId("order-result", HTMLParagraphElement);
  const listeners: (() => void)[] = [];
  // One idempotency key per order as composed, kept until it is placed: placing the same order again after a lost
  // answer cannot create a second one, and an edited order is a new request.
  const ids = requestIds(newRequestId);

  channel.replaceChildren(...enumOptions(ChannelSchema, "Default (admin)"));

  const addresses = addressPicker(api, customerId, companyId);
  const changed = () => {
    orderLines.clearTotals();
    totals.replaceChildren();
    coupons.showWarnings([]);
    addresses.follow();
    addresses.showChosen({});
    for (const listener of listeners) listener();
  };
  const orderLines = lines(byId("order-lines", HTMLTableSectionElement), changed);
  const coupons = codesInput(
    byId("order-coupons", HTMLDivElement),
    { field: "coupon_codes", label: "Coupon codes", addLabel: "Add coupon" },
    changed,
  );
  const giftCards = codesInput(
    byId("order-gift-cards", HTMLDivElement),
    { field: "gift_card_codes", label: "Gift card codes", addLabel: "Add gift card" },
    changed,
  );
  const shippingMethods = shippingOptions(api, byId("order-shipping-options", HTMLFieldSetElement), changed);

  const request = (): OrderRequestInit => ({
    customerId: customerId.value.trim(),
    email: email.value.trim(),
    currency: optionalValue(currency),
    channel: Number(channel.value),
    poNumber: po.value.trim(),
    companyId: companyId.value.trim(),
    ...addresses.ids(),
    shippingTotal: optionalValue(shipping),
    discountTotal: optionalValue(discount),
    taxTotal: optionalValue(tax),
    items: orderLines.items(),
    couponCodes: coupons.codes(),
    giftCardCodes: giftCards.codes(),
    shippingMethod: shippingMethods.method(),
  });

  const showPriced = (priced: Priced, warnings: readonly PricingWarning[] = []) => {
    orderLines.showPriced(priced.items, priced.currency);
    renderTotals(totals, priced);
    coupons.showWarnings(warnings);
    addresses.showChosen(priced);
  };

  byId("add-line", HTMLButtonElement).addEventListener("click", () => {
    orderLines.add();
    changed();
  });
  form.addEventListener("input", changed);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(form);
      result.textContent = "";
      const order = request();
      try {
        const { order: placed, warnings } = await api.orders.createOrder({ ...order, requestId: ids.idFor(order) });
        ids.succeeded(order);
        if (!placed) return;
        showPriced(placed, warnings);
        result.textContent = `Placed order ${placed.orderNumber}: ${formatMoney(placed.total, placed.currency)}`;
        result.dataset["orderId"] = placed.id;
        onPlaced(placed);
      } catch (error) {
        showError(form, error, { ifAnswerLost: ANSWER_LOST });
      }
    })();
  });
  orderLines.add();

  return {
    form,
    setCustomer(id) {
      customerId.value = id;
      changed();
    },
    request,
    showPriced,
    shipping: shippingMethods,
    onChange(listener) {
      listeners.push(listener);
    },
    setCompany(id) {
      companyId.value = id;
      changed();
    },
    addPicked(picked) {
      orderLines.removeUntouched();
      orderLines.add(picked);
      changed();
    },
  };
}
