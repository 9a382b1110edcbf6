import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { MikroORM } from "@mikro-orm/postgresql";
import type {
  CreateWebhookEndpointRequest,
  DeleteWebhookEndpointRequest,
  GetWebhookEndpointRequest,
  ListWebhookDeliveriesRequest,
  ListWebhookEndpointsRequest,
  RotateWebhookEndpointSecretRequest,
  SendTestWebhookEventRequest,
  UpdateWebhookEndpointRequest,
  WebhooksService,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import { callerOf } from "../platform/auth/caller.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { CreateWebhookEndpoint } from "./create-webhook-endpoint.js";
import { DeleteWebhookEndpoint } from "./delete-webhook-endpoint.js";
import { GetWebhookEndpoint } from "./get-webhook-endpoint.js";
import { ListWebhookDeliveries } from "./list-webhook-deliveries.js";
import { ListWebhookEndpoints } from "./list-webhook-endpoints.js";
import { RotateWebhookEndpointSecret } from "./rotate-webhook-endpoint-secret.js";
import type { UrlPolicy } from "./rules/endpoint-url.js";
import { SendTestWebhookEvent } from "./send-test-webhook-event.js";
import { UpdateWebhookEndpoint } from "./update-webhook-endpoint.js";

/** orders.v1.WebhooksService: a thin adapter from RPCs to use cases. */
export class WebhooksServiceHandler implements ServiceImpl<typeof WebhooksService> {
  constructor(
    private readonly useCases: {
      createWebhookEndpoint: CreateWebhookEndpoint;
      getWebhookEndpoint: GetWebhookEndpoint;
      listWebhookEndpoints: ListWebhookEndpoints;
      updateWebhookEndpoint: UpdateWebhookEndpoint;
      deleteWebhookEndpoint: DeleteWebhookEndpoint;
      rotateWebhookEndpointSecret: RotateWebhookEndpointSecret;
      sendTestWebhookEvent: SendTestWebhookEvent;
      listWebhookDeliveries: ListWebhookDeliveries;
    },
  ) {}

  createWebhookEndpoint(request: CreateWebhookEndpointRequest, context: HandlerContext) {
    return this.useCases.createWebhookEndpoint.execute(callerOf(context), request);
  }

  getWebhookEndpoint(request: GetWebhookEndpointRequest, context: HandlerContext) {
    return this.useCases.getWebhookEndpoint.execute(callerOf(context), request);
  }

  listWebhookEndpoints(request: ListWebhookEndpointsRequest, context: HandlerContext) {
    return this.useCases.listWebhookEndpoints.execute(callerOf(context), request);
  }

  updateWebhookEndpoint(request: UpdateWebhookEndpointRequest, context: HandlerContext) {
    return this.useCases.updateWebhookEndpoint.execute(callerOf(context), request);
  }

  deleteWebhookEndpoint(request: DeleteWebhookEndpointRequest, context: HandlerContext) {
    return this.useCases.deleteWebhookEndpoint.execute(callerOf(context), request);
  }

  rotateWebhookEndpointSecret(request: RotateWebhookEndpointSecretRequest, context: HandlerContext) {
    return this.useCases.rotateWebhookEndpointSecret.execute(callerOf(context), request);
  }

  sendTestWebhookEvent(request: SendTestWebhookEventRequest, context: HandlerContext) {
    return this.useCases.sendTestWebhookEvent.execute(callerOf(context), request);
  }

  listWebhookDeliveries(request: ListWebhookDeliveriesRequest, context: HandlerContext) {
    return this.useCases.listWebhookDeliveries.execute(callerOf(context), request);
  }
}

export interface WebhooksDeps {
  orm: MikroORM;
  /** The page-token key, loaded once (platform/pagination/page-token-key.ts). */
  pageTokens: () => Promise<PageTokens>;
  /** What endpoint URLs may be (WEBHOOK_ALLOW_HTTP, WEBHOOK_ALLOW_PRIVATE). */
  policy: UrlPolicy;
  /** The CloudEvents `source` of sample events (EVENT_SOURCE). */
  eventSource: string;
  /** Called when a delivery was queued by a call (SendTestWebhookEvent): wakes the delivery worker. */
  onQueued: () => void;
}

/** The WebhooksService handler over its use cases. */
export function webhooksHandler(deps: WebhooksDeps): WebhooksServiceHandler {
  return new WebhooksServiceHandler({
    createWebhookEndpoint: new CreateWebhookEndpoint(deps.orm, deps.policy),
    getWebhookEndpoint: new GetWebhookEndpoint(deps.orm),
    listWebhookEndpoints: new ListWebhookEndpoints(deps.orm, deps.pageTokens),
    updateWebhookEndpoint: new UpdateWebhookEndpoint(deps.orm, deps.policy),
    deleteWebhookEndpoint: new DeleteWebhookEndpoint(deps.orm),
    rotateWebhookEndpointSecret: new RotateWebhookEndpointSecret(deps.orm),
    sendTestWebhookEvent: new SendTestWebhookEvent(deps.orm, deps.eventSource, deps.onQueued),
    listWebhookDeliveries: new ListWebhookDeliveries(deps.orm, deps.pageTokens),
  });
}
