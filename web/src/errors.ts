import { Code, ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb.js";

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
}

/** What the service said, read from the Connect error's google.rpc details. */
export function describeError(error: unknown): ShownError {
  const connectError = ConnectError.from(error);
  const reason = connectError.findDetails(ErrorInfoSchema)[0]?.reason;
  const fieldProblems = (connectError.findDetails(BadRequestSchema)[0]?.fieldViolations ?? []).map((v) => ({
    field: v.field,
    description: v.description,
  }));
  return { code: codeName(connectError.code), reason, message: connectError.rawMessage, fieldProblems };
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
  if (prefix) {
    for (const problem of shown.fieldProblems)
      if (problem.field.startsWith(prefix)) problem.field = problem.field.slice(prefix.length);
  }
  const unplaced = shown.fieldProblems.filter((problem) => !placeAtField(form, problem));
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

function placeAtField(form: HTMLElement, problem: FieldProblem): boolean {
  const selector = CSS.escape(problem.field);
  const input = form.querySelector<HTMLElement>(`[data-field="${selector}"]`);
  const slot = form.querySelector<HTMLElement>(`[data-error-for="${selector}"]`) ?? (input && errorSlotAfter(input));
  if (!slot) return false;
  if (input) {
    input.classList.add("invalid");
    input.setAttribute("aria-invalid", "true");
  }
  slot.textContent = slot.textContent ? `${slot.textContent} ${problem.description}` : problem.description;
  return true;
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
