import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListInventoryLevelsResponseSchema,
  type ListInventoryLevelsRequest,
  type ListInventoryLevelsResponse,
} from "../../gen/orders/v1/inventory_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { levelToMessage } from "./inventory-mapper.js";
import { selectLevelPage } from "./queries.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ListInventoryLevels: a tenant's levels oldest first, by keyset pages (AIP-158) whose fingerprint names this
 * listing and its filters, so a token continues only the listing it came from.
 */
export class ListInventoryLevels {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListInventoryLevelsRequest): Promise<ListInventoryLevelsResponse> {
    const pageTokens = await this.pageTokens();
    const filters = { variantId: request.variantId, stockLocationId: request.stockLocationId };
    const fingerprint = pageTokens.fingerprint({ listing: "inventory-levels", tenant: principal.tenantId, ...filters });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectLevelPage(this.orm.em.fork(), principal.tenantId, filters, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListInventoryLevelsResponseSchema, {
      inventoryLevels: page.map((level) => levelToMessage(level)),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
