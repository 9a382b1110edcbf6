import type { Order } from "../../gen/orders/v1/order_pb.js";
import { h } from "./dom.js";
import { clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";
import { requestIds } from "./request-ids.js";

/**
 * request_ids of the order's hold, fulfilment and return actions, kept across renders of the order: an action sent
 * again after its answer was lost goes with the same id (and the same etag), so it is done at most once.
 */
const ids = requestIds(newRequestId);

const bigintAsText = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);

/** What the page says when an action's answer was lost. */
const answerLost = (label: string) =>
  `The answer to "${label}" was lost, so it may have been done. Trying again is safe: the console sends the same ` +
  "request id and the order's etag, so it is done at most once. Open the order again to see its state.";

/** A change of one order: the request the action builds (without id, etag and request_id), and the call. */
export interface OrderAction<R extends object> {
  label: string;
  /** The request's own fields; undefined when the form cannot build one (the form then shows why). */
  request: () => R | undefined;
  call: (request: R & { id: string; etag: string; requestId: string }) => Promise<{ order?: Order }>;
}

/**
 * A button that sends `action` with the order's id and etag (a change made elsewhere meanwhile is refused, not
 * overwritten) and a request_id, the same when the same request is sent again after a lost answer. A refusal is
 * shown in `form` (its code and reason, violations at the inputs whose data-field they name).
 */
export function actionButton<R extends object>(
  form: HTMLElement,
  order: Order,
  action: OrderAction<R>,
  onChanged: (order: Order) => void,
  attributes: Record<string, string> = {},
): HTMLButtonElement {
  const button = h("button", { type: "button", "data-action": action.label, ...attributes }, action.label);
  button.addEventListener("click", () => {
    void (async () => {
      clearErrors(form);
      const request = action.request();
      if (request === undefined) return;
      try {
        const sent = { id: order.id, etag: order.etag, ...request };
        // The request as JSON tells requests apart (request-ids.ts); a Timestamp's seconds are a bigint.
        const key = { action: action.label, request: JSON.stringify(sent, bigintAsText) };
        const { order: changed } = await action.call({ ...sent, requestId: ids.idFor(key) });
        ids.succeeded(key);
        if (changed) onChanged(changed);
      } catch (error) {
        showError(form, error, { ifAnswerLost: answerLost(action.label) });
      }
    })();
  });
  return button;
}

/** A quantity the page cannot send (not a whole number): marked, and said in the form's message. */
function refuseQuantity(form: HTMLElement, input: HTMLInputElement, sku: string): void {
  input.classList.add("invalid");
  input.setAttribute("aria-invalid", "true");
  const message = form.querySelector(".form-error");
  if (message) message.textContent = `${sku}: must be a whole number of units, 0 or more`;
}

/** The units of each line that `parts` (fulfillments, returns) hold, by line id. */
export function unitsByLine(parts: { lines: { lineId: string; quantity: number }[] }[]): Map<string, number> {
  const units = new Map<string, number>();
  for (const part of parts)
    for (const line of part.lines) units.set(line.lineId, (units.get(line.lineId) ?? 0) + line.quantity);
  return units;
}

/** "SKU × 2, OTHER × 1": the lines of a fulfillment or return, named by the order's SKUs. */
export function linesText(order: Order, lines: { lineId: string; quantity: number }[]): string {
  const sku = (lineId: string) => order.items.find((item) => item.id === lineId)?.sku ?? lineId;
  return lines.map((line) => `${sku(line.lineId)} × ${line.quantity}`).join(", ");
}

/**
 * Quantity inputs, one per line with units available, defaulting to `initial`. `lines()` reads them into request
 * lines (zero quantities left out) and names each input by the request path it became (`lines[0].quantity`), so a
 * violation the service reports on it is shown there.
 */
export function quantityInputs(
  order: Order,
  available: (lineId: string) => number,
  initial: (available: number) => number,
  idPrefix: string,
  form: HTMLElement,
): {
  rows: HTMLTableRowElement[];
  table: (id: string, availableLabel: string, quantityLabel: string) => HTMLTableElement;
  lines: () => { lineId: string; quantity: number }[] | undefined;
} {
  const inputs: [string, HTMLInputElement, string][] = [];
  const rows: HTMLTableRowElement[] = [];
  for (const item of order.items) {
    const units = available(item.id);
    if (units <= 0) continue;
    const id = `${idPrefix}-${item.id}`;
    const input = h("input", {
      id,
      type: "number",
      min: "0",
      max: String(units),
      value: String(initial(units)),
      size: "5",
      "data-line-id": item.id,
    });
    inputs.push([item.id, input, item.sku]);
    rows.push(
      h(
        "tr",
        {},
        h("td", {}, h("label", { for: id }, item.sku)),
        h("td", {}, item.name),
        h("td", { class: "num" }, String(units)),
        h("td", { class: "num" }, input),
      ),
    );
  }
  const lines = () => {
    const chosen: { lineId: string; quantity: number }[] = [];
    for (const [lineId, input, sku] of inputs) {
      input.setAttribute("data-field", `lines[${chosen.length}].quantity`);
      const quantity = Number(input.value.trim() || "0");
      // A whole number is all the page checks (the request cannot carry another); at most what is left is the
      // service's rule, and its refusal appears at this input.
      if (!Number.isInteger(quantity) || quantity < 0) {
        refuseQuantity(form, input, sku);
        return undefined;
      }
      if (quantity === 0) input.removeAttribute("data-field");
      else chosen.push({ lineId, quantity });
    }
    return chosen;
  };
  const table = (id: string, availableLabel: string, quantityLabel: string) =>
    h(
      "table",
      { id },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", {}, "SKU"),
          h("th", {}, "Name"),
          h("th", { class: "num" }, availableLabel),
          h("th", { class: "num" }, quantityLabel),
        ),
      ),
      h("tbody", {}, ...rows),
    );
  return { rows, table, lines };
}
