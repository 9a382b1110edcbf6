import type { PricingWarning } from "../../gen/orders/v1/order_pb.js";
import { h } from "./dom.js";

export interface CodesInput {
  /** Shows the cart's codes, each with the warning its field names (`coupon_codes[1]`), in the contract's words. */
  show(codes: readonly string[], warnings: readonly PricingWarning[]): void;
}

/** What adding and removing a code does (compose.ts: ApplyCouponCode, RemoveGiftCardCode, ...). */
export interface CodeActions {
  /** Resolves true when the cart took the code (the input is then emptied). */
  apply(code: string): Promise<boolean>;
  remove(code: string): void;
}

/**
 * The cart's codes (coupon or gift card codes) filled in `root`: type a code, "Add" (or Enter) applies it to the
 * cart, × removes it. A code the service refuses (say, an unknown gift card) is shown at the input, whose path is
 * `options.field` (compose.ts shows the call's `code` there); a coupon that does not apply stays, with the cart's
 * warning beside it.
 */
export function codesInput(
  root: HTMLElement,
  options: { field: string; label: string; addLabel: string },
  actions: CodeActions,
): CodesInput {
  const inputId = `${root.id}-input`;
  const input = h("input", { id: inputId, "data-field": options.field, autocomplete: "off", size: "14" });
  const add = h("button", { type: "button", class: "secondary" }, options.addLabel);
  const list = h("ul", { class: "codes-list" });
  const unplaced = h("p", { class: "warning", "data-warnings": "" });
  root.replaceChildren(
    h("label", { for: inputId }, options.label),
    h("div", { class: "row" }, input, add),
    h("p", { class: "field-error", "data-error-for": options.field }),
    list,
    unplaced,
  );

  const apply = async () => {
    const code = input.value.trim();
    if (code === "") return;
    if (await actions.apply(code)) input.value = "";
  };
  add.addEventListener("click", () => void apply());
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    // Enter applies the code, never places the order.
    event.preventDefault();
    void apply();
  });

  return {
    show(codes, warnings) {
      list.replaceChildren(
        ...codes.map((code, index) => {
          const remove = h("button", { type: "button", class: "secondary", "aria-label": `Remove ${code}` }, "×");
          remove.addEventListener("click", () => actions.remove(code));
          const warning = warnings.find((w) => w.field === `${options.field}[${index}]`);
          return h(
            "li",
            { "data-code": code, "data-field": `${options.field}[${index}]` },
            h("code", {}, code),
            remove,
            h(
              "span",
              { class: "warning", "data-warning": "", ...(warning ? { "data-reason": warning.reason } : {}) },
              warning ? `Not applied: ${warning.description}` : "",
            ),
          );
        }),
      );
      const listed = new Set(codes.map((_, index) => `${options.field}[${index}]`));
      unplaced.textContent = warnings
        .filter((w) => w.field.startsWith(options.field) && !listed.has(w.field))
        .map((w) => w.description)
        .join(" ");
    },
  };
}
