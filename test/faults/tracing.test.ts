import { create, fromBinary, fromJsonString } from "@bufbuild/protobuf";
import { expect, it } from "vitest";
import { CreateOrderRequestSchema, ListOrdersRequestSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { generateCase, type FuzzCase, type FuzzTarget } from "./support/fuzz/cases.js";
import { CREATE_ORDER } from "./support/fuzz/framing.js";
import {
  bestWriters,
  contentFingerprint,
  findWriters,
  markersIn,
  messagesIn,
  type UnansweredOrder,
} from "./support/fuzz/trace.js";
import { Prng } from "./support/prng.js";

/**
 * The fuzzer's tracing, without a service: every CreateOrder body it generates that decodes to an order (as
 * the service would decode it) must lead back to its own input, from what that order's lines hold, whatever
 * the body's size, compression or hostile values. Cheap: a few thousand generated cases, no network.
 */
const SEED = 9;
const CASES = 4000;
const target: FuzzTarget = {
  customerId: "0f7a2c55-8f43-4f0e-9d3e-2b9d3e1c4a11",
  orderIds: ["5b0e7f40-6f0e-4b8e-8d57-0c1d2e3f4a5b", "6c1f8051-7010-4c9f-9e68-1d2e3f4a5b6c"],
  pages: [
    {
      request: create(ListOrdersRequestSchema, { pageSize: 1 }),
      token: Buffer.from(
        JSON.stringify({
          v: 1,
          t: "2026-11-30T12:00:00.000000Z",
          i: "5b0e7f40-6f0e-4b8e-8d57-0c1d2e3f4a5b",
          f: "0".repeat(32),
        }),
      ).toString("base64url"),
    },
  ],
};

/** The order a body would become, if the service accepted it: its lines and request id, as it would store them. */
function decodedOrder(
  fuzzCase: FuzzCase,
): { requestId: string; lines: { sku: string; name: string; description: string }[] } | undefined {
  for (const message of messagesIn(fuzzCase).decodable) {
    try {
      const text = message.toString("utf8");
      const request = text.trimStart().startsWith("{")
        ? fromJsonString(CreateOrderRequestSchema, text)
        : fromBinary(CreateOrderRequestSchema, message);
      if (request.items.length > 0 && request.customerId === target.customerId)
        return { requestId: request.requestId, lines: request.items };
    } catch {
      // Not decodable this way.
    }
  }
  return undefined;
}

it("traces every order a generated CreateOrder body can write to that body's input", () => {
  const prng = new Prng(SEED);
  const cases = Array.from({ length: CASES }, () => generateCase(prng, target));
  const orders: (UnansweredOrder & { index: number; withoutMarkers: boolean })[] = [];
  cases.forEach((fuzzCase, index) => {
    if (fuzzCase.path !== CREATE_ORDER) return;
    const decoded = decodedOrder(fuzzCase);
    if (!decoded) return;
    // Every fifth order as if hostile values had replaced every marker: only its content can trace it.
    const withoutMarkers = orders.length % 5 === 4;
    orders.push({
      index,
      withoutMarkers,
      id: `order-${index}`,
      requestId: decoded.requestId || null,
      markers: withoutMarkers ? [] : markersIn(decoded.lines.flatMap((l) => [l.sku, l.name, l.description])),
      fingerprint: contentFingerprint(decoded.lines),
    });
  });
  const described = (o: { index: number }) => `${cases[o.index]?.category} ${cases[o.index]?.description}`;
  // The cases tracing used to miss are among them: 500 items without request id, a hostile first sku,
  // bodies over 64 KB, compressed bodies.
  expect(orders.some((o) => /: 50[01] items/.test(described(o)))).toBe(true);
  expect(orders.some((o) => /items\.sku=/.test(described(o)))).toBe(true);
  expect(orders.some((o) => (cases[o.index]?.body.byteLength ?? 0) > 64 * 1024)).toBe(true);
  expect(orders.some((o) => cases[o.index]?.category === "compression")).toBe(true);

  const writers = findWriters(orders, {
    seed: SEED,
    target,
    sent: CASES,
    categoryOf: (index) => cases[index]?.category ?? "?",
    outcomeOf: () => "transport(NGHTTP2_ENHANCE_YOUR_CALM)",
  });
  const untraced = orders.filter((o) => !bestWriters(writers.get(o.id) ?? []).some((w) => w.index === o.index));
  expect(untraced.map((o) => `#${o.index} ${described(o)}`)).toEqual([]);
  // A marker names one input only.
  expect(orders.filter((o) => !o.withoutMarkers && bestWriters(writers.get(o.id) ?? []).length !== 1)).toEqual([]);
});

it("refuses to trace when the regenerated inputs are not the campaign's", () => {
  expect(() =>
    findWriters([{ id: "x", requestId: null, markers: ["000000000000"], fingerprint: "[]" }], {
      seed: SEED + 1,
      target,
      sent: 100,
      categoryOf: () => "no such category",
      outcomeOf: () => "transport(x)",
    }),
  ).toThrow(/out of step/);
});
