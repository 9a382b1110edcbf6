import { create } from "@bufbuild/protobuf";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import { Channel } from "../../gen/orders/v1/order_pb.js";
import {
  CreateOrderRequestSchema,
  CreateOrderResponseSchema,
  type CreateOrderRequest,
  type CreateOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../auth/principal.js";
import { idempotencyKey, idempotencyRecordRow, idempotently, type IdempotencyKey } from "../idempotency/idempotency.js";
import type { AddressRecord } from "../persistence/entities/json-types.js";
import { isUniqueViolation } from "../persistence/errors.js";
import { allocateOrderNumber } from "../persistence/order-numbers.js";
import { ServiceError } from "../service-error.js";
import { addressToRecord } from "../addresses.js";
import { enumToColumn, orderToMessage } from "./order-mapper.js";
import { draftOrder } from "./order-draft.js";
import type { PricedOrder } from "../domain/pricing.js";
import { orderCreatedEvent } from "./order-events.js";
import { insertNewOrder, type NewOrderLineRow, type NewOrderRow } from "./order-insert.js";
import { assertMayImport, initialHistoryRows, initialOrderState, type InitialState } from "./order-import.js";

export const ORDER_NUMBER_CONSTRAINT = "orders_tenant_id_order_number_unique";

/** A generated number can collide only with an earlier override; a few retries always find a free one. */
const MAX_NUMBER_ATTEMPTS = 5;

export interface CreateOrderDeps {
  orm: MikroORM;
  /** Called after each commit so the in-process relay publishes without waiting for its poll. */
  onOrderCommitted: () => void;
  now?: () => Date;
}

/**
 * CreateOrder: validate and price (domain), check the customer, then write
 * the order, its lines, its outbox event and its idempotency record in ONE
 * transaction (a single statement, see order-insert.ts).
 */
export class CreateOrder {
  constructor(private readonly deps: CreateOrderDeps) {}

  async execute(principal: Principal, request: CreateOrderRequest): Promise<CreateOrderResponse> {
    assertMayImport(principal, request);
    const em = this.deps.orm.em.fork();
    const key = request.requestId
      ? idempotencyKey(principal.tenantId, "orders.v1.OrdersService/CreateOrder", CreateOrderRequestSchema, request)
      : undefined;
    return idempotently(em, key, CreateOrderResponseSchema, async () => {
      const draft = draftOrder(request);
      if (!draft.ok) throw ServiceError.invalidArgument(draft.violations);
      const initial = initialOrderState(request, draft.channel, draft.priced, this.deps.now?.() ?? new Date());
      if (!initial.ok) throw ServiceError.invalidArgument(initial.violations);

      // Other tenants' customers look exactly like missing ones.
      const customer = await findCustomerDefaults(em, principal.tenantId, request.customerId);
      if (!customer) {
        throw new ServiceError("not_found", "CUSTOMER_NOT_FOUND", `customer ${request.customerId} was not found`, [], {
          customerId: request.customerId,
        });
      }

      for (let attempt = 1; ; attempt++) {
        const orderNumber = request.orderNumber || (await allocateOrderNumber(em, principal.tenantId));
        const input = { principal, request, customer, priced: draft.priced, channel: draft.channel, initial: initial.state, orderNumber, key };
        try {
          const response = await this.write(input);
          this.deps.onOrderCommitted();
          return response;
        } catch (error) {
          if (!isUniqueViolation(error, ORDER_NUMBER_CONSTRAINT)) throw error;
          if (request.orderNumber) {
            throw new ServiceError("already_exists", "ORDER_NUMBER_TAKEN", `order number ${orderNumber} is already used`, [], {
              orderNumber,
            });
          }
          if (attempt >= MAX_NUMBER_ATTEMPTS) throw error;
        }
      }
    });
  }

  private async write(input: WriteInput): Promise<CreateOrderResponse> {
    const { principal, request, customer, priced, channel, initial, orderNumber, key } = input;
    const now = this.deps.now?.() ?? new Date();
    const tenantId = principal.tenantId;
    const lines = request.items.map((item, position): NewOrderLineRow => {
      const pricedLine = priced.lines[position];
      if (!pricedLine) throw new Error(`no priced line at ${position}`);
      return {
        id: randomUUID(),
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
      };
    });
    const order: NewOrderRow = {
      id: randomUUID(),
      tenantId,
      orderNumber,
      customerId: customer.id,
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
      shippingAddress: addressToRecord(request.shippingAddress) ?? customer.defaultShippingAddress,
      billingAddress: addressToRecord(request.billingAddress) ?? customer.defaultBillingAddress,
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
    };
    const history = initialHistoryRows(initial, principal.apiKeyId, now);
    const message = orderToMessage({ ...order, customer: { id: customer.id }, lines, history });
    const response = create(CreateOrderResponseSchema, { order: message });
    await insertNewOrder(this.deps.orm.em, {
      order,
      lines,
      event: orderCreatedEvent(tenantId, message, now),
      idempotency: key && idempotencyRecordRow(key, CreateOrderResponseSchema, response, now),
      history,
    });
    return response;
  }
}

/** What CreateOrder needs of the customer: that it exists in the tenant, and its default addresses. */
interface CustomerDefaults {
  id: string;
  defaultShippingAddress: AddressRecord | null;
  defaultBillingAddress: AddressRecord | null;
}

interface WriteInput {
  principal: Principal;
  request: CreateOrderRequest;
  customer: CustomerDefaults;
  priced: PricedOrder;
  channel: Channel;
  initial: InitialState;
  orderNumber: string;
  key: IdempotencyKey | undefined;
}

/**
 * One lean query instead of loading a Customer entity: CreateOrder reads two columns, and
 * hydrating an entity into a unit of work cost several times the query itself (bench profile).
 */
async function findCustomerDefaults(em: EntityManager, tenantId: string, customerId: string): Promise<CustomerDefaults | undefined> {
  const [row] = await em
    .getConnection("read")
    .execute<{ default_shipping_address: AddressRecord | null; default_billing_address: AddressRecord | null }[]>(
      "select default_shipping_address, default_billing_address from customers where id = ? and tenant_id = ?",
      [customerId, tenantId],
      "all",
    );
  return row && { id: customerId, defaultShippingAddress: row.default_shipping_address, defaultBillingAddress: row.default_billing_address };
}
