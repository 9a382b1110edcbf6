import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import type { CreateOrderRequest } from "../../gen/orders/v1/orders_service_pb.js";
import {
  ListShippingOptionsResponseSchema,
  type ListShippingOptionsRequest,
  type ListShippingOptionsResponse,
} from "../../gen/orders/v1/shipping_service_pb.js";
import { quoteShipping } from "../domain/pricing/engine.js";
import { displayAmount } from "../money/display.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { listActiveShippingMethods } from "../shipping/public.js";
import { prepareOrder } from "./order-preparation.js";
import { ORDER_FIELD, underOrderField } from "./preview-order.js";
import { assertMayImport } from "./rules/order-import.js";
import { shippingOptions } from "./rules/shipping-options.js";

export interface ListShippingOptionsDeps {
  orm: MikroORM;
  now?: () => Date;
}

/**
 * ShippingService.ListShippingOptions (served by the shipping capability's handler, priced here): the order is
 * prepared as PreviewOrder prepares it, without any shipping method it names, and every active method of the tenant
 * is quoted by the checkout engine for its currency, subtotal, weight and shipping country.
 */
export class ListShippingOptions {
  constructor(private readonly deps: ListShippingOptionsDeps) {}

  async execute(principal: Principal, request: ListShippingOptionsRequest): Promise<ListShippingOptionsResponse> {
    const order = request.order;
    if (!order) {
      throw ServiceError.invalidArgument([
        { field: ORDER_FIELD, description: "value is required", reason: "REQUIRED" },
      ]);
    }
    return this.forOrder(principal, order).catch((error: unknown) => {
      throw underOrderField(error);
    });
  }

  /** The options for a CreateOrderRequest itself, its violations naming that request's fields (carts use it). */
  async forOrder(principal: Principal, order: CreateOrderRequest): Promise<ListShippingOptionsResponse> {
    assertMayImport(principal, order);
    const em = this.deps.orm.em.fork();
    const now = this.deps.now?.() ?? new Date();
    // The options are what the buyer picks from: a method already named must not narrow or fail them.
    const unshipped = { ...order, shippingMethod: undefined, shippingTotal: "" };
    const [prepared, methods] = await Promise.all([
      prepareOrder(em, principal, unshipped, now),
      listActiveShippingMethods(em, principal.tenantId),
    ]);
    const { currency, minorUnits, subtotal } = prepared.checkout;
    const weightGrams = prepared.lines.reduce(
      (grams, line, i) => grams + (line.weightGrams ?? 0) * (order.items[i]?.quantity ?? 1),
      0,
    );
    const country = prepared.parties.shippingAddress?.country.toUpperCase() ?? "";
    const locale = prepared.details.locale;
    return create(ListShippingOptionsResponseSchema, {
      options: shippingOptions(methods, (method) =>
        quoteShipping(method, { currency, subtotal, weightGrams, country }),
      ).map((option) => ({
        ...option,
        displayAmount: displayAmount(option.amount, currency, locale, minorUnits),
      })),
    });
  }
}
