import type { Cart } from "../../gen/orders/v1/cart_pb.js";
import type { ShippingOption } from "../../gen/orders/v1/shipping_pb.js";
import type { Api } from "./api.js";
import { h } from "./dom.js";

export interface ShippingOptions {
  /**
   * Shows the cart's shipping method as picked and lists the methods that ship the cart (ListCartShippingOptions),
   * again only when what they depend on changed: lines, buyer, addresses, currency (not codes, not the method).
   */
  show(cart: Cart | undefined): void;
}

/**
 * "Shipping method" in the order form: a radio per option the service lists for the cart, priced by it, cheapest
 * first, and "None". Picking one sets the cart's shipping method (`pick`, UpdateCart of shipping_method; "" for none).
 */
export function shippingOptions(api: Api, root: HTMLElement, pick: (methodId: string) => void): ShippingOptions {
  const choices = h("div", { class: "choices" });
  const status = h("p", { class: "muted", role: "status" });
  root.append(choices, h("p", { class: "field-error", "data-error-for": "shipping_method.id" }), status);
  let listedFor = "";
  let latest = 0;
  let picked = "";

  const radio = (value: string, label: string, amount?: { raw: string; shown: string }) => {
    const input = h("input", { type: "radio", name: "shipping-method", value });
    input.checked = value === picked;
    input.addEventListener("change", () => {
      if (input.checked && value !== picked) pick(value);
    });
    return h(
      "label",
      { class: "inline", "data-shipping-option": value },
      input,
      label,
      amount && h("span", { "data-amount": amount.raw }, amount.shown),
    );
  };

  const render = (options: readonly ShippingOption[], empty: string) => {
    choices.replaceChildren(
      radio("", "None"),
      ...options.map((option) =>
        radio(option.shippingMethodId, `${option.displayName} (${option.carrier} ${option.service}) `, {
          raw: option.amount,
          shown: option.displayAmount,
        }),
      ),
    );
    status.textContent = empty;
  };
  let shown: readonly ShippingOption[] = [];

  const list = async (key: string, cartId: string) => {
    const call = ++latest;
    try {
      const { options } = await api.carts.listCartShippingOptions({ id: cartId });
      if (call !== latest) return;
      shown = options;
      render(options, options.length === 0 ? "No shipping method ships this order." : "");
    } catch {
      // The cart says why it cannot be priced (pricing_errors); the options are listed again on its next change.
      if (call === latest && listedFor === key) listedFor = "";
    }
  };

  render([], "");
  return {
    show(cart) {
      picked = cart?.shippingMethod?.id ?? "";
      if (!cart || cart.lines.length === 0) {
        latest++;
        listedFor = "";
        shown = [];
        render([], "");
        return;
      }
      const key = JSON.stringify({
        id: cart.id,
        lines: cart.lines.map((line) => line.item),
        customer: cart.customerId,
        currency: cart.currency,
        shipping: cart.shippingAddress,
      });
      render(shown, status.textContent);
      if (key === listedFor) return;
      listedFor = key;
      void list(key, cart.id);
    },
  };
}
