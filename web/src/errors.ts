import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { parentOf, withoutPrefix } from "./field-paths.js";

export interface FieldProblem {
  /** Request field path as the service names it, e.g. "items[0].unit_price". */
  field: string;
  description: string;
}

export interface ShownError {
  /** gRPC-style code name, e.g. "INVALID_ARGUMENT". */
  code: string;
  /** google.rpc.ErrorInfo.reason, e.g. "CUSTOMER_NOT_FOUND". */
  reason: string | undefined;
  message: string;
  fieldProblems: FieldProblem[];
  /**
   * The request field an error other than a field violation is about, from its ErrorInfo metadata `field`, e.g.
   * "product.variants[0].sku" for a SKU that is taken.
   */
  field: string | undefined;
  /** The ErrorInfo's metadata, e.g. `orderId` of CART_COMPLETED. */
  metadata: Record<string, string>;
}

/** What the service said, read from the Connect error's google.rpc details. */
export function describeError(error: unknown): ShownError {
  const connectError = ConnectError.from(error);
  const info = connectError.findDetails(ErrorInfoSchema)[0];
  const fieldProblems = (connectError.findDetails(BadRequestSchema)[0]?.fieldViolations ?? []).map((v) => ({
    field: v.field,
    description: v.description,
  }));
  return {
    code: codeName(connectError.code),
    reason: info?.reason,
    message: connectError.rawMessage,
    fieldProblems,
    field: info?.metadata["field"],
    metadata: { ...info?.metadata },
  };
}

/**
 * Whether a failed call may still have made its change. No answer arrived (the connection dropped or the service
 * could not be reached: connect-web reports UNKNOWN with the browser's "Failed to fetch"), the deadline passed, or
 * the service or a proxy said UNAVAILABLE: the service may have committed the change before the answer was lost.
 * Any other error is the service's answer that it refused the call, and the call changed nothing.
 */
export function answerLost(shown: ShownError): boolean {
  return shown.fieldProblems.length === 0 && ["UNKNOWN", "UNAVAILABLE", "DEADLINE_EXCEEDED"].includes(shown.code);
}

/**
 * What the page says when the answer to a change sent with a request_id was lost (see answerLost), for changes
 * other than orders (compose.ts and order-actions.ts say it in their own words).
 */
export function changeMayBeDone(label: string): string {
  return (
    `The answer to "${label}" was lost, so it may have been done. Trying again is safe: the console sends the same ` +
    "request id, so the service does it at most once and answers as the first time."
  );
}

/** Code.InvalidArgument → "INVALID_ARGUMENT", the spelling the contract's documentation uses. */
export function codeName(code: Code): string {
  return (Code[code] ?? String(code)).replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

/** Removes every error shown in the form. */
export function clearErrors(form: HTMLElement): void {
  for (const input of form.querySelectorAll(".invalid")) {
    input.classList.remove("invalid");
    input.removeAttribute("aria-invalid");
  }
  for (const message of form.querySelectorAll(".field-error, .form-error")) message.textContent = "";
}

export interface ShowErrorOptions {
  /** Prefix of the violations' paths to drop, e.g. "order." for PreviewOrder. */
  fieldPrefix?: string;
  /** What to tell the person when the answer was lost (see answerLost): whether the change may exist, what to do. */
  ifAnswerLost?: string;
  /** Where the form shows a field the call names otherwise, e.g. ApplyGiftCardCode's `code` → "gift_card_codes". */
  fieldAlias?: Record<string, string>;
}

/**
 * Shows each field violation next to the input that carries its path (data-field), or in a
 * placeholder for it (data-error-for, e.g. "items"); the rest, and every other error, appear as
 * one message with the code in the form's .form-error, followed by `ifAnswerLost` when the answer was lost.
 */
export function showError(form: HTMLElement, error: unknown, options: ShowErrorOptions = {}): ShownError {
  clearErrors(form);
  const shown = describeError(error);
  // PreviewOrder names the fields of the CreateOrderRequest it carries as "order.<field>".
  const prefix = options.fieldPrefix;
  const alias = (field: string) => options.fieldAlias?.[field] ?? field;
  for (const problem of shown.fieldProblems) problem.field = alias(withoutPrefix(problem.field, prefix));
  const unplaced = shown.fieldProblems.filter((problem) => !placeAtField(form, problem));
  // An error about one field that is not a violation (a SKU that is taken): the field is marked, the words follow.
  if (shown.field !== undefined) markField(form, alias(withoutPrefix(shown.field, prefix)));
  const formError = form.querySelector(".form-error");
  if (formError) {
    if (shown.fieldProblems.length > 0 && unplaced.length === 0) {
      formError.textContent = `${shown.code}: check the highlighted fields.`;
    } else {
      const details = unplaced.map((p) => `${p.field}: ${p.description}`);
      const reason = shown.reason && shown.reason !== shown.code ? ` (${shown.reason})` : "";
      formError.textContent = `${shown.code}${reason}: ${details.length > 0 ? details.join("; ") : shown.message}`;
      if (options.ifAnswerLost && answerLost(shown))
        formError.textContent = `${formError.textContent.replace(/\.?$/, ".")} ${options.ifAnswerLost}`;
    }
  }
  return shown;
}

/**
 * Shows a violation at the input that carries its path, or else at the input of the list or map it is an item of
 * (one input holds all alternate SKUs), naming the item: "#2: must be a SKU of …".
 */
function placeAtField(form: HTMLElement, problem: FieldProblem): boolean {
  if (placeAt(form, problem.field, problem.description)) return true;
  const parent = parentOf(problem.field);
  return parent !== undefined && placeAt(form, parent.parent, `${parent.item}: ${problem.description}`);
}

function placeAt(form: HTMLElement, field: string, description: string): boolean {
  const selector = CSS.escape(field);
  const input = form.querySelector<HTMLElement>(`[data-field="${selector}"]`);
  const slot = form.querySelector<HTMLElement>(`[data-error-for="${selector}"]`) ?? (input && errorSlotAfter(input));
  if (!slot) return false;
  if (input) markInvalid(input);
  slot.textContent = slot.textContent ? `${slot.textContent} ${description}` : description;
  return true;
}

function markField(form: HTMLElement, field: string): void {
  for (const path of [field, parentOf(field)?.parent]) {
    const input = path && form.querySelector<HTMLElement>(`[data-field="${CSS.escape(path)}"]`);
    if (input) {
      markInvalid(input);
      return;
    }
  }
}

function markInvalid(input: HTMLElement): void {
  input.classList.add("invalid");
  input.setAttribute("aria-invalid", "true");
}

/** The message slot that follows an input, created on first use. */
function errorSlotAfter(input: HTMLElement): HTMLElement {
  const next = input.nextElementSibling;
  if (next instanceof HTMLElement && next.classList.contains("field-error")) return next;
  const slot = document.createElement("p");
  slot.className = "field-error";
  slot.setAttribute("data-error-of", input.getAttribute("data-field") ?? "");
  input.after(slot);
  return slot;
}
