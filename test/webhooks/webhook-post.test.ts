import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHeaders } from "../../src/webhooks/rules/signing.js";
import { postWebhook } from "../../src/webhooks/webhook-post.js";
import { ifSetUp } from "../support/set-up.js";
import { Receiver } from "./support/receiver.js";

// An attempt checks the URL again when it is made, whatever was checked when the endpoint was saved: a host whose
// addresses changed since (DNS rebinding) or a service whose policy was tightened sends nothing.
let receiver: Receiver;
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const body = JSON.stringify({ type: "order.created" });
const headers = signedHeaders([SECRET], "0b6c2a8e-6d1f-4c55-9a51-1f0e2c3d4b5a", new Date(), body);
const options = { timeoutMs: 2000, userAgent: "test" };

beforeAll(async () => {
  receiver = await Receiver.start();
  receiver.secrets.push(SECRET);
});
afterAll(() => ifSetUp(receiver)?.down());

describe("postWebhook", () => {
  it("refuses loopback and private addresses at delivery time unless they are allowed, and sends nothing", async () => {
    const strict = { allowHttp: true, allowPrivate: false };
    for (const url of [
      receiver.url("/a"),
      `http://localhost:${receiver.port}/a`,
      `http://[::ffff:127.0.0.1]:${receiver.port}/a`,
    ]) {
      const result = await postWebhook(url, headers, body, { ...options, policy: strict });
      expect(result, url).toMatchObject({ succeeded: false, responseCode: 0 });
      expect(result.error, url).toMatch(/^URL refused: .*not a public internet address/);
    }
    const https = await postWebhook(receiver.url("/a"), headers, body, {
      ...options,
      policy: { allowHttp: false, allowPrivate: true },
    });
    expect(https.error).toMatch(/^URL refused: must be an https URL/);
    expect(receiver.received).toEqual([]);
  });

  it("sends to a name resolved to an allowed address when private addresses are allowed, verified by the receiver", async () => {
    const result = await postWebhook(`http://localhost:${receiver.port}/b`, headers, body, {
      ...options,
      policy: { allowHttp: true, allowPrivate: true },
    });
    expect(result).toMatchObject({ succeeded: true, responseCode: 204, error: "" });
    expect(receiver.at("/b")).toMatchObject([{ verifiedBy: [0], body }]);
    expect(receiver.at("/b")[0]?.headers["user-agent"]).toBe("test");
  });

  it("reports a refused connection as a failure without an answer", async () => {
    const closed = await Receiver.start();
    const url = closed.url("/c");
    await closed.down();
    const result = await postWebhook(url, headers, body, {
      ...options,
      policy: { allowHttp: true, allowPrivate: true },
    });
    expect(result).toMatchObject({ succeeded: false, responseCode: 0 });
    expect(result.error).toMatch(/ECONNREFUSED/);
  });
});
