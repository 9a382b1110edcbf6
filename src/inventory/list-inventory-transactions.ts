import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListInventoryTransactionsResponseSchema,
  type ListInventoryTransactionsRequest,
  type ListInventoryTransactionsResponse,
} from "../../gen/orders/v1/inventory_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { transactionToMessage } from "./inventory-mapper.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./list-inventory-levels.js";
import { selectTransactionPage } from "./queries.js";

/**
 * ListInventoryTransactions: a variant's ledger (at one location or all) oldest first, by keyset pages (AIP-158)
 * whose fingerprint names the variant and location, so a token continues only the ledger it came from.
 */
export class ListInventoryTransactions {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(
    principal: Principal,
    request: ListInventoryTransactionsRequest,
  ): Promise<ListInventoryTransactionsResponse> {
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({
      listing: "inventory-transactions",
      tenant: principal.tenantId,
      variantId: request.variantId,
      stockLocationId: request.stockLocationId,
    });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await selectTransactionPage(
      this.orm.em.fork(),
      principal.tenantId,
      request.variantId,
      request.stockLocationId || undefined,
      cursor,
      pageSize + 1,
    );
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListInventoryTransactionsResponseSchema, {
      transactions: page.map((row) => transactionToMessage(row)),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
