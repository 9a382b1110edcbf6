import { create } from "@bufbuild/protobuf";
import type { MikroORM } from "@mikro-orm/postgresql";
import {
  GetWebhookEndpointResponseSchema,
  type GetWebhookEndpointRequest,
  type GetWebhookEndpointResponse,
} from "../../gen/orders/v1/webhooks_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { callersEndpoints } from "./endpoint-scope.js";
import { selectEndpoint } from "./queries.js";
import { webhookEndpointNotFound } from "./webhook-errors.js";
import { endpointToMessage } from "./webhook-mapper.js";

/** GetWebhookEndpoint: one endpoint of the caller's tenant and mode, without its secret. */
export class GetWebhookEndpoint {
  constructor(private readonly orm: MikroORM) {}

  async execute(principal: Principal, request: GetWebhookEndpointRequest): Promise<GetWebhookEndpointResponse> {
    const { tenant, isTest } = callersEndpoints(principal);
    const endpoint = await selectEndpoint(this.orm.em.fork(), tenant, isTest, request.id);
    if (!endpoint) throw webhookEndpointNotFound(request.id);
    return create(GetWebhookEndpointResponseSchema, { webhookEndpoint: endpointToMessage(endpoint, new Date()) });
  }
}
