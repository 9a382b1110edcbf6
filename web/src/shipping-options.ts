import type { ShippingOption } from "../../gen/orders/v1/shipping_pb.js";
import type { Api } from "./api.js";
import type { OrderRequestInit } from "./compose.js";
import { h } from "./dom.js";

export interface ShippingOptions {
  /** The method picked, as CreateOrder takes it (shipping_method.id); undefined for none. */
  method(): { id: string } | undefined;
  /**
   * Lists the methods that ship this order (ListShippingOptions), again only when what they depend on changed:
   * lines, addresses, currency (codes and the method picked do not change the options).
   */
  follow(order: OrderRequestInit): void;
}

/**
 * "Shipping method" in the order form: a radio per option the service lists for the draft, priced by it, cheapest
 * first, and "None" (shipping then is the Shipping amount typed, if any). A picked method that no longer ships the
 * order is unpicked, and the order priced again (`changed`).
 */
export function shippingOptions(api: Api, root: HTMLElement, changed: () => void): ShippingOptions {
  const choices = h("div", { class: "choices" });
  const status = h("p", { class: "muted", role: "status" });
  root.append(choices, h("p", { class: "field-error", "data-error-for": "shipping_method.id" }), status);
  let listedFor = "";
  let latest = 0;

  const picked = () => root.querySelector<HTMLInputElement>('input[name="shipping-method"]:checked')?.value ?? "";
  const radio = (value: string, label: string, amount?: { raw: string; shown: string }) =>
    h(
      "label",
      { class: "inline", "data-shipping-option": value },
      h("input", { type: "radio", name: "shipping-method", value }),
      label,
      amount && h("span", { "data-amount": amount.raw }, amount.shown),
    );

  const show = (options: readonly ShippingOption[]) => {
    const before = picked();
    choices.replaceChildren(
      radio("", "None"),
      ...options.map((option) =>
        radio(option.shippingMethodId, `${option.displayName} (${option.carrier} ${option.service}) `, {
          raw: option.amount,
          shown: option.displayAmount,
        }),
      ),
    );
    const still = options.some((option) => option.shippingMethodId === before);
    const checked = root.querySelector<HTMLInputElement>(
      `input[name="shipping-method"][value="${CSS.escape(still ? before : "")}"]`,
    );
    if (checked) checked.checked = true;
    status.textContent = options.length === 0 ? "No shipping method ships this order." : "";
    if (before !== "" && !still) changed();
  };

  const list = async (key: string, order: OrderRequestInit) => {
    const call = ++latest;
    try {
      const { options } = await api.shipping.listShippingOptions({ order });
      if (call === latest) show(options);
    } catch {
      // The preview shows why this order cannot be priced; the options are listed again on its next change.
      if (call === latest && listedFor === key) listedFor = "";
    }
  };

  show([]);
  status.textContent = "";
  return {
    method() {
      const id = picked();
      return id ? { id } : undefined;
    },
    follow(order) {
      const draft = { ...order, couponCodes: [], giftCardCodes: [], shippingMethod: undefined };
      const key = JSON.stringify(draft);
      if (key === listedFor) return;
      listedFor = key;
      void list(key, draft);
    },
  };
}
