import { create } from "@bufbuild/protobuf";
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import {
  StoreService,
  UpdateStockLocationResponseSchema,
  type UpdateStockLocationRequest,
  type UpdateStockLocationResponse,
} from "../../../gen/orders/v1/store_service_pb.js";
import { addressCountryViolations, addressToRecord } from "../../addresses/address.js";
import type { Principal } from "../../platform/auth/principal.js";
import { ServiceError } from "../../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../../platform/transport/update-mask.js";
import { StockLocation } from "../entities/stock-location.js";
import { requiredViolations } from "../rules/required.js";
import { stockLocationToMessage } from "../store-mapper.js";
import type { StoreWrites } from "../store-writes.js";

export const STOCK_LOCATION_FIELDS = ["name", "address", "active"] as const;

/** UpdateStockLocation (AIP-134): renames, moves, deactivates or reactivates a location. */
export class UpdateStockLocation {
  constructor(private readonly writes: StoreWrites) {}

  execute(principal: Principal, request: UpdateStockLocationRequest): Promise<UpdateStockLocationResponse> {
    const changes = request.stockLocation;
    const id = changes?.id ?? "";
    const address = addressToRecord(changes?.address);
    const mask = updateMaskPaths(request.updateMask?.paths ?? [], STOCK_LOCATION_FIELDS);
    const named = (path: (typeof STOCK_LOCATION_FIELDS)[number]) => mask.ok && mask.paths.includes(path);
    const violations = [
      ...resourceIdViolations("stock_location.id", id),
      ...(mask.ok ? [] : mask.violations),
      ...(named("name") ? requiredViolations("stock_location.name", (changes?.name ?? "") !== "") : []),
      ...(named("address")
        ? [
            ...requiredViolations("stock_location.address", address !== null),
            ...addressCountryViolations("stock_location.address", changes?.address),
          ]
        : []),
    ];
    if (violations.length > 0 || !mask.ok) throw ServiceError.invalidArgument(violations);
    const { paths } = mask;

    const call = { method: StoreService.method.updateStockLocation, request };
    const target = {
      kind: "stock_location" as const,
      id,
      etag: changes?.etag ?? "",
      load: (tx: EntityManager) =>
        tx.findOne(StockLocation, { id, tenant: principal.tenantId }, { lockMode: LockMode.PESSIMISTIC_WRITE }),
    };
    return this.writes.update(
      principal,
      call,
      target,
      (_tx, location) => {
        if (paths.includes("name")) location.name = changes?.name ?? "";
        if (paths.includes("address") && address !== null) location.address = address;
        if (paths.includes("active")) location.active = changes?.active ?? false;
        return Promise.resolve();
      },
      (location) => create(UpdateStockLocationResponseSchema, { stockLocation: stockLocationToMessage(location) }),
    );
  }
}
