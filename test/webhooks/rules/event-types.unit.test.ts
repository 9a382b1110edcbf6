import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { file_orders_v1_catalog_events } from "../../../gen/orders/v1/catalog_events_pb.js";
import { file_orders_v1_events } from "../../../gen/orders/v1/events_pb.js";
import { endpointsFor, streamEventOf, type CandidateEndpoint } from "../../../src/webhooks/rules/dispatch.js";
import {
  audienceOfSubject,
  EVERY_EVENT_TYPE,
  eventTypeViolations,
  reaches,
  subscribesTo,
  WEBHOOK_EVENT_TYPES,
} from "../../../src/webhooks/rules/event-types.js";

const TENANT = "00000000-0000-4000-8000-000000000001";
const OTHER = "00000000-0000-4000-8000-000000000002";

describe("event types", () => {
  it("lists every order and catalog event the service publishes, order.fulfilled being seed 003's order.shipped", () => {
    expect(WEBHOOK_EVENT_TYPES).toEqual([
      "order.created",
      "order.updated",
      "order.fulfilled",
      "order.delivered",
      "order.canceled",
      "order.paid",
      "order.refunded",
      "order.payment_voided",
      "order.held",
      "order.released",
      "order.return_requested",
      "order.return_received",
      "product.created",
      "product.updated",
      "product.archived",
    ]);
    expect(WEBHOOK_EVENT_TYPES).not.toContain("order.shipped");
  });

  it("has a type for every event message of the contract, so a new event cannot be left out", () => {
    const snake = (name: string) => name.replace(/[A-Z]/g, (c, at: number) => `${at > 0 ? "_" : ""}${c.toLowerCase()}`);
    const types = [
      ...file_orders_v1_events.messages.map((m) => `order.${snake(m.name.replace(/^Order/, ""))}`),
      ...file_orders_v1_catalog_events.messages.map((m) => `product.${snake(m.name.replace(/^Product/, ""))}`),
    ];
    expect(types.sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  });

  it("refuses an empty list and unknown types, each at its index", () => {
    expect(eventTypeViolations("f", [])).toEqual([
      { field: "f", reason: "REQUIRED", description: "must name at least one event type" },
    ]);
    expect(eventTypeViolations("f", ["order.created", "order.shipped", "*", "Order.Created"])).toMatchObject([
      { field: "f[1]", reason: "UNKNOWN_EVENT_TYPE" },
      { field: "f[3]", reason: "UNKNOWN_EVENT_TYPE" },
    ]);
    expect(eventTypeViolations("f", [...WEBHOOK_EVENT_TYPES, EVERY_EVENT_TYPE])).toEqual([]);
  });

  it("matches a type when it is subscribed or '*' is, and never otherwise", () => {
    const type = fc.constantFrom(...WEBHOOK_EVENT_TYPES);
    fc.assert(
      fc.property(fc.uniqueArray(type), type, (subscribed, event) => {
        expect(subscribesTo(subscribed, event)).toBe(subscribed.includes(event));
        expect(subscribesTo([...subscribed, EVERY_EVENT_TYPE], event)).toBe(true);
      }),
    );
  });

  it("tells a test order's event from a live one's by its subject; the catalog's speak to both modes", () => {
    expect(audienceOfSubject(`orders.test.${TENANT}.created`)).toBe("test");
    expect(audienceOfSubject(`orders.${TENANT}.created`)).toBe("live");
    expect(audienceOfSubject(`catalog.${TENANT}.product.created`)).toBe("both");
    expect([reaches("test", true), reaches("test", false), reaches("live", true), reaches("live", false)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect([reaches("both", true), reaches("both", false)]).toEqual([true, true]);
  });
});

describe("endpointsFor", () => {
  const endpoint = fc.record({
    id: fc.uuid(),
    tenantId: fc.constantFrom(TENANT, OTHER),
    isTest: fc.boolean(),
    eventTypes: fc.uniqueArray(fc.constantFrom(...WEBHOOK_EVENT_TYPES, EVERY_EVENT_TYPE), { minLength: 1 }),
    createdAt: fc.date({ min: new Date("2026-01-01"), max: new Date("2026-12-31"), noInvalidDate: true }),
  });
  const event = fc.record({
    id: fc.uuid(),
    type: fc.constantFrom(...WEBHOOK_EVENT_TYPES),
    tenantId: fc.constantFrom(TENANT, OTHER),
    mode: fc.constantFrom("live", "test"),
    time: fc.date({ min: new Date("2026-01-01"), max: new Date("2026-12-31"), noInvalidDate: true }),
  });

  it("picks exactly the tenant's subscribed endpoints of the event's mode that existed when it occurred", () => {
    fc.assert(
      fc.property(event, fc.array(endpoint, { maxLength: 8 }), (e, endpoints: CandidateEndpoint[]) => {
        const catalog = e.type.startsWith("product.");
        const token = e.type.split(".")[1] ?? "";
        const subject = catalog
          ? `catalog.${e.tenantId}.${e.type}`
          : e.mode === "test"
            ? `orders.test.${e.tenantId}.${token}`
            : `orders.${e.tenantId}.${token}`;
        const picked = endpointsFor({ id: e.id, type: e.type, tenantId: e.tenantId, subject, time: e.time }, endpoints);
        for (const candidate of endpoints) {
          const wanted =
            candidate.tenantId === e.tenantId &&
            (candidate.eventTypes.includes(e.type) || candidate.eventTypes.includes("*")) &&
            (catalog || candidate.isTest === (e.mode === "test")) &&
            candidate.createdAt <= e.time;
          expect(picked.includes(candidate)).toBe(wanted);
        }
        // Test mode isolation, stated on its own: no live endpoint ever gets a test order's event and back.
        if (!catalog) expect(picked.every((p) => p.isTest === (e.mode === "test"))).toBe(true);
      }),
    );
  });
});

describe("streamEventOf", () => {
  const headers = {
    "ce-id": "0b6c2a8e-6d1f-4c55-9a51-1f0e2c3d4b5a",
    "ce-type": "order.created",
    "ce-tenantid": TENANT,
    "ce-time": "2026-12-01T10:00:00.000Z",
  };

  it("reads the event from the CloudEvents headers", () => {
    expect(streamEventOf(`orders.${TENANT}.created`, headers)).toEqual({
      ok: true,
      event: {
        id: headers["ce-id"],
        type: "order.created",
        tenantId: TENANT,
        subject: `orders.${TENANT}.created`,
        time: new Date(headers["ce-time"]),
      },
    });
  });

  it("skips messages that are no event to deliver", () => {
    expect(streamEventOf("x", { ...headers, "ce-type": "order.payment_captured" })).toMatchObject({ ok: false });
    expect(streamEventOf("x", { ...headers, "ce-time": "yesterday" })).toMatchObject({ ok: false });
    const { "ce-id": _id, ...withoutId } = headers;
    expect(streamEventOf("x", withoutId)).toMatchObject({ ok: false, why: "CloudEvents headers missing" });
  });
});
