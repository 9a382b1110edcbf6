import type { EntityManager } from "@mikro-orm/postgresql";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import type { PricedOrder } from "./rules/checkout-rows.js";
import { addressToRecord } from "../customers/public.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { inSpan } from "../platform/tracing.js";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";
import { draftOrder } from "./rules/order-draft.js";
import { initialHistoryRows, initialOrderState, type InitialState } from "./rules/order-import.js";
import { shipmentRecord, type ImportLine } from "./rules/imported-fulfillments.js";
import type { NewHistoryEntryRow, NewOrderLineRow, NewOrderRow } from "./queries/insert-order.js";
import { findOrderLookup, type OrderLookupsAsk, type OrderLookupsFound } from "./queries/order-lookups.js";
import { nativePool } from "../platform/database/query.js";
import { partyChoice, type PartyChoice } from "./rules/order-parties.js";
import { orderDetails, type OrderDetails } from "./rules/order-details.js";
import { holdAtCreation } from "./rules/holds.js";
import { lineReferences, resolveLines, type CatalogMatch, type ResolvedLine } from "./rules/line-references.js";
import type { CatalogResolution } from "../catalog/public.js";
import { storeResourceNotFound } from "../store/public.js";
import { storeChoice, type StoreChoice } from "./rules/store-choice.js";
import { enumToColumn } from "./order-mapper.js";
import { currencyMinorUnits } from "../money/currency.js";
import type { CheckoutPricing, PricingWarning } from "../domain/pricing/checkout.js";
import { priceCheckout } from "../domain/pricing/engine.js";
import {
  checkoutInput,
  checkoutRequestViolations,
  namesShipping,
  type CheckoutLookups,
} from "./rules/checkout-request.js";
import { initialPayments, type InitialPayments } from "./rules/checkout-payments.js";
import { paymentStatusFromTotals } from "./rules/order-lifecycle.js";
import { checkoutLookupsOf, findGiftCards, unlockedLookupsQuery } from "./order-checkout.js";
import { isTestCaller } from "./order-mode.js";
import { checkoutColumns, pricedOrderOf } from "./rules/checkout-rows.js";

/**
 * Everything CreateOrder decides before it writes, shared with PreviewOrder so that a preview is
 * exactly what creation would do: validate and price (domain), work out the initial state
 * (placed and unpaid, or an import's), and check the customer.
 */
export interface PreparedOrder {
  /** The checkout pricing engine's answer (domain/pricing): every amount, tax line, adjustment and warning. */
  checkout: CheckoutPricing;
  /** Its totals in the shape the import rules read. */
  priced: PricedOrder;
  /** The gift card payments and the request's payment, ids not yet given. */
  payments: InitialPayments;
  /** The coupon codes that did not apply. */
  warnings: PricingWarning[];
  /** What the pricing was given besides the lines (CreateOrder prices again with them locked). */
  lookups: CheckoutLookups;
  channel: Channel;
  initial: InitialState;
  details: OrderDetails;
  /** The lines with their items resolved against the catalog, in request order. */
  lines: ResolvedLine[];
  /** Its market, sales channel and preferred stock location. */
  store: StoreChoice;
  /** Its customer, company and address snapshots. */
  parties: PartyChoice;
  /** The number allocated with `allocateNumber`. */
  allocatedNumber?: string;
}

export interface PrepareOptions {
  /**
   * Also allocate the order's number, in the statement that checks the customer (one round trip
   * less for CreateOrder). Never for a preview; a number is taken only when the customer exists.
   */
  allocateNumber?: boolean;
  /**
   * Price a cart's draft (its priced view): without lines it is priced as nothing, and it needs no buyer yet. An
   * order needs both.
   */
  draft?: boolean;
  /**
   * Runs the order's lookups statement (queries/order-lookups.ts); CreateOrder's group commit runs those of
   * concurrent orders as one statement. Default: a statement of its own.
   */
  lookups?: (em: EntityManager, ask: OrderLookupsAsk) => Promise<OrderLookupsFound>;
}

/** Throws INVALID_ARGUMENT (BadRequest) or NOT_FOUND (CUSTOMER_NOT_FOUND) as CreateOrder documents. */
export async function prepareOrder(
  em: EntityManager,
  principal: Principal,
  request: CreateOrderRequest,
  now: Date,
  options: PrepareOptions = {},
): Promise<PreparedOrder> {
  // Everything that needs no lookup first: a bad request costs no query and no order number.
  const references = lineReferences(request.items);
  const requested = draftOrder(request);
  const details = orderDetails(request, { buyerRequired: !(options.draft ?? false) });
  const shape = requestShapeViolations(request, options.draft ?? false);
  if (shape.length > 0 || !references.ok || !requested.ok || !details.ok) {
    throw ServiceError.invalidArgument([
      ...shape,
      ...(references.ok ? [] : references.violations),
      ...(requested.ok ? [] : requested.violations),
      ...(details.ok ? [] : details.violations),
    ]);
  }

  const allocateNumber = options.allocateNumber ?? false;
  // Everything the order names, read in ONE statement (queries/order-lookups.ts): its lines' catalog items, its
  // customer, company and addresses by id, its store references and what its pricing needs (tax, shipping method,
  // promotions), with its order number taken in the same statement; gift cards, when it names any, beside it.
  const partiesAsked = {
    tenantId: principal.tenantId,
    customerId: request.customerId || undefined,
    companyId: request.companyId || undefined,
    billingAddressId: request.billingAddressId || undefined,
    shippingAddressId: request.shippingAddressId || undefined,
  };
  const needsParties = Boolean(
    partiesAsked.customerId ??
    partiesAsked.companyId ??
    partiesAsked.billingAddressId ??
    partiesAsked.shippingAddressId,
  );
  const ask: OrderLookupsAsk = {
    tenantId: principal.tenantId,
    parties: needsParties ? partiesAsked : undefined,
    allocateNumber,
    store: {
      marketId: request.marketId,
      salesChannelId: request.salesChannelId,
      stockLocationId: request.preferredStockLocationId,
    },
    checkout: unlockedLookupsQuery(principal.tenantId, request),
    catalog: references.references,
  };
  const [found, giftCards] = await Promise.all([
    (options.lookups ?? lookUpOne)(em, ask),
    findGiftCards(em, principal.tenantId, request, { lock: false }),
  ]);
  const matches = found.catalog;
  const store = found.store;
  const lookups = checkoutLookupsOf(request, found.checkout, giftCards);
  const party = partyChoice(request, found.parties, {
    billing: addressToRecord(request.billingAddress),
    shipping: addressToRecord(request.shippingAddress),
  });
  if (!party.ok) {
    const { refusal } = party;
    if (refusal.kind === "invalid") throw ServiceError.invalidArgument(refusal.violations);
    // Other tenants' customers and companies look exactly like missing ones.
    const key = refusal.reason === "CUSTOMER_NOT_FOUND" ? "customerId" : "companyId";
    const what = refusal.reason === "CUSTOMER_NOT_FOUND" ? "customer" : "company";
    throw new ServiceError("not_found", refusal.reason, `${what} ${refusal.id} was not found`, [], {
      [key]: refusal.id,
    });
  }
  const place = storeChoice(request, store);
  if (!place.ok) {
    if ("notFound" in place) throw storeResourceNotFound(place.notFound.kind, place.notFound.id);
    throw ServiceError.invalidArgument(place.violations);
  }
  // A market names the currency of an order that names none.
  const priceRequest = place.choice.currency ? { ...request, currency: place.choice.currency } : request;
  const currency = place.choice.currency ?? requested.priced.currency;
  const resolved = resolveLines(request.items, importable(matches, requested.channel), currency);
  if (!resolved.ok) throw ServiceError.invalidArgument(resolved.violations);
  const priced = priceResolvedOrder({
    request: priceRequest,
    currency,
    lines: resolved.lines,
    parties: party.choice,
    lookups,
    now,
  });
  const initial = startingState(priceRequest, requested.channel, priced, now, resolved.lines);

  const common = {
    ...priced,
    lookups,
    channel: requested.channel,
    initial,
    details: { ...details.details, locale: details.details.locale ?? place.choice.locale ?? null },
    lines: resolved.lines,
    store: place.choice,
    parties: party.choice,
  };
  return { ...common, allocatedNumber: found.orderNumber };
}

/**
 * The lookups of one order in their own statement. With a number to take it commits on its own, outside any
 * transaction of `em`'s (the counter's row stays locked only while the statement runs).
 */
async function lookUpOne(em: EntityManager, ask: OrderLookupsAsk): Promise<OrderLookupsFound> {
  return findOrderLookup(ask.allocateNumber ? await nativePool(em) : em, ask);
}

export interface PriceResolvedInput {
  request: CreateOrderRequest;
  currency: string;
  lines: readonly ResolvedLine[];
  parties: PartyChoice;
  lookups: CheckoutLookups;
  now: Date;
}

export type PricedCheckout = Pick<PreparedOrder, "checkout" | "priced" | "payments" | "warnings">;

/**
 * Prices resolved lines with the checkout engine (the one place totals are computed, domain/pricing) and works out
 * the payments the order starts with. Throws INVALID_ARGUMENT with every violation. CreateOrder calls it again
 * inside its transaction with the promotions and gift cards locked.
 */
export function priceResolvedOrder(input: PriceResolvedInput): PricedCheckout {
  const { request, parties } = input;
  const violations = checkoutRequestViolations(request, currencyMinorUnits(input.currency));
  // The engine's work as a span of its own in a trace (platform/tracing.ts; a no-op without tracing).
  const result = inSpan("orders.price", () =>
    priceCheckout(
      checkoutInput({
        request,
        currency: input.currency,
        lines: input.lines,
        shippingAddress: parties.shippingAddress,
        billingAddress: parties.billingAddress,
        lookups: input.lookups,
        now: input.now,
      }),
    ),
  );
  if (!result.ok || violations.length > 0) {
    throw ServiceError.invalidArgument([...violations, ...(result.ok ? [] : result.violations)]);
  }
  const payments = initialPayments(result.pricing, request.payment, input.now, () => "");
  if (!payments.ok) throw ServiceError.invalidArgument(payments.violations);
  return {
    checkout: result.pricing,
    priced: pricedOrderOf(result.pricing),
    payments: payments.value,
    warnings: result.pricing.warnings,
  };
}

/** The state a new order starts in (rules/order-import.ts); throws INVALID_ARGUMENT with the import's violations. */
function startingState(
  request: CreateOrderRequest,
  channel: Channel,
  priced: PricedCheckout,
  now: Date,
  lines: readonly ResolvedLine[],
): InitialState {
  const initial = initialOrderState(request, channel, priced.priced, now, importLines(request, lines));
  if (!initial.ok) throw ServiceError.invalidArgument(initial.violations);
  return initialWithPayments(initial.state, priced);
}

/** A new order that is not an import starts paid as far as its gift cards and captured payment go. */
function initialWithPayments(state: InitialState, priced: PricedCheckout): InitialState {
  const { payments, paidTotal, authorizedTotal } = priced.payments;
  if (payments.length === 0) return state;
  const total = priced.checkout.total;
  return {
    ...state,
    paidTotal,
    paymentStatus: paymentStatusFromTotals({ total, paidTotal, authorizedTotal, refundedTotal: "0" }),
  };
}

/**
 * The prepared order priced again with `lookups` read inside CreateOrder's transaction, where the promotions' and
 * gift cards' rows are locked: a usage limit reached or a balance spent by a concurrent order since the preview-like
 * first pricing shows here (as a warning, or a smaller gift card payment), never as an overdraw.
 */
export function repriceWithLocks(
  prepared: PreparedOrder,
  request: CreateOrderRequest,
  lookups: CheckoutLookups,
  now: Date,
): PreparedOrder {
  const priced = priceResolvedOrder({
    request,
    currency: prepared.checkout.currency,
    lines: prepared.lines,
    parties: prepared.parties,
    lookups,
    now,
  });
  const priceRequest =
    prepared.checkout.currency === request.currency ? request : { ...request, currency: prepared.checkout.currency };
  const initial = startingState(priceRequest, prepared.channel, priced, now, prepared.lines);
  return { ...prepared, ...priced, lookups, initial };
}

export interface NewOrderInput {
  principal: Principal;
  request: CreateOrderRequest;
  prepared: PreparedOrder;
  orderNumber: string;
  now: Date;
  /** Ids of the order and its lines: random UUIDs when creating, none for a preview. */
  newId: () => string;
}

export interface NewOrderRows {
  order: NewOrderRow;
  lines: NewOrderLineRow[];
  history: NewHistoryEntryRow[];
}

/** The rows of a new order, as CreateOrder inserts them and PreviewOrder shows them. */
export function newOrderRows(input: NewOrderInput): NewOrderRows {
  const { principal, request, prepared, orderNumber, now, newId } = input;
  const { channel, initial, details } = prepared;
  const { customer } = prepared.parties;
  const columns = checkoutColumns(
    prepared.checkout,
    request.items.map((item) => item.taxAmount !== undefined),
    namesShipping(request),
  );
  const lines = request.items.map((item, position): NewOrderLineRow => {
    const pricedLine = columns.lines[position];
    const resolved = prepared.lines[position];
    if (!pricedLine || !resolved) throw new Error(`no priced line at ${position}`);
    return {
      id: newId(),
      position,
      sku: resolved.sku,
      requestedSku: resolved.requestedSku,
      name: resolved.name,
      description: item.description || null,
      quantity: item.quantity ?? 1,
      unitPrice: pricedLine.unitPrice,
      taxAmount: pricedLine.taxAmount,
      lineTotal: pricedLine.lineTotal,
      productId: resolved.productId,
      variantId: resolved.variantId,
      taxCategory: resolved.taxCategory,
      weightGrams: resolved.weightGrams,
      metadata: { ...item.metadata },
      privateMetadata: { ...item.privateMetadata },
      discountTotal: pricedLine.discountTotal,
      taxLines: pricedLine.taxLines,
      // Nothing reserved yet: CreateOrder reserves in its transaction (order-stock.ts withReservations).
      stockLocationId: null,
      reservedQuantity: 0,
      backorderedQuantity: 0,
    };
  });
  // A hold_until_date after today opens the order on hold (issue 14 §2).
  const held = holdAtCreation(details.holdUntilDate, initial.status, now);
  const order: NewOrderRow = {
    id: newId(),
    tenantId: principal.tenantId,
    orderNumber,
    customerId: customer?.id ?? null,
    status: held?.status ?? initial.status,
    paymentStatus: initial.paymentStatus,
    currency: prepared.checkout.currency,
    channel: enumToColumn(Channel, channel),
    propertyId: request.propertyId || null,
    ...columns.order,
    // Address snapshots: inline, by id, or a default (rules/order-parties.ts).
    shippingAddress: prepared.parties.shippingAddress,
    billingAddress: prepared.parties.billingAddress,
    customerNote: request.customerNote || null,
    internalNote: request.internalNote || null,
    metadata: { ...request.metadata },
    requestId: request.requestId || null,
    createdAt: now,
    updatedAt: now,
    tags: [...request.tags],
    paidTotal: initial.paidTotal,
    refundedTotal: initial.refundedTotal,
    fulfillment: initial.fulfillment,
    // An import's past shipments, as FulfillOrder would have stored them (rules/imported-fulfillments.ts).
    fulfillments: initial.fulfillments.map((shipment) =>
      shipmentRecord(shipment, newId(), (position) => lines[position]?.id ?? ""),
    ),
    placedAt: initial.placedAt,
    ...details,
    // the buyer's email: the one given, else the customer's at this moment
    email: details.email ?? customer?.email ?? null,
    companyId: prepared.parties.companyId,
    marketId: prepared.store.marketId,
    salesChannelId: prepared.store.salesChannelId,
    preferredStockLocationId: prepared.store.stockLocationId,
    payments: prepared.payments.payments.map((payment) => ({ ...payment, id: newId() })),
    isTest: isTestCaller(principal),
    hold: held?.hold ?? null,
  };
  return { order, lines, history: initialHistoryRows(initial, principal.apiKeyId, now) };
}

/** The lines as the import rules see them: each one's resolved SKU and quantity, in the request's order. */
function importLines(request: CreateOrderRequest, resolved: readonly ResolvedLine[]): ImportLine[] {
  return request.items.map((item, position) => ({ sku: resolved[position]?.sku ?? "", quantity: item.quantity ?? 1 }));
}

/**
 * An import brings in orders of the past: a line may name a variant whose product has been archived since, and
 * takes it as it is now. Every other order refuses archived products.
 */
function importable(matches: readonly CatalogResolution[], channel: Channel): CatalogMatch[] {
  if (channel !== Channel.IMPORT) return [...matches];
  return matches.map((match) =>
    match.kind === "refused" && match.reason === "PRODUCT_ARCHIVED"
      ? { kind: "variant", variant: match.variant }
      : match,
  );
}

/**
 * What the contract's rules on items and cart_id say once a cart can stand for the items: an order needs lines, and
 * a cart reaches this preparation only as lines (CreateOrder expands cart_id before preparing; PreviewOrder and
 * ListShippingOptions do not take one: carts are priced by CartsService).
 */
function requestShapeViolations(request: CreateOrderRequest, allowNoItems: boolean): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (request.cartId) {
    violations.push(
      fieldViolation(
        "cart_id",
        "CART_NOT_ALLOWED",
        "price a cart with CartsService.GetCart, place it with CreateOrder",
      ),
    );
  }
  if (request.items.length === 0 && !allowNoItems && !request.cartId) {
    violations.push(fieldViolation("items", "REPEATED_MIN_ITEMS", "must contain at least 1 item(s)"));
  }
  return violations;
}
