import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import { OrderStatus } from "../../gen/orders/v1/order_pb.js";
import type { ListOrdersRequestSchema, OrdersService } from "../../gen/orders/v1/orders_service_pb.js";
import { summarize, type LatencySummary } from "../support/stats.js";

type ListRequest = MessageInitShape<typeof ListOrdersRequestSchema>;

export interface ScenarioResult {
  name: string;
  /** What the measured call asks for, in words. */
  request: string;
  latency: LatencySummary;
  /** Orders in each answer (the same every time). */
  orders: number;
}

export interface WalkResult {
  pages: number;
  totalMs: number;
  latency: LatencySummary;
}

/** Calls `request` `calls` times one after the other (after a short warm-up) and summarizes the latency. */
export async function measure(
  orders: Client<typeof OrdersService>,
  name: string,
  description: string,
  request: ListRequest,
  calls: number,
): Promise<ScenarioResult> {
  for (let i = 0; i < Math.min(20, calls); i++) await orders.listOrders(request);
  const samples: number[] = [];
  let count = 0;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    const response = await orders.listOrders(request);
    samples.push(performance.now() - started);
    count = response.orders.length;
  }
  return { name, request: description, latency: summarize(samples), orders: count };
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
