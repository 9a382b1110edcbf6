import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { OrderStatus } from "../../gen/orders/v1/order_pb.js";
import type { ListOrdersRequestSchema, OrdersService } from "../../gen/orders/v1/orders_service_pb.js";
import { summarize, type LatencySummary } from "../support/stats.js";
import { cpuMs } from "../writes/process-stats.js";

type ListRequest = MessageInitShape<typeof ListOrdersRequestSchema>;

export interface ScenarioResult {
  name: string;
  /** What the measured call asks for, in words. */
  request: string;
  latency: LatencySummary;
  /** Orders in each answer (the same every time). */
  orders: number;
  /**
   * CPU milliseconds per call of the service process (from /proc) and of this client: what a call costs whatever
   * else runs on the machine, where latency also counts the waits for a core that other work holds.
   */
  serviceCpuMs: number;
  clientCpuMs: number;
}

export interface WalkResult {
  pages: number;
  totalMs: number;
  latency: LatencySummary;
}

/** Calls ListOrders with `request` `calls` times one after the other (after a short warm-up) and summarizes the latency. */
export function measure(
  orders: Client<typeof OrdersService>,
  servicePid: number,
  name: string,
  description: string,
  request: ListRequest,
  calls: number,
): Promise<ScenarioResult> {
  return measureCall(
    servicePid,
    name,
    description,
    calls,
    async () => (await orders.listOrders(request)).orders.length,
  );
}

/** Runs `call` (which answers the number of orders it got) `calls` times one after the other, after a short warm-up. */
export async function measureCall(
  servicePid: number,
  name: string,
  description: string,
  calls: number,
  call: () => Promise<number>,
): Promise<ScenarioResult> {
  for (let i = 0; i < Math.min(20, calls); i++) await call();
  const samples: number[] = [];
  let count = 0;
  const serviceCpu = cpuMs(servicePid);
  const clientCpu = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    count = await call();
    samples.push(performance.now() - started);
  }
  const client = process.cpuUsage(clientCpu);
  return {
    name,
    request: description,
    latency: summarize(samples),
    orders: count,
    serviceCpuMs: (cpuMs(servicePid) - serviceCpu) / calls,
    clientCpuMs: (client.user + client.system) / 1000 / calls,
  };
}

/**
 * Follows next_page_token from the first page to page `pages` and returns the token of that page
 * together with how long each step took: the way a client reaches a deep page.
 */
export async function walkTo(
  orders: Client<typeof OrdersService>,
  request: ListRequest,
  pages: number,
): Promise<{ token: string; walk: WalkResult }> {
  const samples: number[] = [];
  let token = "";
  const started = performance.now();
  for (let page = 1; page < pages; page++) {
    const begin = performance.now();
    const response = await orders.listOrders({ ...request, pageToken: token });
    samples.push(performance.now() - begin);
    if (response.nextPageToken === "") throw new Error(`the listing ended at page ${page}`);
    token = response.nextPageToken;
  }
  return { token, walk: { pages: pages - 1, totalMs: performance.now() - started, latency: summarize(samples) } };
}

export const DELIVERED: ListRequest = { status: OrderStatus.DELIVERED };
