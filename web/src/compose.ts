import { equals } from "@bufbuild/protobuf";
import { AddressSchema, type Address } from "../../gen/orders/v1/address_pb.js";
import type { Cart } from "../../gen/orders/v1/cart_pb.js";
import { ChannelSchema, type Channel, type Order } from "../../gen/orders/v1/order_pb.js";
import { addressPicker } from "./address-picker.js";
import type { Api } from "./api.js";
import { CART_CHANGED, cartSession, type CartCall, type CartInit, type ChangeOptions } from "./cart-session.js";
import { codesInput } from "./codes-input.js";
import { byId, optionalValue } from "./dom.js";
import type { DraftStore } from "./draft-store.js";
import { enumOptions } from "./enums.js";
import { clearErrors, showError } from "./errors.js";
import { formatMoney } from "./money.js";
import { cartLines, type LineInit, type PickedVariant } from "./order-lines.js";
import { shippingOptions } from "./shipping-options.js";
import { renderTotals } from "./totals.js";

export interface OrderComposer {
  form: HTMLFormElement;
  setCustomer(customerId: string): void;
  /** Places the order for this company (its id in the form). */
  setCompany(companyId: string): void;
  /** Adds a line for a variant picked from the catalog. */
  addPicked(picked: PickedVariant): void;
  /** The currency the order is composed in, for prices shown beside it. */
  currency(): string;
  /** Reads back the draft this tab kept (GetCart), on load and when a key is given. */
  restore(): void;
}

/** What the page says when the answer to "Place order" was lost (see answerLost in errors.ts). */
export const ANSWER_LOST =
  'The answer to "Place order" was lost, so the order may have been placed. Placing it again is safe: the console ' +
  "sends the same request id, so the service places this cart at most once and answers with its order if it exists.";

/** A cart's mutations name the cart's fields "cart.<field>" (CreateCart, UpdateCart). */
const CART_PREFIX = "cart.";
/** The buyer's fields, as UpdateCart's mask names them. */
type BuyerField = "customer_id" | "email" | "currency";

/**
 * The "New order" form, composed as a cart (cart-session.ts) so the draft outlives a reload: the first line or code
 * added creates the cart with the buyer, currency and addresses typed so far, and every change after is a call on
 * it. Each answer is the cart priced by the server, which the form shows; the browser never computes money. "Place
 * order" is CreateOrder with cart_id, the buyer's fields and the order's fields a cart does not hold (company, PO
 * number, channel); then the draft is forgotten. The cart's id and those fields are kept in `drafts`.
 */
export function setUpOrderComposer(api: Api, drafts: DraftStore, onPlaced: (order: Order) => void): OrderComposer {
  const form = byId("order-form", HTMLFormElement);
  const customerId = byId("order-customer-id", HTMLInputElement);
  const currency = byId("order-currency", HTMLInputElement);
  const channel = byId("order-channel", HTMLSelectElement);
  const email = byId("order-email", HTMLInputElement);
  const po = byId("order-po-number", HTMLInputElement);
  const companyId = byId("order-company-id", HTMLInputElement);
  const totals = byId("order-totals", HTMLElement);
  const status = byId("cart-status", HTMLParagraphElement);
  const problems = byId("cart-problems", HTMLParagraphElement);
  const result = byId("order-result", HTMLParagraphElement);
  const formError = (text: string) => form.querySelector(":scope > .form-error")?.replaceChildren(text);
  const buyer: Record<BuyerField, HTMLInputElement> = { customer_id: customerId, email, currency };
  /** Whether the addresses the pickers read next are picked by the person (not a reloaded draft's). */
  let syncAddresses = false;

  channel.replaceChildren(...enumOptions(ChannelSchema, "Default (admin)"));

  const saveDraft = () => {
    const cart = session.cart();
    if (!cart) return;
    drafts.write({
      cartId: cart.id,
      companyId: companyId.value.trim(),
      poNumber: po.value.trim(),
      channel: channel.value,
    });
  };

  const show = (cart: Cart | undefined) => {
    const priced = cart?.priced;
    const shownCurrency = priced?.currency || cart?.currency || currency.value.trim() || "USD";
    lines.show(cart?.lines ?? [], priced?.items, shownCurrency);
    if (priced) renderTotals(totals, priced);
    else totals.replaceChildren();
    coupons.show(cart?.couponCodes ?? [], cart?.warnings ?? []);
    giftCards.show(cart?.giftCardCodes ?? [], []);
    shipping.show(cart);
    addresses.showChosen(priced ?? {});
    problems.textContent = (cart?.pricingErrors ?? []).map((p) => `${p.field}: ${p.description}`).join(" ");
    status.textContent = cart
      ? "Kept as a cart and priced by the server: a reload finds it. Nothing is ordered until you place it."
      : "";
    saveDraft();
  };

  /** The form starts a new order. */
  const clear = () => {
    drafts.clear();
    show(undefined);
    for (const input of [customerId, email, companyId, po]) input.value = "";
    addresses.follow();
  };

  const session = cartSession(api, {
    changed(cart, options) {
      clearErrors(form);
      show(cart);
      if (options.followUp !== false) followBuyer();
    },
    read(cart, elsewhere) {
      if (elsewhere) {
        show(cart);
        formError(CART_CHANGED);
        return;
      }
      customerId.value = cart.customerId;
      email.value = cart.email;
      currency.value = cart.currency;
      const kept = drafts.read();
      companyId.value = kept?.companyId ?? "";
      po.value = kept?.poNumber ?? "";
      channel.value = kept?.channel ?? "0";
      // The saved addresses equal to the cart's are picked once read; reading them changes nothing.
      syncAddresses = false;
      addresses.showCart(cart);
      addresses.follow();
      show(cart);
    },
    refused(error, options) {
      showError(form, error, { fieldPrefix: CART_PREFIX, ...options });
    },
    placed(orderId, order, here) {
      clear();
      result.textContent = here ? "" : "This cart was already placed as an order; the draft is cleared.";
      result.dataset["orderId"] = orderId;
      if (!order) return;
      result.textContent = `Placed order ${order.orderNumber}: ${formatMoney(order.total, order.currency)}`;
      onPlaced(order);
    },
    gone() {
      clear();
      result.textContent = "The draft's cart is gone (carts expire when left unchanged): start the order again.";
    },
  });

  /** The new cart: what the form holds so far (buyer, currency, addresses). */
  const newCart = (): CartInit => {
    const picked = addresses.cartAddresses();
    return {
      customerId: customerId.value.trim(),
      email: email.value.trim(),
      currency: currency.value.trim(),
      billingAddress: picked?.billing,
      shippingAddress: picked?.shipping,
    };
  };
  const creating: ChangeOptions = { create: newCart };
  const addItem = (item: LineInit) =>
    session.change((current, requestId) => {
      const request = { id: current.id, etag: current.etag, items: [item] };
      return api.carts.addCartLines({ ...request, requestId: requestId(request) });
    }, creating);
  const updateCart = (paths: string[], values: CartInit, options: ChangeOptions = {}) =>
    session.change((current, requestId) => {
      const request = { cart: { ...values, id: current.id, etag: current.etag }, updateMask: { paths } };
      return api.carts.updateCart({ ...request, requestId: requestId(request) });
    }, options);

  const lines = cartLines(
    byId("order-lines", HTMLTableSectionElement),
    byId("order-new-line", HTMLTableSectionElement),
    {
      add: addItem,
      setQuantity: (lineId, quantity) =>
        void session.change((current, requestId) => {
          const request = { id: current.id, etag: current.etag, lineId, quantity };
          return api.carts.updateCartLine({ ...request, requestId: requestId(request) });
        }),
      remove: (lineId) =>
        void session.change((current, requestId) => {
          const request = { id: current.id, etag: current.etag, lineId };
          return api.carts.removeCartLine({ ...request, requestId: requestId(request) });
        }),
    },
  );

  type CodeMethod = (request: { id: string; etag: string; code: string; requestId: string }) => Promise<{
    cart?: Cart;
  }>;
  /** Codes are added and removed one at a time; a refused code is shown at its input (`code` → the list's path). */
  const codes = (
    root: string,
    labels: { field: string; label: string; addLabel: string },
    apply: CodeMethod,
    remove: CodeMethod,
  ) => {
    const call =
      (method: CodeMethod, code: string): CartCall =>
      (current, requestId) => {
        const request = { id: current.id, etag: current.etag, code };
        return method({ ...request, requestId: requestId(request) });
      };
    const showAs = { fieldAlias: { code: labels.field } };
    return codesInput(byId(root, HTMLDivElement), labels, {
      apply: (code) => session.change(call(apply, code), { ...creating, showAs }),
      remove: (code) => void session.change(call(remove, code), { showAs }),
    });
  };
  const coupons = codes(
    "order-coupons",
    { field: "coupon_codes", label: "Coupon codes", addLabel: "Add coupon" },
    (request) => api.carts.applyCouponCode(request),
    (request) => api.carts.removeCouponCode(request),
  );
  const giftCards = codes(
    "order-gift-cards",
    { field: "gift_card_codes", label: "Gift card codes", addLabel: "Add gift card" },
    (request) => api.carts.applyGiftCardCode(request),
    (request) => api.carts.removeGiftCardCode(request),
  );

  const shipping = shippingOptions(api, byId("order-shipping-options", HTMLFieldSetElement), (methodId) => {
    void updateCart(["shipping_method"], { shippingMethod: methodId ? { id: methodId } : undefined });
  });

  /** Puts the picked addresses on the cart (so its tax and shipping options are the order's), when they differ. */
  const pickAddresses = () => {
    const cart = session.cart();
    const picked = addresses.cartAddresses();
    if (!cart || !picked) return;
    if (sameAddress(cart.billingAddress, picked.billing) && sameAddress(cart.shippingAddress, picked.shipping)) return;
    void updateCart(["billing_address", "shipping_address"], {
      billingAddress: picked.billing,
      shippingAddress: picked.shipping,
    });
  };
  const addresses = addressPicker(api, customerId, companyId, () => {
    if (syncAddresses) pickAddresses();
  });
  const followAddresses = () => {
    syncAddresses = true;
    addresses.follow();
  };

  /**
   * Sets the cart's buyer fields to what the form holds where they differ: on a change of one, and after each change
   * of the cart (a value the cart refused, say a currency a line has no price in, is tried again once the cart
   * changed). The form's values are also what "Place order" sends, so the order is always what the form shows.
   */
  const followBuyer = () => {
    const cart = session.cart();
    if (!cart) return;
    const held: Record<BuyerField, string> = {
      customer_id: cart.customerId,
      email: cart.email,
      currency: cart.currency,
    };
    const values: CartInit = {};
    const paths = (Object.keys(buyer) as BuyerField[]).filter((path) => {
      const value = buyer[path].value.trim();
      // An empty currency is the default one, whatever the cart holds.
      if (value === held[path] || (path === "currency" && value === "")) return false;
      Object.assign(values, path === "customer_id" ? { customerId: value } : { [path]: value });
      return true;
    });
    // Once only: a value the service writes otherwise (say, an id in capitals) is not sent again and again.
    if (paths.length > 0) void updateCart(paths, values, { followUp: false });
  };
  for (const input of Object.values(buyer)) input.addEventListener("change", followBuyer);
  customerId.addEventListener("input", followAddresses);
  companyId.addEventListener("input", followAddresses);
  for (const input of [companyId, po, channel]) input.addEventListener("change", saveDraft);
  for (const id of ["order-billing-address", "order-shipping-address"])
    byId(id, HTMLSelectElement).addEventListener("change", pickAddresses);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearErrors(form);
    result.textContent = "";
    delete result.dataset["orderId"];
    const placing = {
      customerId: customerId.value.trim(),
      email: email.value.trim(),
      currency: optionalValue(currency),
      channel: Number(channel.value) as Channel,
      poNumber: po.value.trim(),
      companyId: companyId.value.trim(),
    };
    void session.place(placing, { ifAnswerLost: ANSWER_LOST }).then((placeable) => {
      if (!placeable) formError("Add a line first: the order is placed from its cart.");
    });
  });

  return {
    form,
    setCustomer(id) {
      customerId.value = id;
      followAddresses();
      followBuyer();
    },
    setCompany(id) {
      companyId.value = id;
      followAddresses();
      saveDraft();
    },
    addPicked(picked) {
      void addItem({ variantId: picked.variantId, quantity: 1 });
    },
    currency: () => currency.value.trim() || session.cart()?.currency || "USD",
    restore() {
      const kept = drafts.read();
      if (kept) void session.open(kept.cartId);
    },
  };
}

function sameAddress(a: Address | undefined, b: Address | undefined): boolean {
  return a === undefined || b === undefined ? a === b : equals(AddressSchema, a, b);
}
