import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListWebhookEndpointsResponseSchema,
  type ListWebhookEndpointsRequest,
  type ListWebhookEndpointsResponse,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { callersEndpoints } from "./endpoint-scope.js";
import { selectEndpointPage } from "./queries.js";
import { endpointToMessage } from "./webhook-mapper.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

/**
 * ListWebhookEndpoints: the endpoints of the caller's tenant and mode, oldest first, by keyset pages (AIP-158)
 * whose fingerprint names this listing and the mode, so no other listing's token fits.
 */
export class ListWebhookEndpoints {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListWebhookEndpointsRequest): Promise<ListWebhookEndpointsResponse> {
    const pageTokens = await this.pageTokens();
    const { tenant, isTest } = callersEndpoints(principal);
    const fingerprint = pageTokens.fingerprint({
      listing: "webhook_endpoints",
      tenant,
      mode: isTest ? "test" : "live",
    });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    // One row more than the page tells whether another page follows.
    const rows = await selectEndpointPage(this.orm.em.fork(), tenant, isTest, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    const now = new Date();
    return create(ListWebhookEndpointsResponseSchema, {
      webhookEndpoints: page.map((endpoint) => endpointToMessage(endpoint, now)),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
