import { create } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import {
  AddCartLinesResponseSchema,
  CartsService,
  type AddCartLinesRequest,
  type AddCartLinesResponse,
} from "../../gen/orders/v1/carts_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { ServiceError } from "../platform/transport/service-error.js";
import type { CartChanges } from "./cart-changes.js";
import { addLines, lineIndexOf } from "./rules/cart-draft.js";

/** AddCartLines: the items merged into the lines they equal or appended (rules/cart-draft.ts), priced. */
export class AddCartLines {
  constructor(private readonly changes: CartChanges) {}

  execute(principal: Principal, request: AddCartLinesRequest): Promise<AddCartLinesResponse> {
    const call = {
      method: CartsService.method.addCartLines,
      request,
      cartId: request.id,
      etag: request.etag,
      respond: (cart: AddCartLinesResponse["cart"]) => create(AddCartLinesResponseSchema, { cart }),
    };
    return this.changes.run(principal, call, (draft) => {
      const added = addLines(draft.lines, request.items, randomUUID);
      if (!added.ok) throw ServiceError.invalidArgument(added.violations);
      // A problem of a line the request added (or merged into) is the request's item's.
      const itemOfLine = new Map<number, number>();
      added.value.placedAt.forEach((line, item) => {
        if (!itemOfLine.has(line)) itemOfLine.set(line, item);
      });
      return {
        draft: { ...draft, lines: added.value.lines },
        requestPath: (path) => {
          const line = lineIndexOf(path);
          const item = line === undefined ? undefined : itemOfLine.get(line);
          return item === undefined ? undefined : path.replace(/^lines\[\d+\]\.item/, `items[${item}]`);
        },
      };
    });
  }
}
