import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  ListWebhookDeliveriesResponseSchema,
  type ListWebhookDeliveriesRequest,
  type ListWebhookDeliveriesResponse,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { callersEndpoints } from "./endpoint-scope.js";
import { selectDeliveryPage, selectEndpoint } from "./queries.js";
import { webhookEndpointNotFound } from "./webhook-errors.js";
import { deliveryToMessage, statusName } from "./webhook-mapper.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/**
 * ListWebhookDeliveries: an endpoint's deliveries, newest first, each with its attempts, by keyset pages whose
 * fingerprint names the endpoint and the filters.
 */
export class ListWebhookDeliveries {
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListWebhookDeliveriesRequest): Promise<ListWebhookDeliveriesResponse> {
    const em = this.orm.em.fork();
    const { tenant, isTest } = callersEndpoints(principal);
    const endpoint = await selectEndpoint(em, tenant, isTest, request.endpointId);
    if (!endpoint) throw webhookEndpointNotFound(request.endpointId);
    const status = statusName(request.status);
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({
      listing: "webhook_deliveries",
      tenant,
      endpoint: endpoint.id,
      status,
      event: request.eventId,
    });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    const rows = await selectDeliveryPage(em, endpoint.id, { status, eventId: request.eventId }, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const last = page.at(-1);
    return create(ListWebhookDeliveriesResponseSchema, {
      deliveries: page.map(deliveryToMessage),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}
