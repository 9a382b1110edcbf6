import { defineEntity, p } from "@mikro-orm/core";
import { money } from "../../platform/database/entity-properties.js";
import { ProductVariant } from "./product-variant.js";

/** `variant_prices`: a variant's price of one unit in one ISO 4217 currency (numeric(19,4), never negative). */
export const VariantPriceSchema = defineEntity({
  name: "VariantPrice",
  tableName: "variant_prices",
  primaryKeys: ["variant", "currency"],
  properties: {
    variant: () => p.manyToOne(ProductVariant).primary().deleteRule("cascade"),
    currency: p.character().length(3).primary(),
    amount: money(),
  },
  checks: [{ name: "variant_prices_amount_check", expression: "amount >= 0" }],
});

export class VariantPrice extends VariantPriceSchema.class {}

VariantPriceSchema.setClass(VariantPrice);
