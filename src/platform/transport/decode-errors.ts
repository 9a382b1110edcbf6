import { Code, type ConnectRouter } from "@connectrpc/connect";
import {
  encodeEnvelope,
  type UniversalHandler,
  type UniversalServerRequest,
  type UniversalServerResponse,
} from "@connectrpc/connect/protocol";
import { withStrictJson } from "./strict-json.js";

/**
 * connect-es 2.1.1 answers a request body it cannot decode with INTERNAL — the code that tells a
 * client "the server has a bug" — for three kinds of client mistakes: malformed protobuf bytes
 * ("parse binary: ..."), a compressed body that does not decompress ("decompression failed"), and a
 * gRPC message flagged compressed without a grpc-encoding. connect-go answers the same inputs with
 * INVALID_ARGUMENT, and so do we. The request is decoded before any interceptor runs, so the errors
 * interceptor never sees these; they are corrected on the response instead, in each protocol's own
 * encoding. The messages are connect-es' own; test/transport/decode-errors.test.ts sends each input
 * so an upgrade that rewords them fails there, not silently in production.
 */
const REQUEST_DECODE_FAILURES: readonly RegExp[] = [
  /^parse binary: /,
  /^decompression failed$/,
  /^received compressed envelope, but do not know how to decompress$/,
];

export function isRequestDecodeFailure(message: string): boolean {
  return REQUEST_DECODE_FAILURES.some((pattern) => pattern.test(message));
}

/**
 * Wraps a `routes` callback of connectNodeAdapter: registers the routes with strict JSON decoding
 * (strict-json.ts: JSON that proto3 JSON does not allow, or that @bufbuild/protobuf would read into
 * something other than what was sent, is refused as INVALID_ARGUMENT), then makes every handler answer
 * request decoding failures with INVALID_ARGUMENT instead of INTERNAL.
 */
export function withDecodeFailuresAsInvalidArgument(
  register: (router: ConnectRouter) => void,
): (router: ConnectRouter) => void {
  return (router) => {
    withStrictJson(register)(router);
    router.handlers.forEach((handler, index) => {
      router.handlers[index] = reclassifying(handler);
    });
  };
}

function reclassifying(handler: UniversalHandler): UniversalHandler {
  const unary = handler.method.methodKind === "unary";
  const wrapped = async (request: UniversalServerRequest): Promise<UniversalServerResponse> => {
    let response: UniversalServerResponse;
    try {
      response = await handler(request);
    } catch (error) {
      const refusal = error instanceof URIError ? undecodableMessage(request) : undefined;
      if (refusal === undefined) throw error;
      return refusal;
    }
    const contentType = response.header?.get("content-type") ?? "";
    if (contentType.startsWith("application/grpc-web"))
      return { ...response, body: mapChunks(response.body, grpcWebTrailerFrame) };
    if (contentType.startsWith("application/grpc")) return grpcTrailers(response, unary);
    if (contentType.startsWith("application/connect+"))
      return { ...response, body: mapChunks(response.body, connectEndStream) };
    return connectUnary(response);
  };
  return Object.assign(wrapped, {
    protocolNames: handler.protocolNames,
    service: handler.service,
    method: handler.method,
    requestPath: handler.requestPath,
    allowedMethods: handler.allowedMethods,
    supportedContentType: handler.supportedContentType,
  });
}

/**
 * connect-es 2.1.1 percent-encodes grpc-message with encodeURIComponent, which throws URIError on a
 * message holding half of a surrogate pair — and V8's JSON.parse error quotes the start of the body
 * cut at a UTF-16 boundary, so a gRPC JSON body beginning with "𝕏" produces exactly that. The
 * handler then rejects without answering and connect-node leaves the call open until the client
 * gives up. Only the decoding of a client's message can get there (our own errors never quote
 * client text; INTERNAL ones say just "internal error"), so it is answered INVALID_ARGUMENT here.
 */
function undecodableMessage(request: UniversalServerRequest): UniversalServerResponse | undefined {
  const contentType = request.header.get("content-type") ?? "";
  const message = encodeURIComponent("invalid request: the request message could not be decoded");
  const status = String(Code.InvalidArgument);
  if (contentType.startsWith("application/grpc-web")) {
    const trailer = Buffer.from(`grpc-status: ${status}\r\ngrpc-message: ${message}\r\n`, "latin1");
    return {
      status: 200,
      header: new Headers({ "content-type": contentType }),
      body: single(encodeEnvelope(0x80, trailer)),
    };
  }
  if (contentType.startsWith("application/grpc")) {
    return {
      status: 200,
      header: new Headers({ "content-type": contentType }),
      trailer: new Headers({ "grpc-status": status, "grpc-message": message }),
    };
  }
  return undefined;
}

/**
 * gRPC: the status travels in HTTP trailers. A unary call decodes its one request before it answers,
 * so its trailers are final when the handler returns; a streaming call's are once its body is read.
 */
function grpcTrailers(response: UniversalServerResponse, unary: boolean): UniversalServerResponse {
  const { trailer } = response;
  if (trailer === undefined) return response;
  const fix = (): void => {
    const message = safeDecodeURIComponent(trailer.get("grpc-message") ?? "");
    if (trailer.get("grpc-status") === String(Code.Internal) && isRequestDecodeFailure(message)) {
      trailer.set("grpc-status", String(Code.InvalidArgument));
    }
  };
  if (unary) {
    fix();
    return response;
  }
  return { ...response, body: afterLast(response.body, fix) };
}

/** gRPC-Web: the status travels in a final length-prefixed frame with flag 0x80 and HTTP/1-style header lines. */
function grpcWebTrailerFrame(chunk: Uint8Array): Uint8Array {
  if (chunk.byteLength < 5 || ((chunk[0] ?? 0) & 0x80) === 0) return chunk;
  const text = Buffer.from(chunk.subarray(5)).toString("latin1");
  const message = safeDecodeURIComponent(/^grpc-message: ?(.*)$/m.exec(text)?.[1]?.trim() ?? "");
  if (!/^grpc-status: ?13\r?$/m.test(text) || !isRequestDecodeFailure(message)) return chunk;
  const fixed = text.replace(/^grpc-status: ?13(\r?)$/m, `grpc-status: ${Code.InvalidArgument}$1`);
  return encodeEnvelope(chunk[0] ?? 0x80, Buffer.from(fixed, "latin1"));
}

/** Connect streaming: the error travels in an end-of-stream frame (flag 0x02) holding JSON. */
function connectEndStream(chunk: Uint8Array): Uint8Array {
  if (chunk.byteLength < 5 || ((chunk[0] ?? 0) & 0x02) === 0) return chunk;
  const endStream = parseJson(chunk.subarray(5));
  if (!isRecord(endStream)) return chunk;
  const error = endStream.error;
  if (!isRecord(error) || !isDecodeFailureJson(error)) return chunk;
  const fixed = { ...endStream, error: { ...error, code: "invalid_argument" } };
  return encodeEnvelope(chunk[0] ?? 0x02, Buffer.from(JSON.stringify(fixed)));
}

/** Connect unary: the error is the whole JSON body of an HTTP 500 (never compressed: error bodies are tiny). */
async function connectUnary(response: UniversalServerResponse): Promise<UniversalServerResponse> {
  if (response.status !== 500 || response.body === undefined || response.header?.has("content-encoding"))
    return response;
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  const error = parseJson(bytes);
  if (!isRecord(error) || !isDecodeFailureJson(error)) return { ...response, body: single(bytes) };
  const fixed = Buffer.from(JSON.stringify({ ...error, code: "invalid_argument" }));
  const header = new Headers(response.header);
  header.set("content-length", String(fixed.byteLength));
  // Connect's HTTP status for invalid_argument.
  return { ...response, status: 400, header, body: single(fixed) };
}

function isDecodeFailureJson(error: Record<string, unknown>): boolean {
  return error.code === "internal" && typeof error.message === "string" && isRequestDecodeFailure(error.message);
}

async function* mapChunks(
  body: AsyncIterable<Uint8Array> | undefined,
  map: (chunk: Uint8Array) => Uint8Array,
): AsyncIterable<Uint8Array> {
  if (body === undefined) return;
  for await (const chunk of body) yield map(chunk);
}

async function* afterLast(body: AsyncIterable<Uint8Array> | undefined, done: () => void): AsyncIterable<Uint8Array> {
  if (body !== undefined) yield* body;
  done();
}

// eslint-disable-next-line @typescript-eslint/require-await -- a body is an AsyncIterable; one chunk has nothing to await
async function* single(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function safeDecodeURIComponent(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
