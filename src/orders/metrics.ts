import { Channel } from "../../gen/orders/v1/order_pb.js";
import type { CreateOrderResponse } from "../../gen/orders/v1/orders_service_pb.js";
import type { KeyMode } from "../platform/auth/api-key.js";
import { counter } from "../platform/metrics/metrics.js";

const ordersCreated = counter({
  name: "orderspine_orders_created_total",
  help: "Orders created (by CreateOrder, carts placed included; replays not), by channel and key mode (live or test).",
  labelNames: ["channel", "mode"],
});

/** Series bound on first use, by `<channel>:<mode>`. */
const series = new Map<string, { inc(): void }>();

/** Counts an order once its transaction committed. */
export function countOrderCreated(response: CreateOrderResponse, mode: KeyMode): void {
  const channel = response.order?.channel ?? Channel.UNSPECIFIED;
  const key = `${channel}:${mode}`;
  let created = series.get(key);
  if (created === undefined) {
    // The contract's names (CHANNEL_STOREFRONT, ...); a number outside the enum is never a label of its own.
    const name = Channel[channel] as string | undefined;
    created = ordersCreated.labels({ channel: name ? `CHANNEL_${name}` : "CHANNEL_UNSPECIFIED", mode });
    series.set(key, created);
  }
  created.inc();
}
