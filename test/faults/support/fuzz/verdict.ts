import { fromBinary, fromJsonString } from "@bufbuild/protobuf";
import { brotliDecompressSync, gunzipSync, inflateSync } from "node:zlib";
import { CreateOrderResponseSchema } from "../../../../gen/orders/v1/orders_service_pb.js";
import type { RawRequest, RawResult, RawResponse } from "./raw-client.js";

/** What one fuzz request got, reduced to what the suite asserts on. */
export interface Verdict {
  /** A short tally key: "connect:invalid_argument", "grpc:3", "http:415", "transport", "timeout", ... */
  label: string;
  /** The service answered INTERNAL, UNKNOWN or DATA_LOSS, or HTTP 500: a bug, whatever the input was. */
  internal: boolean;
  /** No answer in time: the service is stuck on this input. */
  hung: boolean;
  /** The call succeeded. */
  ok: boolean;
  /** For a successful CreateOrder, the id of the order it created (undefined if the answer could not be decoded). */
  orderId?: string;
  /** The error message the service sent (grpc-message or the Connect error's message), for failure reports. */
  message?: string;
}

const INTERNAL_CONNECT_CODES = new Set(["internal", "unknown", "data_loss"]);
const SERVER_STREAM_FAILURE =
  /NGHTTP2_(PROTOCOL_ERROR|INTERNAL_ERROR|FLOW_CONTROL_ERROR|FRAME_SIZE_ERROR|COMPRESSION_ERROR)/;
/** gRPC UNKNOWN, INTERNAL, DATA_LOSS. */
const INTERNAL_GRPC_STATUSES = new Set(["2", "13", "15"]);

export function judge(request: RawRequest, result: RawResult): Verdict {
  switch (result.kind) {
    case "unsendable":
      return { label: "unsendable", internal: false, hung: false, ok: false };
    case "transport-error":
      // A stream the server reset with an error code, not as a refusal (REFUSED_STREAM for an
      // unprocessed stream, ENHANCE_YOUR_CALM for oversized request headers): the call got no status,
      // and gRPC clients report it as INTERNAL.
      return SERVER_STREAM_FAILURE.test(result.error)
        ? { label: "stream-error", internal: true, hung: false, ok: false, message: result.error }
        : { label: "transport", internal: false, hung: false, ok: false };
    case "aborted":
      return { label: "aborted", internal: false, hung: false, ok: false };
    case "timeout":
      return { label: "timeout", internal: false, hung: true, ok: false };
    case "raw": {
      const head = result.reply.subarray(0, 12).toString("latin1");
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1];
      return { label: status ? `raw:${status}` : "raw", internal: status === "500", hung: false, ok: false };
    }
    case "response":
      return judgeResponse(request, result.response);
  }
}

function judgeResponse(request: RawRequest, response: RawResponse): Verdict {
  const contentType = response.headers["content-type"] ?? "";
  const createsOrder = request.path.split("?")[0] === "/orders.v1.OrdersService/CreateOrder";
  if (contentType.startsWith("application/grpc")) {
    const grpcWeb = contentType.startsWith("application/grpc-web");
    const envelopes = grpcWeb || response.status === 200 ? splitEnvelopes(response.body) : [];
    const trailerFrame = envelopes.find((e) => (e.flags & 0x80) !== 0);
    const status =
      response.headers["grpc-status"] ??
      response.trailers["grpc-status"] ??
      (trailerFrame ? parseTrailerFrame(trailerFrame.data)["grpc-status"] : undefined);
    const internal = response.status === 500 || (status !== undefined && INTERNAL_GRPC_STATUSES.has(status));
    if (status === "0") {
      const message = envelopes.find((e) => (e.flags & 0x80) === 0);
      const encoding = response.headers["grpc-encoding"];
      const orderId =
        createsOrder && message
          ? decodeOrderId(inflate(message.data, (message.flags & 1) !== 0 ? encoding : undefined), contentType)
          : undefined;
      return { label: `${grpcWeb ? "grpc-web" : "grpc"}:0`, internal, hung: false, ok: true, orderId };
    }
    const message =
      response.headers["grpc-message"] ??
      response.trailers["grpc-message"] ??
      (trailerFrame ? parseTrailerFrame(trailerFrame.data)["grpc-message"] : undefined);
    return {
      label: `${grpcWeb ? "grpc-web" : "grpc"}:${status ?? `http-${response.status}`}`,
      internal,
      hung: false,
      ok: false,
      message: message === undefined ? undefined : safeDecode(message),
    };
  }
  if (response.status === 200) {
    const body = inflate(response.body, response.headers["content-encoding"]);
    return {
      label: "connect:ok",
      internal: false,
      hung: false,
      ok: true,
      orderId: createsOrder ? decodeOrderId(body, contentType) : undefined,
    };
  }
  const { code, message } = connectError(response);
  return {
    label: code ? `connect:${code}` : `http:${response.status}`,
    internal: response.status === 500 || (code !== undefined && INTERNAL_CONNECT_CODES.has(code)),
    hung: false,
    ok: false,
    message,
  };
}

function connectError(response: RawResponse): { code?: string; message?: string } {
  if (!(response.headers["content-type"] ?? "").startsWith("application/json")) return {};
  try {
    const parsed: unknown = JSON.parse(inflate(response.body, response.headers["content-encoding"]).toString("utf8"));
    if (typeof parsed !== "object" || parsed === null) return {};
    return {
      code: "code" in parsed && typeof parsed.code === "string" ? parsed.code : undefined,
      message: "message" in parsed && typeof parsed.message === "string" ? parsed.message : undefined,
    };
  } catch {
    return { code: "unparseable-error-body" };
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function decodeOrderId(body: Uint8Array, contentType: string): string | undefined {
  try {
    const response = contentType.includes("json")
      ? fromJsonString(CreateOrderResponseSchema, Buffer.from(body).toString("utf8"), { ignoreUnknownFields: true })
      : fromBinary(CreateOrderResponseSchema, body);
    return response.order?.id || undefined;
  } catch {
    return undefined;
  }
}

/** The body without its content coding; empty when it does not decompress (the decode then fails visibly). */
function inflate(body: Uint8Array, encoding: string | undefined): Buffer {
  const bytes = Buffer.from(body);
  try {
    switch (encoding) {
      case "gzip":
        return gunzipSync(bytes);
      case "br":
        return brotliDecompressSync(bytes);
      case "deflate":
        return inflateSync(bytes);
      default:
        return bytes;
    }
  } catch {
    return Buffer.alloc(0);
  }
}

interface Envelope {
  flags: number;
  data: Buffer;
}

/** gRPC length-prefixed messages: 1 flag byte, 4 bytes big-endian length, then the data. */
export function splitEnvelopes(body: Buffer): Envelope[] {
  const out: Envelope[] = [];
  for (let offset = 0; offset + 5 <= body.length;) {
    const flags = body[offset] ?? 0;
    const length = body.readUInt32BE(offset + 1);
    out.push({ flags, data: body.subarray(offset + 5, offset + 5 + length) });
    offset += 5 + length;
  }
  return out;
}

function parseTrailerFrame(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of data.toString("latin1").split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) out[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return out;
}
