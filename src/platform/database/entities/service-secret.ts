import { defineEntity, p } from "@mikro-orm/core";
import { createdAt } from "../entity-properties.js";

/**
 * `service_secrets`: keys the service generates for itself when none is configured, shared by every
 * replica through the database, e.g. the key ListOrders signs page tokens with when PAGE_TOKEN_SECRET
 * is unset (platform/pagination/page-token-key.ts). The first replica that needs one inserts it; the others read it.
 */
export const ServiceSecretSchema = defineEntity({
  name: "ServiceSecret",
  tableName: "service_secrets",
  properties: {
    name: p.text().primary(),
    /** base64 of random bytes. */
    secret: p.text(),
    ...createdAt,
  },
});

export class ServiceSecret extends ServiceSecretSchema.class {}

ServiceSecretSchema.setClass(ServiceSecret);
