import http from "node:http";
import http2 from "node:http2";
import { connect as tcpConnect } from "node:net";

/**
 * A request exactly as the fuzzer wants it on the wire. Sent with node:http / node:http2 (or a bare
 * socket), never through an RPC client, so a malformed body or frame arrives malformed.
 */
export interface RawRequest {
  transport: "http1" | "h2" | "tcp";
  method: string;
  path: string;
  /** Lower-case names. Multiple values of one header are joined by ", " on HTTP/1.1. */
  headers: Record<string, string>;
  body: Uint8Array;
  /** Write only this many body bytes, then reset: a request the server never sees the end of. */
  abortAfterBytes?: number;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  trailers: Record<string, string>;
  body: Buffer;
}

export type RawResult =
  | { kind: "response"; response: RawResponse }
  /** The client library would not put this on the wire (e.g. a header value with a control character). */
  | { kind: "unsendable"; error: string }
  /** The connection or stream ended without a complete response (reset, GOAWAY, socket closed). */
  | { kind: "transport-error"; error: string }
  /** We aborted the request on purpose (abortAfterBytes). */
  | { kind: "aborted" }
  /** No answer within the time limit: the server is stuck on this input. */
  | { kind: "timeout" }
  /** What a raw socket got back (transport "tcp"). */
  | { kind: "raw"; reply: Buffer };

const RESPONSE_LIMIT_BYTES = 16 * 1024 * 1024;

/** Sends raw requests to one Orderspine port over keep-alive HTTP/1.1 and a few h2c sessions. */
export class RawClient {
  readonly #url: URL;
  readonly #agent: http.Agent;
  readonly #sessions: (http2.ClientHttp2Session | null)[];
  #next = 0;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 15_000,
    h2Sessions = 4,
    /** How long a raw socket waits for what the server sends back before closing it. */
    private readonly rawReplyMs = 500,
  ) {
    this.#url = new URL(baseUrl);
    this.#agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    this.#sessions = Array.from({ length: h2Sessions }, () => null);
  }

  send(request: RawRequest): Promise<RawResult> {
    switch (request.transport) {
      case "http1":
        return this.#http1(request);
      case "h2":
        return this.#h2(request);
      case "tcp":
        return this.#tcp(request.body);
    }
  }

  close(): void {
    this.#agent.destroy();
    for (const session of this.#sessions) session?.destroy();
  }

  #http1(request: RawRequest): Promise<RawResult> {
    return new Promise((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (result: RawResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      let req: http.ClientRequest;
      try {
        req = http.request({
          host: this.#url.hostname,
          port: this.#url.port,
          method: request.method,
          path: request.path,
          headers: { ...request.headers, "content-length": String(request.body.byteLength) },
          agent: this.#agent,
        });
      } catch (error) {
        settle({ kind: "unsendable", error: describe(error) });
        return;
      }
      timer = setTimeout(() => {
        settle({ kind: "timeout" });
        req.destroy();
      }, this.timeoutMs);
      req.on("error", (error) =>
        settle(
          request.abortAfterBytes !== undefined
            ? { kind: "aborted" }
            : { kind: "transport-error", error: describe(error) },
        ),
      );
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size <= RESPONSE_LIMIT_BYTES) chunks.push(chunk);
        });
        res.on("error", (error) => settle({ kind: "transport-error", error: describe(error) }));
        res.on("end", () =>
          settle({
            kind: "response",
            response: {
              status: res.statusCode ?? 0,
              headers: flatten(res.headers),
              trailers: flatten(res.trailers),
              body: Buffer.concat(chunks),
            },
          }),
        );
      });
      if (request.abortAfterBytes !== undefined) {
        req.write(request.body.subarray(0, request.abortAfterBytes), () => {
          req.destroy();
          settle({ kind: "aborted" });
        });
        return;
      }
      req.end(request.body);
    });
  }

  #session(): http2.ClientHttp2Session {
    const slot = this.#next++ % this.#sessions.length;
    const existing = this.#sessions[slot];
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const session = http2.connect(this.#url.origin);
    // A session the server tears down (GOAWAY after a protocol error) is replaced on the next request.
    session.on("error", () => undefined);
    session.on("close", () => {
      if (this.#sessions[slot] === session) this.#sessions[slot] = null;
    });
    session.on("goaway", () => {
      if (this.#sessions[slot] === session) this.#sessions[slot] = null;
    });
    this.#sessions[slot] = session;
    return session;
  }

  #h2(request: RawRequest): Promise<RawResult> {
    return new Promise((resolve) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const settle = (result: RawResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      let stream: http2.ClientHttp2Stream;
      try {
        stream = this.#session().request(
          { ":method": request.method, ":path": request.path, ...request.headers },
          { endStream: false },
        );
      } catch (error) {
        settle({ kind: "unsendable", error: describe(error) });
        return;
      }
      timer = setTimeout(() => {
        settle({ kind: "timeout" });
        stream.close(http2.constants.NGHTTP2_CANCEL);
      }, this.timeoutMs);
      let status = 0;
      let headers: Record<string, string> = {};
      let trailers: Record<string, string> = {};
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on("response", (h) => {
        status = h[":status"] ?? 0;
        headers = flatten(h);
      });
      stream.on("trailers", (t: http2.IncomingHttpHeaders) => (trailers = flatten(t)));
      stream.on("data", (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size <= RESPONSE_LIMIT_BYTES) chunks.push(chunk);
      });
      stream.on("error", (error) =>
        settle(
          request.abortAfterBytes !== undefined
            ? { kind: "aborted" }
            : { kind: "transport-error", error: describe(error) },
        ),
      );
      // The response is complete at END_STREAM, even if the server stopped reading our body early (an
      // oversized request): then, like gRPC clients do, we cancel our half of the stream.
      stream.on("end", () => {
        if (status === 0) return;
        settle({ kind: "response", response: { status, headers, trailers, body: Buffer.concat(chunks) } });
        if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
      });
      stream.on("close", () => {
        if (status === 0) {
          settle({ kind: "transport-error", error: `stream closed with code ${stream.rstCode} before a response` });
          return;
        }
        settle({ kind: "response", response: { status, headers, trailers, body: Buffer.concat(chunks) } });
      });
      if (request.abortAfterBytes !== undefined) {
        stream.write(request.body.subarray(0, request.abortAfterBytes), () => {
          // destroy(), not close(): close() ends the stream (END_STREAM) before resetting it, which
          // makes the bytes sent so far a complete request the server rightly processes.
          stream.destroy();
          settle({ kind: "aborted" });
        });
        return;
      }
      stream.end(request.body);
    });
  }

  /**
   * Writes raw bytes to a fresh connection, without closing our side (a half-close alone would make
   * the server drop the connection unread), and collects what comes back until the server closes.
   */
  #tcp(bytes: Uint8Array): Promise<RawResult> {
    return new Promise((resolve) => {
      const socket = tcpConnect({ host: this.#url.hostname, port: Number(this.#url.port) });
      const chunks: Buffer[] = [];
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        socket.destroy();
        resolve({ kind: "raw", reply: Buffer.concat(chunks) });
      };
      const timer = setTimeout(finish, this.rawReplyMs);
      socket.on("data", (chunk: Buffer) => chunks.push(chunk));
      socket.on("error", finish);
      socket.on("close", finish);
      socket.on("connect", () => socket.write(bytes));
    });
  }
}

function flatten(
  headers:
    | http.IncomingHttpHeaders
    | (http2.IncomingHttpHeaders & http2.IncomingHttpStatusHeader)
    | NodeJS.Dict<string | string[]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  // HTTP/2 response headers carry `:status` as a number.
  for (const [name, value] of Object.entries<string | string[] | number | undefined>(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : String(value);
  }
  return out;
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${(error as NodeJS.ErrnoException).code ?? error.name}: ${error.message}`;
  return String(error);
}
