import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Product as ProductMessage } from "../../gen/orders/v1/product_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { etagOf } from "../platform/database/etag.js";
import { changeIdempotently, idempotencyKey } from "../platform/idempotency/idempotency.js";
import { abortedOnDeadlock, etagMismatch, productNotFound } from "./catalog-errors.js";
import type { CatalogWriteDeps } from "./create-product.js";
import { stageProductEvents, type ProductEvent } from "./events.js";
import { productToMessage } from "./product-mapper.js";
import { lockProduct, selectProducts, type ProductView } from "./queries/read-products.js";

/** One call that changes an existing product: its procedure and request (for request_id), the product and etag. */
export interface ProductChangeCall<Res extends DescMessage> {
  /** e.g. "orders.v1.CatalogService/ArchiveProduct": a request_id belongs to one procedure. */
  procedure: string;
  requestSchema: DescMessage;
  request: { requestId: string };
  productId: string;
  /** Empty when the caller sent none. */
  etag: string;
  responseSchema: Res;
  respond: (product: ProductMessage) => MessageShape<Res>;
}

/**
 * The one way an existing product changes, in ONE transaction: lock the product row (FOR UPDATE, in the
 * caller's tenant), answer a duplicate request_id as the first call did, check the etag, let `change`
 * write (it throws to refuse, which rolls everything back), then read the product back, stage its one
 * event and record the answer. Concurrent changes of one product queue on the row lock.
 */
export async function changeProduct<Res extends DescMessage>(
  deps: CatalogWriteDeps,
  principal: Principal,
  call: ProductChangeCall<Res>,
  change: (tx: EntityManager, product: ProductView, now: Date) => Promise<ProductEvent>,
): Promise<MessageShape<Res>> {
  const { tenantId } = principal;
  const key = call.request.requestId
    ? idempotencyKey(
        tenantId,
        call.procedure,
        call.requestSchema,
        call.request as MessageShape<DescMessage> & { requestId: string },
      )
    : undefined;
  const answer = await abortedOnDeadlock(() =>
    changeIdempotently(
      deps.orm.em.fork(),
      key,
      call.responseSchema,
      async (tx) => {
        const product = await lockProduct(tx, tenantId, call.productId);
        if (!product) throw productNotFound(call.productId);
        return product;
      },
      async (tx, product, now) => {
        if (call.etag !== "" && call.etag !== etagOf(product.id, product.version)) throw etagMismatch(product.id);
        const event = await change(tx, product, now);
        const [changed] = await selectProducts(tx, tenantId, [product.id]);
        if (!changed) throw new Error(`product ${product.id} vanished under its row lock`);
        const message = productToMessage(changed);
        await stageProductEvents(tx, tenantId, [message], event, now);
        return call.respond(message);
      },
    ),
  );
  deps.onCommitted();
  return answer;
}
