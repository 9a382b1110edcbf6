import type { EntityManager } from "@mikro-orm/postgresql";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import type { PricedOrder } from "./rules/pricing.js";
import { addressToRecord } from "../customers/public.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { draftOrder } from "./rules/order-draft.js";
import { initialHistoryRows, initialOrderState, type InitialState } from "./rules/order-import.js";
import type { NewHistoryEntryRow, NewOrderLineRow, NewOrderRow } from "./queries/insert-order.js";
import { partiesWithOrderNumber } from "./queries/order-numbers.js";
import { partyChoice, type PartyChoice } from "./rules/order-parties.js";
import { orderDetails, type OrderDetails } from "./rules/order-details.js";
import { lineReferences, resolveLines, type CatalogMatch, type ResolvedLine } from "./rules/line-references.js";
import { resolveCatalogItems, type CatalogResolution } from "../catalog/public.js";
import { resolveStoreReferences, storeResourceNotFound } from "../store/public.js";
import { storeChoice, type StoreChoice } from "./rules/store-choice.js";
import { enumToColumn } from "./order-mapper.js";

/**
 * Everything CreateOrder decides before it writes, shared with PreviewOrder so that a preview is
 * exactly what creation would do: validate and price (domain), work out the initial state
 * (placed and unpaid, or an import's), and check the customer.
 */
export interface PreparedOrder {
  priced: PricedOrder;
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
  const details = orderDetails(request);
  if (!references.ok || !requested.ok || !details.ok) {
    throw ServiceError.invalidArgument([
      ...(references.ok ? [] : references.violations),
      ...(requested.ok ? [] : requested.violations),
      ...(details.ok ? [] : details.violations),
    ]);
  }

  const allocateNumber = options.allocateNumber ?? false;
  // The catalog (one statement for every line), the customer, company and addresses by id (one statement, which also
  // takes the order number) and the store's market, sales channel and stock location, at once.
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
  const [matches, found, store] = await Promise.all([
    resolveCatalogItems(em, principal.tenantId, references.references),
    // A guest order without addresses by id has nothing to look up (CreateOrder allocates its number on its own).
    needsParties ? partiesWithOrderNumber(em, partiesAsked, allocateNumber) : { parties: {}, orderNumber: undefined },
    resolveStoreReferences(em, principal.tenantId, {
      marketId: request.marketId,
      salesChannelId: request.salesChannelId,
      stockLocationId: request.preferredStockLocationId,
    }),
  ]);
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
  // Priced again only when the catalog supplied a price the request did not give, or the market the currency.
  const tookCatalogPrice = resolved.lines.some((line, i) => line.unitPrice !== request.items[i]?.unitPrice);
  const draft = tookCatalogPrice || priceRequest !== request ? draftOrder(priceRequest, resolved.lines) : requested;
  if (!draft.ok) throw ServiceError.invalidArgument(draft.violations);
  const initial = initialOrderState(priceRequest, draft.channel, draft.priced, now);
  if (!initial.ok) throw ServiceError.invalidArgument(initial.violations);

  const common = {
    priced: draft.priced,
    channel: draft.channel,
    initial: initial.state,
    details: { ...details.details, locale: details.details.locale ?? place.choice.locale ?? null },
    lines: resolved.lines,
    store: place.choice,
    parties: party.choice,
  };
  return { ...common, allocatedNumber: found.orderNumber };
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
  const { priced, channel, initial, details } = prepared;
  const { customer } = prepared.parties;
  const lines = request.items.map((item, position): NewOrderLineRow => {
    const pricedLine = priced.lines[position];
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
      taxAmount: pricedLine.taxAmount ?? null,
      lineTotal: pricedLine.lineTotal,
      productId: resolved.productId,
      variantId: resolved.variantId,
      taxCategory: resolved.taxCategory,
      weightGrams: resolved.weightGrams,
      metadata: { ...item.metadata },
      privateMetadata: { ...item.privateMetadata },
      discountTotal: "0",
      taxLines: [],
    };
  });
  const order: NewOrderRow = {
    id: newId(),
    tenantId: principal.tenantId,
    orderNumber,
    customerId: customer?.id ?? null,
    status: initial.status,
    paymentStatus: initial.paymentStatus,
    currency: priced.currency,
    channel: enumToColumn(Channel, channel),
    propertyId: request.propertyId || null,
    subtotal: priced.subtotal,
    shippingTotal: priced.shippingTotal,
    discountTotal: priced.discountTotal,
    taxTotal: priced.taxTotal,
    total: priced.total,
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
    placedAt: initial.placedAt,
    ...details,
    // the buyer's email: the one given, else the customer's at this moment
    email: details.email ?? customer?.email ?? null,
    companyId: prepared.parties.companyId,
    marketId: prepared.store.marketId,
    salesChannelId: prepared.store.salesChannelId,
    preferredStockLocationId: prepared.store.stockLocationId,
    includedTaxTotal: "0",
    additionalTaxTotal: priced.taxTotal,
    taxSource: "client",
    taxZoneId: null,
    shippingLine: null,
    adjustments: [],
    payments: [],
    isTest: principal.mode === "test",
  };
  return { order, lines, history: initialHistoryRows(initial, principal.apiKeyId, now) };
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
