import { create, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { OrderCreatedSchema } from "../../../gen/orders/v1/events_pb.js";
import { OrderSchema } from "../../../gen/orders/v1/order_pb.js";
import { eventBody, sampleEvent } from "../../../src/webhooks/rules/event-body.js";
import { WEBHOOK_EVENT_TYPES } from "../../../src/webhooks/rules/event-types.js";
import { generateSigningSecret, signedHeaders, signingSecrets } from "../../../src/webhooks/rules/signing.js";

const TENANT = "00000000-0000-4000-8000-000000000001";
const EVENT = "0b6c2a8e-6d1f-4c55-9a51-1f0e2c3d4b5a";

describe("signing secrets", () => {
  it("are whsec_ and the base64 of 32 random bytes, each new", () => {
    const secrets = new Set(Array.from({ length: 50 }, generateSigningSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    }
  });

  it("sign with the replaced secret too until it expires", () => {
    const endpoint = {
      secret: "new",
      previousSecret: "old",
      previousSecretExpiresAt: new Date("2026-12-02T00:00:00Z"),
    };
    expect(signingSecrets(endpoint, new Date("2026-12-01T23:59:59Z"))).toEqual(["new", "old"]);
    expect(signingSecrets(endpoint, new Date("2026-12-02T00:00:00Z"))).toEqual(["new"]);
    expect(signingSecrets({ secret: "s", previousSecret: null, previousSecretExpiresAt: null }, new Date())).toEqual([
      "s",
    ]);
  });
});

describe("signedHeaders", () => {
  it("are verified by the standardwebhooks package with either secret during a rotation, and not with another", () => {
    const [current, previous, stranger] = [generateSigningSecret(), generateSigningSecret(), generateSigningSecret()];
    const body = JSON.stringify({ type: "order.created", data: { price: "289.50" } });
    const headers = signedHeaders([current, previous], EVENT, new Date(), body);
    expect(headers["webhook-id"]).toBe(EVENT);
    expect(headers["webhook-timestamp"]).toMatch(/^\d{10}$/);
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/=]+ v1,[A-Za-z0-9+/=]+$/);
    expect(new Webhook(current).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, { ...headers })).toEqual(JSON.parse(body));
    expect(() => new Webhook(stranger).verify(body, { ...headers })).toThrow(WebhookVerificationError);
    expect(() => new Webhook(current).verify(`${body} `, { ...headers })).toThrow(WebhookVerificationError);
  });
});

describe("eventBody", () => {
  it("is the event in CloudEvents JSON with the payload in proto JSON", () => {
    const occurred = new Date("2026-12-01T10:00:00.000Z");
    const payload = toBinary(
      OrderCreatedSchema,
      create(OrderCreatedSchema, {
        eventId: EVENT,
        tenantId: TENANT,
        occurTime: timestampFromDate(occurred),
        sequence: 1,
        order: create(OrderSchema, { id: "o-1", total: "289.50", currency: "USD" }),
      }),
    );
    const body = eventBody(
      {
        id: EVENT,
        type: "order.created",
        source: "orderspine",
        subject: "o-1",
        time: occurred.toISOString(),
        tenantId: TENANT,
        sequence: "0000000001",
        testmode: false,
      },
      payload,
    );
    expect(JSON.parse(body)).toEqual({
      specversion: "1.0",
      type: "order.created",
      source: "orderspine",
      id: EVENT,
      subject: "o-1",
      time: "2026-12-01T10:00:00.000Z",
      tenantid: TENANT,
      sequence: "0000000001",
      testmode: false,
      datacontenttype: "application/json",
      data: {
        eventId: EVENT,
        tenantId: TENANT,
        occurTime: "2026-12-01T10:00:00Z",
        sequence: 1,
        order: { id: "o-1", total: "289.50", currency: "USD" },
      },
    });
  });

  it("has a sample for every type, in test mode, with data of the type's payload", () => {
    const now = new Date("2026-12-01T10:00:00Z");
    for (const type of WEBHOOK_EVENT_TYPES) {
      const { attributes, body } = sampleEvent(type, TENANT, "orderspine", now);
      const parsed = JSON.parse(body) as { type: string; testmode: boolean; id: string; data: Record<string, unknown> };
      expect(parsed).toMatchObject({ type, testmode: true, id: attributes.id, tenantid: TENANT });
      const subject = type.startsWith("product.") ? parsed.data.product : parsed.data.order;
      expect(subject).toMatchObject({ id: attributes.subject });
      if (type.startsWith("order.")) expect(subject).toMatchObject({ isTest: true });
      if (
        [
          "order.fulfilled",
          "order.paid",
          "order.refunded",
          "order.payment_voided",
          "order.held",
          "order.released",
        ].includes(type)
      ) {
        expect(parsed.data.change).toBeDefined();
      }
      if (type === "order.created") expect(parsed.data.change).toBeUndefined();
      if (type.startsWith("order.return_")) expect(parsed.data.orderReturn).toMatchObject({ reason: "Sample return" });
    }
  });
});
