import type { Order, PricingWarning } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest, PreviewOrderResponse } from "../../gen/orders/v1/orders_service_pb.js";
import type { ListShippingOptionsResponse } from "../../gen/orders/v1/shipping_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { cartPathOf, orderRequestOf, type CartDraft } from "./rules/cart-draft.js";
import { newProblems, type PricingProblem } from "./rules/pricing-problems.js";

/**
 * Prices the order a cart stands for. Pricing an order is the orders capability's work (PreviewOrder: the catalog,
 * customer, tax, promotions, shipping and gift cards, run through the checkout engine), so src/app.ts hands its use
 * case in and carts import nothing of orders; a cart is priced by the very code that prices its order.
 */
export interface OrderPricer {
  price(principal: Principal, request: CreateOrderRequest, options: { draft?: boolean }): Promise<PreviewOrderResponse>;
}

/** ListShippingOptions for the order a cart stands for (the orders capability's use case, handed in likewise). */
export interface ShippingOptionsPricer {
  forOrder(principal: Principal, request: CreateOrderRequest): Promise<ListShippingOptionsResponse>;
}

export type DraftPrice =
  | { ok: true; order: Order; warnings: PricingWarning[] }
  | { ok: false; problems: PricingProblem[]; errors: ReadonlyMap<string, ServiceError> };

/** NOT_FOUND answers of pricing that name a value of the cart, as the field that holds it. */
const NOT_FOUND_FIELDS: Readonly<Record<string, string>> = {
  CUSTOMER_NOT_FOUND: "customer_id",
  SHIPPING_METHOD_NOT_FOUND: "shipping_method.id",
};

/** The cart priced now, or the problems (paths into the Cart) that keep it from being priced. */
export async function priceDraft(pricer: OrderPricer, principal: Principal, draft: CartDraft): Promise<DraftPrice> {
  try {
    const preview = await pricer.price(principal, orderRequestOf(draft), { draft: true });
    if (!preview.order) throw new Error("PreviewOrder answered without an order");
    return { ok: true, order: preview.order, warnings: preview.warnings };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    if (error.kind === "invalid_argument") {
      return {
        ok: false,
        problems: error.violations.map((violation) => ({ ...violation, field: cartPathOf(violation.field) })),
        errors: new Map(),
      };
    }
    const field = error.kind === "not_found" ? NOT_FOUND_FIELDS[error.reason] : undefined;
    if (field === undefined) throw error;
    const problem = { field, reason: error.reason, description: error.message };
    return { ok: false, problems: [problem], errors: new Map([[field, error]]) };
  }
}

/** How a change maps a Cart path to the field of its request that gave the value (undefined: not the request's). */
export type RequestPath = (cartPath: string) => string | undefined;

/**
 * Throws when a changed cart cannot be priced because of the change (docs/carts.md): the problems it did not have
 * before, as field violations of the request (or the NOT_FOUND pricing answered). Problems the cart already had stay
 * as pricing_errors and do not refuse the change.
 */
export async function refuseNewProblems(input: {
  pricer: OrderPricer;
  principal: Principal;
  before: CartDraft | undefined;
  after: CartDraft;
  price: DraftPrice;
  requestPath: RequestPath;
}): Promise<void> {
  const { price } = input;
  if (price.ok) return;
  const earlier = input.before ? await priceDraft(input.pricer, input.principal, input.before) : undefined;
  const fresh = newProblems(
    {
      problems: earlier && !earlier.ok ? earlier.problems : [],
      lineIds: input.before?.lines.map((line) => line.id) ?? [],
    },
    { problems: price.problems, lineIds: input.after.lines.map((line) => line.id) },
  );
  if (fresh.length === 0) return;
  const notFound = fresh.map((problem) => price.errors.get(problem.field)).find((error) => error !== undefined);
  if (notFound) throw notFound;
  throw ServiceError.invalidArgument(
    fresh.map((problem) => ({ ...problem, field: input.requestPath(problem.field) ?? problem.field })),
  );
}
