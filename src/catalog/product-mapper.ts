import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  ProductSchema as ProductMessageSchema,
  ProductStatus,
  VariantSchema,
  type Product as ProductMessage,
} from "../../gen/orders/v1/product_pb.js";
import { createHash } from "node:crypto";
import type { ProductView, VariantView } from "./queries/read-products.js";
import { priceText } from "./rules/prices.js";
import type { ProductStatusName } from "./rules/product-draft.js";

/** `products.status` as the contract names it. */
export const PRODUCT_STATUS: Record<ProductStatusName, ProductStatus> = {
  active: ProductStatus.ACTIVE,
  archived: ProductStatus.ARCHIVED,
};

/**
 * A product's etag (AIP-154): derived from its version, which every change bumps, and its id, so two
 * products never share one by accident. Opaque to clients.
 */
export function productEtag(productId: string, version: number): string {
  return createHash("sha256").update(`product:${productId}:${version}`).digest("hex").slice(0, 16);
}

export function productToMessage(product: ProductView): ProductMessage {
  return create(ProductMessageSchema, {
    id: product.id,
    title: product.title,
    description: product.description ?? "",
    status: PRODUCT_STATUS[product.status],
    variants: product.variants.map(variantToMessage),
    metadata: product.metadata,
    etag: productEtag(product.id, product.version),
    createTime: timestampFromDate(product.createdAt),
    updateTime: timestampFromDate(product.updatedAt),
    eventSequence: product.version,
  });
}

function variantToMessage(variant: VariantView) {
  const [sku = "", ...alternateSkus] = variant.skus;
  return create(VariantSchema, {
    id: variant.id,
    sku,
    alternateSkus,
    name: variant.name,
    prices: Object.fromEntries(
      Object.entries(variant.prices)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([currency, amount]) => [currency, priceText(currency, amount)]),
    ),
    taxCategory: variant.taxCategory,
    weightGrams: variant.weightGrams ?? undefined,
    metadata: variant.metadata,
  });
}
