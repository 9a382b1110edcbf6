import { defineEntity, p } from "@mikro-orm/core";
import { Promotion } from "./promotion.js";

/**
 * `promotion_codes`: the codes of a promotion, as written, in the order given (`position` from 0). The
 * expression index on (tenant_id, lower(code)) makes a code unique in the tenant without regard to case, in
 * the database itself: of two transactions claiming one code, the second waits for the first and finds it
 * taken. Codes are ASCII letters, digits, `-` and `_` (the contract says so), which PostgreSQL's lower()
 * folds alike under every locale; every lookup by code compares lower(code).
 */
export const PromotionCodeSchema = defineEntity({
  name: "PromotionCode",
  tableName: "promotion_codes",
  primaryKeys: ["promotion", "position"],
  properties: {
    promotion: () => p.manyToOne(Promotion).primary().deleteRule("cascade"),
    position: p.smallint().primary(),
    tenantId: p.uuid(),
    code: p.text(),
  },
  uniques: [
    {
      name: "promotion_codes_tenant_id_lower_code_unique",
      expression:
        "create unique index promotion_codes_tenant_id_lower_code_unique on promotion_codes (tenant_id, lower(code))",
    },
  ],
});

export class PromotionCode extends PromotionCodeSchema.class {}

PromotionCodeSchema.setClass(PromotionCode);
