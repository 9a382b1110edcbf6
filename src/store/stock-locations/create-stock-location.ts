import { create } from "@bufbuild/protobuf";
import {
  CreateStockLocationResponseSchema,
  StoreService,
  type CreateStockLocationRequest,
  type CreateStockLocationResponse,
} from "../../../gen/orders/v1/store_service_pb.js";
import { addressCountryViolations, addressToRecord } from "../../addresses/address.js";
import type { Principal } from "../../platform/auth/principal.js";
import { ServiceError } from "../../platform/transport/service-error.js";
import { StockLocation } from "../entities/stock-location.js";
import { requiredViolations } from "../rules/required.js";
import { stockLocationToMessage } from "../store-mapper.js";
import type { StoreWrites } from "../store-writes.js";

/** CreateStockLocation: a place goods ship from, active unless the request says otherwise. */
export class CreateStockLocation {
  constructor(private readonly writes: StoreWrites) {}

  execute(principal: Principal, request: CreateStockLocationRequest): Promise<CreateStockLocationResponse> {
    const given = request.stockLocation;
    const name = given?.name ?? "";
    const address = addressToRecord(given?.address);
    const violations = [
      ...requiredViolations("stock_location.name", name !== ""),
      ...requiredViolations("stock_location.address", address !== null),
      ...addressCountryViolations("stock_location.address", given?.address),
    ];
    if (violations.length > 0 || address === null) throw ServiceError.invalidArgument(violations);

    const call = { method: StoreService.method.createStockLocation, request };
    return this.writes.create(principal, call, async (tx, now) => {
      const location = tx.create(StockLocation, {
        tenant: principal.tenantId,
        name,
        address,
        active: given?.active ?? true,
        createdAt: now,
        updatedAt: now,
      });
      await tx.flush();
      return create(CreateStockLocationResponseSchema, { stockLocation: stockLocationToMessage(location) });
    });
  }
}
