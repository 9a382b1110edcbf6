import { defineEntity, p } from "@mikro-orm/core";
import { createdAt, uuidPrimaryKey } from "../../database/entity-properties.js";
import { notifyAuthChanged } from "../auth-changed.js";

/** `tenants`: the owner of every business row; `orders_enabled` switches order intake off. */
export const TenantSchema = defineEntity({
  name: "Tenant",
  tableName: "tenants",
  properties: {
    ...uuidPrimaryKey,
    name: p.text(),
    ordersEnabled: p.boolean().default(true),
    ...createdAt,
  },
  triggers: [{ ...notifyAuthChanged, events: [...notifyAuthChanged.events] }],
});

export class Tenant extends TenantSchema.class {
  /** Whether this tenant may create orders right now. */
  canCreateOrders(): boolean {
    return this.ordersEnabled;
  }
}

TenantSchema.setClass(Tenant);
