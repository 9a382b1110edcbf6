import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Product, ProductSchema, Variant, VariantSchema } from "../../../gen/orders/v1/product_pb.js";

let counter = 0;

/** A SKU no other test uses: `${prefix}-<run>-<n>`. */
export function uniqueSku(prefix = "SKU"): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** What create() takes for a Product (the plain object form, not a message). */
export type ProductInit = Exclude<MessageInitShape<typeof ProductSchema>, Product>;
export type VariantInit = Exclude<MessageInitShape<typeof VariantSchema>, Variant>;

/** The seed 000 injector as a one-variant product, with a fresh SKU unless one is given. */
export function injectorProduct(overrides: Partial<ProductInit> = {}): ProductInit {
  return {
    title: "6.7L Common-Rail Injector",
    description: "Remanufactured, tested to OEM flow rates.",
    variants: [{ sku: uniqueSku("INJ"), prices: { USD: "289.50", EUR: "265" }, weightGrams: 820 }],
    metadata: { brand: "Bosch" },
    ...overrides,
  };
}

/** A T-shirt in three sizes, each with a fresh SKU. */
export function shirtProduct(overrides: Partial<ProductInit> = {}): ProductInit {
  return {
    title: "Crew T-Shirt",
    variants: ["Small", "Medium", "Large"].map((size) => ({
      sku: uniqueSku(`TEE-${size[0] ?? ""}`),
      name: `${size} / Red`,
      prices: { USD: "19.00" },
      taxCategory: "clothing",
    })),
    ...overrides,
  };
}
