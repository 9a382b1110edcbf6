import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadRequestSchema, ErrorInfoSchema } from "../../../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../../../gen/google/rpc/status_pb.js";
import { RawClient } from "../../faults/support/fuzz/raw-client.js";
import { splitEnvelopes } from "../../faults/support/fuzz/verdict.js";
import { clientsFor } from "../../support/clients.js";
import { createCustomerId } from "../../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

// Over the wire, against the real service: what @bufbuild/protobuf's JSON reader lets through and proto3 JSON does
// not (hex, binary and "+" integer strings, duplicate keys, a "__proto__" map key it drops) is refused with
// INVALID_ARGUMENT, a google.rpc.BadRequest violation at the path and an ErrorInfo; valid JSON orders still work.

let service: TestService;
let tenant: TestTenant;
let customerId: string;
let raw: RawClient;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  customerId = await createCustomerId(clientsFor("grpc-http2", service.url, tenant.key));
  raw = new RawClient(service.url, 10_000);
});
afterAll(async () => {
  ifSetUp(raw)?.close();
  await ifSetUp(service)?.shutdown();
});

const CREATE_ORDER = "/orders.v1.OrdersService/CreateOrder";

interface Refusal {
  code: string;
  reason: string | undefined;
  violations: { field: string; reason: string }[];
}

/** A CreateOrder body with one line; `line` and `extra` are spliced in as raw JSON text. */
function orderText(options: { line?: string; extra?: string } = {}): string {
  const line = options.line ?? `"quantity":8`;
  return (
    `{"customerId":"${customerId}","currency":"USD",` +
    `"items":[{"sku":"INJ-6.7-CR","name":"Injector","unitPrice":"289.50",${line}}]${options.extra ?? ""}}`
  );
}

async function connectJson(body: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${service.url}${CREATE_ORDER}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${tenant.key}` },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The Connect error body's details, decoded the way connect-es clients decode them. */
function refusalOfConnect(json: Record<string, unknown>): Refusal {
  const details = (json.details ?? []) as { type: string; value: string }[];
  const info = details.find((d) => d.type === "google.rpc.ErrorInfo");
  const badRequest = details.find((d) => d.type === "google.rpc.BadRequest");
  return {
    code: String(json.code),
    reason: info ? fromBinary(ErrorInfoSchema, Buffer.from(info.value, "base64")).reason : undefined,
    violations: badRequest
      ? fromBinary(BadRequestSchema, Buffer.from(badRequest.value, "base64")).fieldViolations.map((v) => ({
          field: v.field,
          reason: v.reason,
        }))
      : [],
  };
}

async function refusedOverConnect(body: string): Promise<Refusal & { status: number }> {
  const { status, json } = await connectJson(body);
  return { status, ...refusalOfConnect(json) };
}

/** A gRPC or gRPC-Web call with a JSON message; the refusal read from grpc-status-details-bin. */
async function refusedOverGrpc(kind: "grpc" | "grpc-web", body: string): Promise<Refusal> {
  const payload = Buffer.from(body);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(payload.byteLength, 1);
  const result = await raw.send({
    transport: kind === "grpc" ? "h2" : "http1",
    method: "POST",
    path: CREATE_ORDER,
    headers: {
      "content-type": `application/${kind}+json`,
      authorization: `Bearer ${tenant.key}`,
      ...(kind === "grpc" ? { te: "trailers" } : {}),
    },
    body: Buffer.concat([prefix, payload]),
  });
  if (result.kind !== "response") throw new Error(`no response: ${result.kind}`);
  let fields: Record<string, string> = { ...result.response.headers, ...result.response.trailers };
  if (kind === "grpc-web") {
    const trailer = splitEnvelopes(result.response.body).find((e) => (e.flags & 0x80) !== 0);
    fields = Object.fromEntries(
      Buffer.from(trailer?.data ?? [])
        .toString("latin1")
        .split("\r\n")
        .filter((line) => line.includes(":"))
        .map((line) => [
          line.slice(0, line.indexOf(":")).trim().toLowerCase(),
          line.slice(line.indexOf(":") + 1).trim(),
        ]),
    );
  }
  const status = fromBinary(StatusSchema, Buffer.from(fields["grpc-status-details-bin"] ?? "", "base64"));
  const info = status.details.find((d) => d.typeUrl.endsWith("google.rpc.ErrorInfo"));
  const badRequest = status.details.find((d) => d.typeUrl.endsWith("google.rpc.BadRequest"));
  return {
    code: fields["grpc-status"] ?? "",
    reason: info ? fromBinary(ErrorInfoSchema, info.value).reason : undefined,
    violations: badRequest
      ? fromBinary(BadRequestSchema, badRequest.value).fieldViolations.map((v) => ({
          field: v.field,
          reason: v.reason,
        }))
      : [],
  };
}

async function ordersOfTenant(): Promise<number> {
  const rows = await service.orm.em
    .fork()
    .getConnection()
    .execute<{ n: string }[]>("select count(*) as n from orders where tenant_id = ?", [tenant.tenantId]);
  return Number(rows[0]?.n);
}

describe("integer fields given as JSON strings", () => {
  it.each([
    ["hexadecimal", `"0x10"`],
    ["binary", `"0b11"`],
    ["octal", `"0o7"`],
    ["a plus sign", `"+5"`],
    ["a leading zero", `"08"`],
    ["a fraction", `"8.5"`],
    ["a trailing dot", `"8."`],
    ["Infinity", `"Infinity"`],
    ["a digit separator", `"1_0"`],
  ])("%s (%s) is INVALID_ARGUMENT at items[0].quantity, over Connect JSON", async (_name, quantity) => {
    const before = await ordersOfTenant();
    const refusal = await refusedOverConnect(orderText({ line: `"quantity":${quantity}` }));
    expect(refusal).toEqual({
      status: 400,
      code: "invalid_argument",
      reason: "INVALID_ARGUMENT",
      violations: [{ field: "items[0].quantity", reason: "INVALID_JSON_INTEGER" }],
    });
    expect(await ordersOfTenant()).toBe(before);
  });

  it.each(["grpc", "grpc-web"] as const)("are refused the same way over %s with +json", async (kind) => {
    for (const quantity of [`"0x10"`, `"0b11"`, `"+5"`]) {
      expect(await refusedOverGrpc(kind, orderText({ line: `"quantity":${quantity}` }))).toEqual({
        code: "3",
        reason: "INVALID_ARGUMENT",
        violations: [{ field: "items[0].quantity", reason: "INVALID_JSON_INTEGER" }],
      });
    }
  });

  it.each([
    ["a number", `8`, 8],
    ["a decimal string", `"8"`, 8],
    ["an escaped decimal string", `"\\u0038"`, 8],
    ["an integral exponent (proto3 JSON allows it)", `"8e0"`, 8],
    ["an integral fraction (proto3 JSON allows it)", `"8.000"`, 8],
    ["a number with an exponent", `80e-1`, 8],
  ])("%s (%s) still places the order", async (_name, quantity, expected) => {
    const { status, json } = await connectJson(orderText({ line: `"quantity":${quantity}` }));
    expect(status).toBe(200);
    const order = json.order as { items: { quantity: number }[]; total: string };
    expect(order.items[0]?.quantity).toBe(expected);
    expect(order.total).toBe("2316.00");
  });
});

describe("duplicate JSON keys", () => {
  it.each([
    ["a top-level field", orderText({ extra: `,"currency":"EUR"` }), "currency"],
    ["a field inside a list item", orderText({ line: `"quantity":8,"quantity":1` }), "items[0].quantity"],
    [
      "one field under its proto name and its JSON name",
      orderText({ line: `"quantity":8,"unit_price":"1.00"` }),
      "items[0].unit_price",
    ],
    ["a map key", orderText({ extra: `,"metadata":{"source":"web","source":"pos"}` }), `metadata["source"]`],
    [
      "a map key written with an escape",
      orderText({ extra: `,"metadata":{"ab":"1","a\\u0062":"2"}` }),
      `metadata["ab"]`,
    ],
    ["a key of an unknown field", orderText({ extra: `,"x":{"y":1,"y":2}` }), "x.y"],
  ])("in %s is INVALID_ARGUMENT at its path", async (_name, body, field) => {
    const before = await ordersOfTenant();
    expect(await refusedOverConnect(body)).toEqual({
      status: 400,
      code: "invalid_argument",
      reason: "INVALID_ARGUMENT",
      violations: [{ field, reason: "DUPLICATE_JSON_KEY" }],
    });
    expect(await ordersOfTenant()).toBe(before);
  });

  it("of text that is not well-formed UTF-16 is reported over gRPC with its details (grpc-message cannot carry it)", async () => {
    const body = orderText({ extra: `,"x\\ud800":1,"x\\ud800":2` });
    expect(await refusedOverGrpc("grpc", body)).toEqual({
      code: "3",
      reason: "INVALID_ARGUMENT",
      violations: [{ field: "x\ufffd", reason: "DUPLICATE_JSON_KEY" }],
    });
  });

  it("is refused over gRPC with +json too", async () => {
    expect(await refusedOverGrpc("grpc", orderText({ extra: `,"customerId":"${customerId}"` }))).toEqual({
      code: "3",
      reason: "INVALID_ARGUMENT",
      violations: [{ field: "customer_id", reason: "DUPLICATE_JSON_KEY" }],
    });
  });
});

describe('a "__proto__" key', () => {
  it("in metadata is refused, never dropped with a 200", async () => {
    const before = await ordersOfTenant();
    const body = orderText({ extra: `,"metadata":{"__proto__":"x","source":"web"}` });
    expect(await refusedOverConnect(body)).toEqual({
      status: 400,
      code: "invalid_argument",
      reason: "INVALID_ARGUMENT",
      violations: [{ field: `metadata["__proto__"]`, reason: "RESERVED_JSON_KEY" }],
    });
    expect(await ordersOfTenant()).toBe(before);
  });

  it("written with an escape is refused as well", async () => {
    const body = orderText({ extra: `,"metadata":{"__proto\\u005f_":"x"}` });
    expect((await refusedOverConnect(body)).violations).toEqual([
      { field: `metadata["__proto__"]`, reason: "RESERVED_JSON_KEY" },
    ]);
  });

  it("is refused over gRPC-Web with +json too", async () => {
    const body = orderText({ extra: `,"metadata":{"__proto__":"x"}` });
    expect(await refusedOverGrpc("grpc-web", body)).toEqual({
      code: "3",
      reason: "INVALID_ARGUMENT",
      violations: [{ field: `metadata["__proto__"]`, reason: "RESERVED_JSON_KEY" }],
    });
  });

  it("other keys named like Object.prototype members are stored as they are", async () => {
    const { status, json } = await connectJson(
      orderText({ extra: `,"metadata":{"constructor":"a","toString":"b","hasOwnProperty":"c"}` }),
    );
    expect(status).toBe(200);
    expect((json.order as { metadata: Record<string, string> }).metadata).toEqual({
      constructor: "a",
      toString: "b",
      hasOwnProperty: "c",
    });
  });
});

describe("a valid JSON order", () => {
  it("is placed over Connect JSON, with metadata, whitespace and escapes", async () => {
    const before = await ordersOfTenant();
    const body = `{ "customerId" : "${customerId}", "currency":"USD", "channel":"CHANNEL_B2B_PORTAL",
      "metadata": { "source": "web", "sou\\u0072ce2": "pos" },
      "items": [ { "sku":"INJ-6.7-CR", "name":"Injector \\"CR\\"", "quantity": 8, "unitPrice":"289.50" },
                 { "sku":"SEAL-KIT", "name":"Seal kit", "quantity": "3", "unitPrice":"12.3333" } ] }`;
    const { status, json } = await connectJson(body);
    expect(status).toBe(200);
    const order = json.order as { total: string; metadata: Record<string, string> };
    expect(order.total).toBe("2353.00");
    expect(order.metadata).toEqual({ source: "web", source2: "pos" });
    expect(await ordersOfTenant()).toBe(before + 1);
  });

  it("reports several problems of one body in one answer", async () => {
    const body = orderText({
      line: `"quantity":"0x10","quantity":1`,
      extra: `,"metadata":{"__proto__":"x"}`,
    });
    expect((await refusedOverConnect(body)).violations).toEqual([
      { field: "items[0].quantity", reason: "INVALID_JSON_INTEGER" },
      { field: "items[0].quantity", reason: "DUPLICATE_JSON_KEY" },
      { field: `metadata["__proto__"]`, reason: "RESERVED_JSON_KEY" },
    ]);
  });
});
