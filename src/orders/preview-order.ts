import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  CreateOrderRequestSchema,
  PreviewOrderResponseSchema,
  type CreateOrderRequest,
  type PreviewOrderRequest,
  type PreviewOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { visibleTo, orderToMessage, warningMessages } from "./order-mapper.js";
import { assertMayImport } from "./rules/order-import.js";
import { newOrderRows, prepareOrder } from "./order-preparation.js";
import { unencodableTimestamps } from "./timestamps.js";

export interface PreviewOrderDeps {
  orm: MikroORM;
  now?: () => Date;
}

/** The request's field that holds the order; every violation path starts with it. */
export const ORDER_FIELD = "order";

/**
 * PreviewOrder: the same preparation as CreateOrder (validation, pricing, initial state,
 * customer check) and the same mapping to an Order, without writing anything or allocating an
 * order number. The only query is the customer lookup.
 */
export class PreviewOrder {
  constructor(private readonly deps: PreviewOrderDeps) {}

  async execute(principal: Principal, request: PreviewOrderRequest): Promise<PreviewOrderResponse> {
    const orderRequest = request.order;
    // The validation interceptor enforces `required`; this keeps the use case safe on its own.
    if (!orderRequest) {
      throw ServiceError.invalidArgument([
        { field: ORDER_FIELD, description: "value is required", reason: "REQUIRED" },
      ]);
    }
    const response = await this.price(principal, orderRequest, {}).catch((error: unknown) => {
      throw underOrderField(error);
    });
    // Paths start with the request's field that holds the order, as the violations' do.
    for (const warning of response.warnings) warning.field = `${ORDER_FIELD}.${warning.field}`;
    return response;
  }

  /**
   * The preview of a CreateOrderRequest itself, its violations and warnings naming that request's fields
   * ("items[0].sku"). The carts capability prices a cart through this (handed in by src/app.ts) as a `draft`: a
   * cart without lines is priced as nothing, and one without a buyer yet is priced too.
   */
  async price(
    principal: Principal,
    orderRequest: CreateOrderRequest,
    options: { draft?: boolean },
  ): Promise<PreviewOrderResponse> {
    // A preview answers as the create would, refusals included.
    assertMayImport(principal, orderRequest);
    const times = unencodableTimestamps(CreateOrderRequestSchema, orderRequest);
    if (times.length > 0) throw ServiceError.invalidArgument(times);
    const now = this.deps.now?.() ?? new Date();
    const prepared = await prepareOrder(this.deps.orm.em.fork(), principal, orderRequest, now, {
      draft: options.draft ?? false,
    });
    const rows = newOrderRows({
      principal,
      request: orderRequest,
      prepared,
      orderNumber: orderRequest.orderNumber,
      now,
      newId: () => "",
    });
    const order = orderToMessage({
      ...rows.order,
      customer: prepared.parties.customer,
      lines: rows.lines,
      history: [],
    });
    // What only creation decides stays empty (see PreviewOrderResponse): the contract promises clients
    // an empty status and payment status, also for an import that states them.
    order.status = OrderStatus.UNSPECIFIED;
    order.paymentStatus = PaymentStatus.UNSPECIFIED;
    order.etag = "";
    order.hold = undefined;
    order.createTime = undefined;
    order.updateTime = undefined;
    order.eventSequence = 0;
    order.placedTime = prepared.initial.placedAt ? timestampFromDate(prepared.initial.placedAt) : undefined;
    return create(PreviewOrderResponseSchema, {
      order: visibleTo(principal.role, order),
      warnings: warningMessages(prepared.warnings),
    });
  }
}

/** CreateOrder's violations name fields of CreateOrderRequest; here that request is the `order` field. */
export function underOrderField(error: unknown): unknown {
  if (!(error instanceof ServiceError) || error.kind !== "invalid_argument") return error;
  return ServiceError.invalidArgument(
    error.violations.map((violation) => ({ ...violation, field: `${ORDER_FIELD}.${violation.field}` })),
  );
}
