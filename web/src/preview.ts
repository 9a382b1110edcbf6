import type { Api } from "./api.js";
import type { OrderComposer } from "./compose.js";
import { byId } from "./dom.js";
import { clearErrors, showError } from "./errors.js";
import { withoutPrefix } from "./field-paths.js";

/** Wait this long after the last keystroke before asking the server to price the order again. */
const PREVIEW_DELAY_MS = 300;
/** PreviewOrderRequest holds the order in its field `order`. */
const ORDER_PREFIX = "order.";

/**
 * Prices the order being composed with PreviewOrder whenever it changes, so the person sees the
 * server's line totals, totals, coupon warnings and validation errors before placing it, and lists the shipping
 * methods for it (ListShippingOptions) when what they depend on changed. Nothing is written.
 */
export function setUpPreview(api: Api, composer: OrderComposer): void {
  const status = byId("preview-status", HTMLParagraphElement);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Answers can arrive out of order; only the latest request's answer is shown.
  let latest = 0;

  const preview = async () => {
    const order = composer.request();
    const untouchedLine = order.items?.some((item) => !item.sku && !item.variantId && !item.name && !item.unitPrice);
    // Nobody to order for yet (neither a customer nor a guest's email), or a line not yet begun: nothing to price.
    if ((!order.customerId && !order.email) || untouchedLine) {
      status.textContent = "";
      return;
    }
    const call = ++latest;
    status.textContent = "Pricing…";
    composer.shipping.follow(order);
    try {
      const { order: priced, warnings } = await api.orders.previewOrder({ order });
      if (call !== latest || !priced) return;
      clearErrors(composer.form);
      // PreviewOrder names the fields of the CreateOrderRequest it carries as "order.<field>", as its violations.
      composer.showPriced(
        priced,
        warnings.map((warning) => ({ ...warning, field: withoutPrefix(warning.field, ORDER_PREFIX) })),
      );
      status.textContent = "Priced by the server. Nothing is saved until you place the order.";
    } catch (error) {
      if (call !== latest) return;
      showError(composer.form, error, { fieldPrefix: ORDER_PREFIX });
      status.textContent = "";
    }
  };

  composer.onChange(() => {
    latest++;
    clearTimeout(timer);
    timer = setTimeout(() => void preview(), PREVIEW_DELAY_MS);
  });
}
