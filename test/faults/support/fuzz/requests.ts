import { create, toBinary, toJson, type JsonObject } from "@bufbuild/protobuf";
import { Channel } from "../../../../gen/orders/v1/order_pb.js";
import { CreateOrderRequestSchema, type CreateOrderRequest } from "../../../../gen/orders/v1/orders_service_pb.js";
import type { Prng } from "../prng.js";

/** The header value the fuzzer writes where the tenant's API key goes; replaced when the case is sent. */
export const KEY_PLACEHOLDER = "{{KEY}}";
/** The same for the tenant's admin key, which imports (channel CHANNEL_IMPORT) need. */
export const ADMIN_KEY_PLACEHOLDER = "{{ADMIN_KEY}}";

/** A UUID from the seeded generator, so a run's request ids are reproducible too. */
export function seededUuid(prng: Prng): string {
  const b = prng.bytes(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Buffer.from(b).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const CURRENCIES = [
  { code: "USD", price: "289.50" },
  { code: "EUR", price: "12.5" },
  { code: "JPY", price: "1200" },
  { code: "KWD", price: "1.125" },
] as const;

/**
 * Finds the markers of validOrderRequest in a request body, mutated or not, and in an order's lines: every
 * sku ("SKU-<marker>-<line>"), name and description ("... #<marker>") of a generated order carries one.
 */
export const ORDER_MARKER = /(?:SKU-|#)([0-9a-f]{12})(?![0-9a-f])/g;

/** The marker of a request validOrderRequest made (from its first line's sku). */
export function markerOf(request: CreateOrderRequest): string {
  const marker = /^SKU-([0-9a-f]{12})-/.exec(request.items[0]?.sku ?? "")?.[1];
  if (marker === undefined) throw new Error("not a request of validOrderRequest");
  return marker;
}

/** A CreateOrder request the service accepts: the seed every mutation starts from. */
export function validOrderRequest(prng: Prng, customerId: string): CreateOrderRequest {
  const currency = prng.pick(CURRENCIES);
  const full = prng.chance(0.5);
  // Every line's sku, name and description carry a marker unique to the request, so an order found in the
  // database can be traced to the input that wrote it even when that input had no request_id and a hostile
  // value replaced one of them.
  const marker = Buffer.from(prng.bytes(6)).toString("hex");
  return create(CreateOrderRequestSchema, {
    customerId,
    requestId: prng.chance(0.8) ? seededUuid(prng) : "",
    currency: currency.code,
    channel: prng.pick([Channel.UNSPECIFIED, Channel.STOREFRONT, Channel.B2B_PORTAL, Channel.ADMIN, Channel.MCP]),
    items: Array.from({ length: prng.int(1, 4) }, (_, i) => ({
      sku: `SKU-${marker}-${i}`,
      name: `Part ${i} ${prng.pick(["Injector", "Pump", "Filter", "Seal kit", "Gasket ölsperre", "ナット"])} #${marker}`,
      quantity: prng.int(1, 20),
      unitPrice: currency.price,
      // a line names its item once: by this sku (a custom line), so the seeded uuid goes to the line's metadata
      ...(full ? { description: `fits 2017+ models #${marker}`, metadata: { ref: seededUuid(prng) } } : {}),
    })),
    ...(full
      ? {
          shippingTotal: currency.code === "JPY" ? "500" : "15.00",
          customerNote: "leave at the loading dock",
          metadata: { source: "fuzz", batch: String(prng.int(1, 9)) },
          shippingAddress: {
            name: "Ada Buyer",
            line1: "1 Dock Road",
            city: "Hamburg",
            postalCode: "20457",
            country: "DE",
          },
        }
      : {}),
  });
}

export function orderBinary(request: CreateOrderRequest): Uint8Array {
  return toBinary(CreateOrderRequestSchema, request);
}

export function orderJson(request: CreateOrderRequest): JsonObject {
  return toJson(CreateOrderRequestSchema, request) as JsonObject;
}

/** Byte-level damage to a valid encoding: flips, overwrites, inserts, deletions, truncation, varint bombs. */
export function mutateBytes(prng: Prng, input: Uint8Array): { bytes: Uint8Array; description: string } {
  let bytes = Buffer.from(input);
  const steps: string[] = [];
  for (let n = prng.int(1, 6); n > 0; n--) {
    const at = bytes.length === 0 ? 0 : prng.int(0, bytes.length - 1);
    switch (prng.int(0, 7)) {
      case 0:
        if (bytes.length > 0) bytes[at] = (bytes[at] ?? 0) ^ (1 << prng.int(0, 7));
        steps.push(`flip@${at}`);
        break;
      case 1:
        if (bytes.length > 0) bytes[at] = prng.int(0, 255);
        steps.push(`set@${at}`);
        break;
      case 2: {
        const inserted = prng.bytes(prng.int(1, 16));
        bytes = Buffer.concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
        steps.push(`insert${inserted.length}@${at}`);
        break;
      }
      case 3: {
        const length = prng.int(1, 16);
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + length)]);
        steps.push(`delete${length}@${at}`);
        break;
      }
      case 4:
        bytes = bytes.subarray(0, at);
        steps.push(`truncate@${at}`);
        break;
      case 5: {
        const length = prng.int(1, 32);
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + length), bytes.subarray(at)]);
        steps.push(`duplicate${length}@${at}`);
        break;
      }
      case 6: {
        // An over-long varint (length or value): 10+ continuation bytes.
        const varint = Buffer.alloc(prng.int(10, 12), 0xff);
        bytes = Buffer.concat([bytes.subarray(0, at), varint, bytes.subarray(at)]);
        steps.push(`varint@${at}`);
        break;
      }
      default: {
        // A field tag with a wire type or field number the message does not have (groups, 0, huge).
        const tag = prng.pick([0x00, 0x03, 0x04, 0x07, 0x0b, 0x0c, 0xf8, 0x7a]);
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([tag]), bytes.subarray(at)]);
        steps.push(`tag${tag}@${at}`);
      }
    }
  }
  return { bytes, description: steps.join(",") };
}

/** Protobuf bytes that nest `depth` unknown groups (start-group tags) inside each other. */
export function nestedGroups(depth: number): Uint8Array {
  // Unknown field 100: start group (100 << 3 | 3 = 803) and end group (804), each a two-byte varint.
  const start = Buffer.from([0xa3, 0x06]);
  const end = Buffer.from([0xa4, 0x06]);
  return Buffer.concat([...Array.from({ length: depth }, () => start), ...Array.from({ length: depth }, () => end)]);
}
