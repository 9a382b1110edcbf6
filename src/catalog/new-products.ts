import type { EntityManager } from "@mikro-orm/postgresql";
import { randomUUID } from "node:crypto";
import type { Product as ProductMessage } from "../../gen/orders/v1/product_pb.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { skuGivenTwice, skuTaken } from "./catalog-errors.js";
import { stageProductEvents } from "./events.js";
import { productToMessage } from "./product-mapper.js";
import { selectProducts } from "./queries/read-products.js";
import { insertProducts, type NewProduct } from "./queries/write-products.js";
import { newProductViolations, productDraft, type ProductDraft } from "./rules/product-draft.js";
import { firstDuplicateSku, skuClaims } from "./rules/sku.js";

/** A product a request asks to create, with where the request gives it (e.g. "requests[3].product"). */
export interface ProductToCreate {
  product: ProductMessage;
  field: string;
}

/** Checked drafts of the products to create, with where each was given. */
export type CheckedProducts = { draft: ProductDraft; field: string }[];

/**
 * The rules of new products that need no database, over the whole request: every field violation of
 * every product (INVALID_ARGUMENT), then a SKU given twice anywhere in the request (ALREADY_EXISTS,
 * SKU_TAKEN).
 */
export function checkNewProducts(products: readonly ProductToCreate[]): CheckedProducts {
  const violations = products.flatMap(({ product, field }) => newProductViolations(product, field));
  if (violations.length > 0) throw ServiceError.invalidArgument(violations);
  const claims = products.flatMap(({ product, field }) => skuClaims(product.variants, `${field}.variants`));
  const duplicate = firstDuplicateSku(claims);
  if (duplicate) throw skuGivenTwice(duplicate.claim, duplicate.first);
  return products.map(({ product, field }) => ({ draft: productDraft(product), field }));
}

/**
 * Writes checked products in the unit of work's open transaction `tx` with their product.created
 * events and returns them as the contract shows them. Throws ALREADY_EXISTS (SKU_TAKEN) when the
 * tenant's catalog already holds one of their SKUs; the caller's transaction then rolls back, so
 * nothing is half-written.
 */
export async function writeNewProducts(
  tx: EntityManager,
  tenantId: string,
  products: CheckedProducts,
  now: Date,
): Promise<ProductMessage[]> {
  const rows: NewProduct[] = products.map(({ draft, field }) => ({
    id: randomUUID(),
    draft,
    variantIds: draft.variants.map(() => randomUUID()),
    variantsField: `${field}.variants`,
  }));
  const taken = await insertProducts(tx, tenantId, rows, now);
  if (taken) throw skuTaken(taken);
  const created = (
    await selectProducts(
      tx,
      tenantId,
      rows.map((row) => row.id),
    )
  ).map(productToMessage);
  await stageProductEvents(tx, tenantId, created, { type: "product.created" }, now);
  return created;
}
