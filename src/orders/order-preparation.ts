import type { EntityManager } from "@mikro-orm/postgresql";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import type { PricedOrder } from "./rules/pricing.js";
import {
  addressToRecord,
  findCustomerDefaults,
  type AddressRecord,
  type CustomerDefaultsRow,
} from "../customers/public.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { draftOrder } from "./rules/order-draft.js";
import { initialHistoryRows, initialOrderState, type InitialState } from "./rules/order-import.js";
import type { NewHistoryEntryRow, NewOrderLineRow, NewOrderRow } from "./queries/insert-order.js";
import { customerWithOrderNumber } from "./queries/order-numbers.js";
import { orderDetails, type OrderDetails } from "./rules/order-details.js";
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
  /** null for a guest order (email, no customer_id). */
  customer: CustomerDefaults | null;
  /** The number allocated with `allocateNumber`. */
  allocatedNumber?: string;
}

/** What an order needs of its customer: that it exists in the tenant, and its default addresses. */
export interface CustomerDefaults {
  id: string;
  email: string;
  defaultShippingAddress: AddressRecord | null;
  defaultBillingAddress: AddressRecord | null;
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
  const draft = draftOrder(request);
  const details = orderDetails(request);
  if (!draft.ok || !details.ok) {
    throw ServiceError.invalidArgument([
      ...(draft.ok ? [] : draft.violations),
      ...(details.ok ? [] : details.violations),
    ]);
  }
  const initial = initialOrderState(request, draft.channel, draft.priced, now);
  if (!initial.ok) throw ServiceError.invalidArgument(initial.violations);

  const allocateNumber = options.allocateNumber ?? false;
  const common = { priced: draft.priced, channel: draft.channel, initial: initial.state, details: details.details };
  if (!request.customerId) {
    // A guest order: nothing to look up (CreateOrder allocates its number on its own).
    return { ...common, customer: null };
  }
  // Other tenants' customers look exactly like missing ones.
  const customer = await findCustomer(em, principal.tenantId, request.customerId, allocateNumber);
  if (!customer) {
    throw new ServiceError("not_found", "CUSTOMER_NOT_FOUND", `customer ${request.customerId} was not found`, [], {
      customerId: request.customerId,
    });
  }
  return { ...common, customer, allocatedNumber: customer.allocatedNumber };
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
  const { priced, channel, initial, customer, details } = prepared;
  const lines = request.items.map((item, position): NewOrderLineRow => {
    const pricedLine = priced.lines[position];
    if (!pricedLine) throw new Error(`no priced line at ${position}`);
    return {
      id: newId(),
      position,
      sku: item.sku,
      name: item.name,
      description: item.description || null,
      quantity: item.quantity ?? 1,
      unitPrice: pricedLine.unitPrice,
      taxAmount: pricedLine.taxAmount ?? null,
      lineTotal: pricedLine.lineTotal,
      productId: item.productId || null,
      variantId: item.variantId || null,
      metadata: { ...item.metadata },
      privateMetadata: { ...item.privateMetadata },
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
    // Address snapshots: the request's, else the customer's defaults at this moment.
    shippingAddress: addressToRecord(request.shippingAddress) ?? customer?.defaultShippingAddress ?? null,
    billingAddress: addressToRecord(request.billingAddress) ?? customer?.defaultBillingAddress ?? null,
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
  };
  return { order, lines, history: initialHistoryRows(initial, principal.apiKeyId, now) };
}

/**
 * One lean query instead of loading a Customer entity: CreateOrder reads two columns, and
 * hydrating an entity into a unit of work cost several times the query itself (bench profile).
 * With `allocateNumber` the same statement takes the tenant's next order number, only if the
 * customer exists; it commits on its own, outside any order transaction (queries/order-numbers.ts says why).
 */
async function findCustomer(
  em: EntityManager,
  tenantId: string,
  customerId: string,
  allocateNumber: boolean,
): Promise<(CustomerDefaults & { allocatedNumber?: string }) | undefined> {
  const row: (CustomerDefaultsRow & { orderNumber?: string | null }) | undefined = allocateNumber
    ? await customerWithOrderNumber(em, tenantId, customerId)
    : await findCustomerDefaults(em, tenantId, customerId);
  return (
    row && {
      id: customerId,
      email: row.email,
      defaultShippingAddress: row.defaultShippingAddress,
      defaultBillingAddress: row.defaultBillingAddress,
      allocatedNumber: row.orderNumber ?? undefined,
    }
  );
}
