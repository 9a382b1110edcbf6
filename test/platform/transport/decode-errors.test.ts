import { create, toBinary } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetOrderRequestSchema, OrdersService } from "../../../gen/orders/v1/orders_service_pb.js";
import {
  isRequestDecodeFailure,
  withDecodeFailuresAsInvalidArgument,
} from "../../../src/platform/transport/decode-errors.js";
import { HealthState, registerHealth } from "../../../src/platform/transport/health.js";
import { registerReflection } from "../../../src/platform/transport/reflection.js";
import { createServer, type OrderspineServer } from "../../../src/platform/transport/server.js";
import { RawClient, type RawRequest } from "../../faults/support/fuzz/raw-client.js";
import { judge } from "../../faults/support/fuzz/verdict.js";
import { ifSetUp } from "../../support/set-up.js";

// Real sockets and connect-es' real protocol handlers; only the service behind them is a stand-in, since
// these inputs never get past decoding. Each input below was found by the fault suite's fuzzer
// (test/faults/fuzz.test.ts), answered INTERNAL before the fix.

let server: OrderspineServer;
let client: RawClient;

beforeAll(async () => {
  const health = new HealthState();
  health.setServing("", true);
  const handler = connectNodeAdapter({
    routes: withDecodeFailuresAsInvalidArgument((router: ConnectRouter) => {
      router.service(OrdersService, {
        getOrder(request) {
          if (request.id === "00000000-0000-4000-8000-00000000dead") throw new Error("a bug in the service");
          return {};
        },
      });
      registerHealth(router, health);
      registerReflection(router);
    }),
  });
  server = createServer({ handler, logger: pino({ level: "silent" }) });
  const { url } = await server.listen(0, "127.0.0.1");
  client = new RawClient(url);
});
afterAll(async () => {
  ifSetUp(client)?.close();
  await ifSetUp(server)?.shutdown(1_000);
});

const GET_ORDER = "/orders.v1.OrdersService/GetOrder";
const MALFORMED = Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]); // over-long varint

function envelope(flags: number, payload: Uint8Array): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = flags;
  prefix.writeUInt32BE(payload.byteLength, 1);
  return Buffer.concat([prefix, payload]);
}

function post(
  transport: RawRequest["transport"],
  contentType: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
  path = GET_ORDER,
): RawRequest {
  return { transport, method: "POST", path, headers: { "content-type": contentType, ...headers }, body };
}

describe("request bodies that cannot be decoded are INVALID_ARGUMENT, never INTERNAL", () => {
  it.each([
    ["Connect binary over HTTP/1.1", post("http1", "application/proto", MALFORMED), "connect:invalid_argument"],
    ["Connect binary over HTTP/2", post("h2", "application/proto", MALFORMED), "connect:invalid_argument"],
    ["gRPC", post("h2", "application/grpc", envelope(0, MALFORMED), { te: "trailers" }), "grpc:3"],
    ["gRPC-Web over HTTP/1.1", post("http1", "application/grpc-web+proto", envelope(0, MALFORMED)), "grpc-web:3"],
    ["gRPC-Web over HTTP/2", post("h2", "application/grpc-web+proto", envelope(0, MALFORMED)), "grpc-web:3"],
    [
      "Connect, gzip that does not inflate",
      post("http1", "application/json", Buffer.from([0x1f, 0x8b, 0x08, 0x00]), { "content-encoding": "gzip" }),
      "connect:invalid_argument",
    ],
    [
      "gRPC, gzip that does not inflate",
      post("h2", "application/grpc", envelope(1, Buffer.from([0x1f, 0x8b, 0x08])), {
        te: "trailers",
        "grpc-encoding": "gzip",
      }),
      "grpc:3",
    ],
    [
      "gRPC, compressed flag without grpc-encoding",
      post("h2", "application/grpc", envelope(1, MALFORMED), { te: "trailers" }),
      "grpc:3",
    ],
    [
      "gRPC-Web, compressed flag without grpc-encoding",
      post("http1", "application/grpc-web", envelope(1, MALFORMED)),
      "grpc-web:3",
    ],
    [
      "health Check over gRPC",
      post("h2", "application/grpc", envelope(0, MALFORMED), { te: "trailers" }, "/grpc.health.v1.Health/Check"),
      "grpc:3",
    ],
    // JSON.parse quotes the body cut inside a surrogate pair; connect-es then failed to percent-encode
    // grpc-message and left the call unanswered until the client gave up.
    [
      "gRPC JSON starting with an astral character",
      post("h2", "application/grpc+json", envelope(0, Buffer.from("𝕏"))),
      "grpc:3",
    ],
    [
      "gRPC-Web JSON starting with an astral character",
      post("http1", "application/grpc-web+json", envelope(0, Buffer.from("𝕏𝕏"))),
      "grpc-web:3",
    ],
    [
      "reflection (bidi streaming) over Connect streaming",
      post(
        "h2",
        "application/connect+proto",
        envelope(0, MALFORMED),
        {},
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      ),
      "connect-end-stream:invalid_argument",
    ],
    [
      "reflection (bidi streaming) over gRPC",
      post(
        "h2",
        "application/grpc",
        envelope(0, MALFORMED),
        { te: "trailers" },
        "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      ),
      "grpc:3",
    ],
  ])("%s", async (_, request, expected) => {
    const result = await client.send(request);
    if (expected.startsWith("connect-end-stream:")) {
      // Connect streaming ends with a JSON end-of-stream frame (flag 0x02) holding the error.
      expect(result.kind).toBe("response");
      const body = result.kind === "response" ? result.response.body : Buffer.alloc(0);
      const endStream = JSON.parse(body.subarray(5).toString("utf8")) as {
        error?: { code?: string; message?: string };
      };
      expect(body[0]).toBe(0x02);
      expect(endStream.error).toMatchObject({
        code: "invalid_argument",
        // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
        message: expect.stringMatching(/^parse binary: /),
      });
      return;
    }
    expect(judge(request, result)).toMatchObject({ label: expected, internal: false });
  });
});

describe("everything else passes through unchanged", () => {
  const valid = toBinary(
    GetOrderRequestSchema,
    create(GetOrderRequestSchema, { id: "00000000-0000-4000-8000-000000000001" }),
  );
  const buggy = toBinary(
    GetOrderRequestSchema,
    create(GetOrderRequestSchema, { id: "00000000-0000-4000-8000-00000000dead" }),
  );

  it.each([
    ["Connect", post("http1", "application/proto", valid), "connect:ok"],
    ["gRPC", post("h2", "application/grpc", envelope(0, valid), { te: "trailers" }), "grpc:0"],
    ["gRPC-Web", post("http1", "application/grpc-web", envelope(0, valid)), "grpc-web:0"],
  ])("a valid call over %s", async (_, request, expected) => {
    expect(judge(request, await client.send(request)).label).toBe(expected);
  });

  // A real bug stays INTERNAL: only decoding failures of the request are the client's doing.
  it.each([
    ["Connect", post("http1", "application/proto", buggy), "connect:internal"],
    ["gRPC", post("h2", "application/grpc", envelope(0, buggy), { te: "trailers" }), "grpc:13"],
    ["gRPC-Web", post("http1", "application/grpc-web", envelope(0, buggy)), "grpc-web:13"],
  ])("an error thrown by the service over %s", async (_, request, expected) => {
    expect(judge(request, await client.send(request))).toMatchObject({ label: expected, internal: true });
  });

  it("tells decoding failures from other messages", () => {
    expect(isRequestDecodeFailure("parse binary: premature EOF")).toBe(true);
    expect(isRequestDecodeFailure("decompression failed")).toBe(true);
    expect(isRequestDecodeFailure("serialize binary: invalid value")).toBe(false);
    expect(isRequestDecodeFailure("internal error")).toBe(false);
  });
});
