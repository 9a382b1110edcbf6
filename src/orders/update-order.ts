import { create } from "@bufbuild/protobuf";
import { FieldMaskSchema } from "@bufbuild/protobuf/wkt";
import type { Order as OrderMessage } from "../../gen/orders/v1/order_pb.js";
import {
  OrdersService,
  UpdateOrderResponseSchema,
  type UpdateOrderRequest,
  type UpdateOrderResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import { addressCountryViolations, addressToRecord } from "../customers/public.js";
import type { Principal } from "../platform/auth/principal.js";
import { fieldViolation, type FieldViolation } from "../money/field-violation.js";
import type { Order } from "./entities/order.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { currentStatusMetadata } from "./order-errors.js";
import type { OrderMutations } from "./order-mutation.js";

/** The Order fields UpdateOrder may set, by proto name as they appear in update_mask. */
export const UPDATABLE_PATHS = [
  "customer_note",
  "internal_note",
  "metadata",
  "tags",
  "shipping_address",
  "billing_address",
] as const;
type UpdatablePath = (typeof UPDATABLE_PATHS)[number];

/** Addresses are where the goods go: once the order has left "placed", changing them would be a lie. */
const ADDRESS_PATHS: ReadonlySet<UpdatablePath> = new Set(["shipping_address", "billing_address"]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * UpdateOrder (AIP-134): sets the fields named in update_mask from the given order, clearing those
 * left empty; publishes order.updated with the mask. Status, payment and amounts never change here —
 * they have their own calls, rules and history.
 */
export class UpdateOrder {
  constructor(private readonly mutations: OrderMutations) {}

  execute(principal: Principal, request: UpdateOrderRequest): Promise<UpdateOrderResponse> {
    const changes = request.order;
    const paths = checkedPaths(request);
    if (!changes) throw ServiceError.invalidArgument([fieldViolation("order", "REQUIRED", "is required")]);

    const call = {
      method: OrdersService.method.updateOrder,
      request,
      orderId: changes.id,
      etag: changes.etag,
      respond: (order: UpdateOrderResponse["order"]) => create(UpdateOrderResponseSchema, { order }),
    };
    return this.mutations.run(principal, call, ({ order }) => {
      if (order.status !== "placed" && paths.some((path) => ADDRESS_PATHS.has(path))) {
        throw new ServiceError(
          "failed_precondition",
          "ADDRESS_LOCKED",
          `the addresses of order ${order.id} cannot change once it is ${order.status}`,
          [],
          currentStatusMetadata(order),
        );
      }
      for (const path of paths) apply(order, path, changes);
      return { event: "order.updated", updateMask: create(FieldMaskSchema, { paths }) };
    });
  }
}

/** The mask's paths, each once, in the order given; INVALID_ARGUMENT naming every path that cannot be set. */
function checkedPaths(request: UpdateOrderRequest): UpdatablePath[] {
  const violations: FieldViolation[] = [];
  const id = request.order?.id ?? "";
  if (!UUID.test(id))
    violations.push(fieldViolation("order.id", "INVALID_UUID", "must be the id (UUID) of the order to change"));
  const given = request.updateMask?.paths ?? [];
  if (given.length === 0)
    violations.push(fieldViolation("update_mask", "REQUIRED", "must name at least one field to change"));
  const paths: UpdatablePath[] = [];
  given.forEach((path, index) => {
    const updatable = UPDATABLE_PATHS.find((candidate) => candidate === path);
    if (updatable === undefined) {
      violations.push(
        fieldViolation(
          `update_mask.paths[${index}]`,
          "NOT_UPDATABLE",
          `"${path}" cannot be updated; updatable: ${UPDATABLE_PATHS.join(", ")}`,
        ),
      );
    } else if (!paths.includes(updatable)) {
      paths.push(updatable);
    }
  });
  for (const address of ["shipping_address", "billing_address"] as const) {
    if (paths.includes(address)) {
      const value = address === "shipping_address" ? request.order?.shippingAddress : request.order?.billingAddress;
      violations.push(...addressCountryViolations(`order.${address}`, value));
    }
  }
  if (violations.length > 0) throw ServiceError.invalidArgument(violations);
  return paths;
}

function apply(order: Order, path: UpdatablePath, changes: OrderMessage): void {
  switch (path) {
    case "customer_note":
      order.customerNote = changes.customerNote || null;
      return;
    case "internal_note":
      order.internalNote = changes.internalNote || null;
      return;
    case "metadata":
      order.metadata = { ...changes.metadata };
      return;
    case "tags":
      order.tags = [...changes.tags];
      return;
    case "shipping_address":
      order.shippingAddress = addressToRecord(changes.shippingAddress);
      return;
    case "billing_address":
      order.billingAddress = addressToRecord(changes.billingAddress);
      return;
  }
}
