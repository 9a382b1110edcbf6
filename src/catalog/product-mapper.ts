import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  ProductSchema as ProductMessageSchema,
  ProductStatus,
  VariantSchema,
  type Product as ProductMessage,
} from "../../gen/orders/v1/product_pb.js";
import { etagOf } from "../platform/database/etag.js";
import type { ProductView, VariantView } from "./queries/read-products.js";
import { priceText } from "./rules/prices.js";
import type { ProductStatusName } from "./rules/product-draft.js";

/** `products.status` as the contract names it. */
export const PRODUCT_STATUS: Record<ProductStatusName, ProductStatus> = {
  active: ProductStatus.ACTIVE,
  archived: ProductStatus.ARCHIVED,
};

export function productToMessage(product: ProductView): ProductMessage {
  return create(ProductMessageSchema, {
    id: product.id,
    title: product.title,
    description: product.description ?? "",
    status: PRODUCT_STATUS[product.status],
    variants: product.variants.map(variantToMessage),
    metadata: product.metadata,
    etag: etagOf(product.id, product.version),
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
