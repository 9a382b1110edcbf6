import type { PricingWarning } from "../../gen/orders/v1/order_pb.js";
import { h } from "./dom.js";

export interface CodesInput {
  /** The codes added, in the order given (the order the service applies them in). */
  codes(): string[];
  /** Shows each warning beside the code its field names (`coupon_codes[1]`), in the contract's words. */
  showWarnings(warnings: readonly PricingWarning[]): void;
}

/**
 * A list of codes (coupon or gift card codes) filled in `root`: type a code, "Add" (or Enter) puts it in the list,
 * × removes it. Each code carries its request path (`gift_card_codes[0]`) so violations and warnings appear at it.
 * Typing a code is not a change of the order; adding or removing one is (`changed`).
 */
export function codesInput(
  root: HTMLElement,
  options: { field: string; label: string; addLabel: string },
  changed: () => void,
): CodesInput {
  const inputId = `${root.id}-input`;
  const input = h("input", { id: inputId, "data-field": options.field, autocomplete: "off", size: "14" });
  const add = h("button", { type: "button", class: "secondary" }, options.addLabel);
  const list = h("ul", { class: "codes-list" });
  const unplaced = h("p", { class: "warning", "data-warnings": "" });
  root.replaceChildren(
    h("label", { for: inputId }, options.label),
    h("div", { class: "row" }, input, add),
    list,
    unplaced,
  );

  const renumber = () => {
    list.querySelectorAll("li").forEach((item, index) => {
      const path = `${options.field}[${index}]`;
      item.setAttribute("data-field", path);
      item.querySelector("[data-error-for]")?.setAttribute("data-error-for", path);
    });
  };
  const addCode = () => {
    const code = input.value.trim();
    if (code === "") return;
    const remove = h("button", { type: "button", class: "secondary", "aria-label": `Remove ${code}` }, "×");
    const item = h(
      "li",
      { "data-code": code },
      h("code", {}, code),
      remove,
      h("span", { class: "warning", "data-warning": "" }),
      h("span", { class: "field-error", "data-error-for": "" }),
    );
    remove.addEventListener("click", () => {
      item.remove();
      renumber();
      changed();
    });
    list.append(item);
    renumber();
    input.value = "";
    changed();
  };

  add.addEventListener("click", addCode);
  // Not a change of the order until the code is added.
  input.addEventListener("input", (event) => event.stopPropagation());
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    // Enter adds the code, never places the order.
    event.preventDefault();
    addCode();
  });

  return {
    codes: () => Array.from(list.querySelectorAll("li"), (item) => item.dataset["code"] ?? ""),
    showWarnings(warnings) {
      for (const slot of root.querySelectorAll("[data-warning]")) slot.textContent = "";
      const rest: string[] = [];
      for (const warning of warnings) {
        const item = list.querySelector(`li[data-field="${CSS.escape(warning.field)}"]`);
        const slot = item?.querySelector("[data-warning]");
        if (!slot || !item) {
          if (warning.field.startsWith(options.field)) rest.push(warning.description);
          continue;
        }
        slot.textContent = `Not applied: ${warning.description}`;
        slot.setAttribute("data-reason", warning.reason);
      }
      unplaced.textContent = rest.join(" ");
    },
  };
}
