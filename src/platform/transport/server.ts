import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import { Code } from "@connectrpc/connect";
import type { connectNodeAdapter } from "@connectrpc/connect-node";
import type { Logger } from "pino";
import { useBufferTextEncoding } from "./text-encoding.js";

/** The request listener connectNodeAdapter returns; it serves HTTP/1.1 and HTTP/2 requests alike. */
export type NodeHandler = ReturnType<typeof connectNodeAdapter>;

export interface ServerOptions {
  handler: NodeHandler;
  logger: Pick<Logger, "info" | "warn" | "debug">;
  /**
   * Largest request header block accepted, in bytes (HTTP/1.1 request head; HTTP/2 header list as
   * counted by RFC 7540: name + value + 32 per field). gRPC metadata travels here.
   */
  maxHeaderBytes?: number;
  tuning?: Partial<ServerTuning>;
}

export interface OrderspineServer {
  /** Binds the one port that serves HTTP/1.1 and cleartext HTTP/2. Port 0 picks a free port. */
  listen(port: number, host: string): Promise<{ url: string; port: number }>;
  /**
   * Stops accepting connections, sends GOAWAY to every HTTP/2 session, closes idle HTTP/1.1
   * connections, lets in-flight calls finish for up to graceMs, then destroys what is left.
   */
  shutdown(graceMs: number): Promise<void>;
}

/** Clients speaking HTTP/2 without TLS ("prior knowledge", as gRPC clients do) open with this. */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

/** Connection limits and timeouts; the defaults suit a service behind a load balancer. */
export interface ServerTuning {
  /** A client that connects and sends nothing is not allowed to hold a socket for long. */
  prefaceTimeoutMs: number;
  /** Idle HTTP/1.1 keep-alive connections and idle HTTP/2 sessions close after this. */
  keepAliveTimeoutMs: number;
  /** Time a client gets to send a whole HTTP/1.1 request head (slow-loris bound). */
  headersTimeoutMs: number;
  /** Time a client gets to send a whole HTTP/1.1 request. */
  requestTimeoutMs: number;
  maxConcurrentStreams: number;
  /** HTTP/2 flow-control window per stream and per connection. */
  streamWindowBytes: number;
  sessionWindowBytes: number;
  /** Memory one HTTP/2 session may buffer before Node refuses new streams on it. */
  sessionMemoryMb: number;
}

export const DEFAULT_TUNING: Readonly<ServerTuning> = {
  prefaceTimeoutMs: 10_000,
  // Longer than the 60 s idle timeout of common load balancers, so the proxy closes first and
  // never sends a request on a connection we are closing at that very moment.
  keepAliveTimeoutMs: 65_000,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 300_000,
  // Node's default is unlimited concurrent streams; bound what one client can start at once.
  maxConcurrentStreams: 256,
  // The HTTP/2 default window (64 KiB) throttles streaming calls on any link with latency.
  streamWindowBytes: 1024 * 1024,
  sessionWindowBytes: 8 * 1024 * 1024,
  sessionMemoryMb: 32,
};

/**
 * One port, two protocols. Node's `allowHTTP1` exists only for TLS servers (it relies on ALPN),
 * so for cleartext we read the first bytes of each connection: the HTTP/2 preface goes to an
 * http2 server, anything else to the http1 server. The http1 server owns the listening socket
 * because Node starts its connection tracking (headers timeout, closeIdleConnections) only for a
 * server that is itself listening.
 */
export function createServer(options: ServerOptions): OrderspineServer {
  const { handler, logger } = options;
  useBufferTextEncoding();
  const maxHeaderBytes = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  const tuning = { ...DEFAULT_TUNING, ...options.tuning };
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  const http1Responses = new Set<http.ServerResponse>();
  let closing = false;

  const h2 = http2.createServer(
    {
      // Once a client has acknowledged these settings, Node answers a header list over the limit
      // with RST_STREAM(ENHANCE_YOUR_CALM) for that one stream (gRPC clients report
      // RESOURCE_EXHAUSTED) and the session carries on. Requests sent before the acknowledgement
      // are held only to nghttp2's 64 KiB default, so the handler below checks them itself.
      settings: {
        maxConcurrentStreams: tuning.maxConcurrentStreams,
        initialWindowSize: tuning.streamWindowBytes,
        maxHeaderListSize: maxHeaderBytes,
      },
      maxSessionMemory: tuning.sessionMemoryMb,
    },
    (req, res) => {
      if (headerListSize(req.rawHeaders) > maxHeaderBytes) refuseOversizedHeaders(req, res, maxHeaderBytes);
      else handler(req, res);
    },
  );
  h2.on("session", (session: http2.ServerHttp2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    session.setLocalWindowSize(tuning.sessionWindowBytes);
    // An idle session closes like an idle HTTP/1.1 keep-alive connection. Without it a client that
    // opens sessions and never closes them holds them, and the request bodies buffered in their
    // stalled streams, for ever (a 1,000,000-input fuzz run's heap snapshot: 959 live sessions
    // holding 150 MB of unread request data); a session whose streams still do not finish after
    // GOAWAY is destroyed after another such period.
    session.setTimeout(tuning.keepAliveTimeoutMs, () => {
      session.close();
      setTimeout(() => session.destroy(), tuning.keepAliveTimeoutMs).unref();
    });
    if (closing) session.close();
  });
  h2.on("sessionError", (error: Error) => logger.debug({ err: error }, "http2 session error"));

  const h1 = http.createServer(
    // TCP keep-alive (for both protocols: every socket is accepted here) finds peers that vanished.
    { maxHeaderSize: maxHeaderBytes, keepAlive: true, keepAliveInitialDelay: 60_000, noDelay: true },
    (req, res) => {
      // During shutdown every response ends its connection, so clients reconnect elsewhere.
      if (closing) res.setHeader("connection", "close");
      closeIfBodyUnread(req, res);
      http1Responses.add(res);
      res.once("close", () => {
        http1Responses.delete(res);
        if (closing) setImmediate(() => h1.closeIdleConnections());
      });
      handler(req, res);
    },
  );
  h1.keepAliveTimeout = tuning.keepAliveTimeoutMs;
  h1.headersTimeout = tuning.headersTimeoutMs;
  h1.requestTimeout = tuning.requestTimeoutMs;

  const http1ConnectionListeners = h1.listeners("connection") as ((socket: Socket) => void)[];
  h1.removeAllListeners("connection");
  h1.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    routeByPreface(socket, tuning.prefaceTimeoutMs, (protocol) => {
      if (protocol === "h2") {
        h2.emit("connection", socket);
        return;
      }
      for (const listener of http1ConnectionListeners) listener.call(h1, socket);
      // The http1 parser reads straight from the socket handle; the bytes we put back into the
      // stream's buffer reach it only as a 'data' event, which needs the stream flowing again.
      socket.resume();
    });
  });

  let stopped: Promise<void> | undefined;
  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        h1.once("error", reject);
        h1.listen({ port, host }, () => {
          h1.off("error", reject);
          const bound = (h1.address() as AddressInfo).port;
          const urlHost = host.includes(":") ? `[${host}]` : host;
          logger.info({ host, port: bound }, "listening for HTTP/1.1 and h2c");
          resolve({ url: `http://${urlHost}:${bound}`, port: bound });
        });
      });
    },
    shutdown(graceMs) {
      stopped ??= (async () => {
        closing = true;
        // close() stops accepting at once and calls back when every accepted socket is gone;
        // it also closes the HTTP/1.1 connections that are idle right now.
        const drained = new Promise<void>((resolve) => h1.close(() => resolve()));
        for (const session of sessions) session.close();
        for (const res of http1Responses) if (!res.headersSent) res.setHeader("connection", "close");
        let timer: NodeJS.Timeout | undefined;
        const expired = new Promise<"expired">((resolve) => (timer = setTimeout(resolve, graceMs, "expired")));
        const outcome = await Promise.race([drained, expired]);
        clearTimeout(timer);
        if (outcome === "expired") {
          logger.warn(
            { sessions: sessions.size, http1Requests: http1Responses.size, sockets: sockets.size },
            "shutdown grace expired, destroying open connections",
          );
          for (const session of sessions) session.destroy();
          for (const socket of sockets) socket.destroy();
          await drained;
        }
        logger.info("server stopped");
      })();
      return stopped;
    },
  };
}

/**
 * A response that starts before its request body was read in full (a body over the size limit is
 * refused after its first bytes) must end the HTTP/1.1 connection: otherwise the server stops
 * reading, a client still uploading blocks, and neither side finishes. Node has no hook between
 * "headers decided" and "headers written", so writeHead is wrapped.
 */
function closeIfBodyUnread(req: http.IncomingMessage, res: http.ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    if (!req.complete) res.setHeader("connection", "close");
    return writeHead(...args);
  };
}

/** The size of a header list as HTTP/2 counts it (RFC 7540 §6.5.2): name + value + 32 per field. */
function headerListSize(rawHeaders: readonly string[]): number {
  let size = 0;
  for (const field of rawHeaders) size += Buffer.byteLength(field);
  return size + (rawHeaders.length / 2) * 32;
}

/** A refusal each protocol's clients understand: grpc-status for gRPC, a Connect error otherwise. */
function refuseOversizedHeaders(req: http2.Http2ServerRequest, res: http2.Http2ServerResponse, limit: number): void {
  const message = `request headers exceed the ${limit}-byte limit`;
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.startsWith("application/grpc")) {
    // A "trailers-only" response: the call's status travels in the only HEADERS frame.
    res.writeHead(200, {
      "content-type": contentType,
      "grpc-status": String(Code.ResourceExhausted),
      "grpc-message": encodeURIComponent(message),
    });
    res.end();
    return;
  }
  res.writeHead(431, { "content-type": "application/json" });
  res.end(JSON.stringify({ code: "resource_exhausted", message }));
}

/**
 * Reads until the bytes seen either differ from the HTTP/2 preface or contain all of it, puts them
 * back, and tells which protocol the connection speaks. A first packet can be shorter than the
 * 24-byte preface, so a partial match waits for more.
 */
function routeByPreface(socket: Socket, timeoutMs: number, route: (protocol: "h2" | "http1") => void): void {
  let seen: Buffer = Buffer.alloc(0);
  const stopWatching = () => {
    socket.off("data", onData);
    socket.off("error", giveUp);
    socket.off("end", giveUp);
    socket.off("timeout", giveUp);
    socket.setTimeout(0);
  };
  const giveUp = () => {
    stopWatching();
    socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const compared = Math.min(seen.length, HTTP2_PREFACE.length);
    const prefaceSoFar = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
    if (prefaceSoFar && seen.length < HTTP2_PREFACE.length) return;
    stopWatching();
    socket.pause();
    socket.unshift(seen);
    route(prefaceSoFar ? "h2" : "http1");
  };
  socket.on("data", onData);
  socket.on("error", giveUp);
  socket.on("end", giveUp);
  socket.on("timeout", giveUp);
  socket.setTimeout(timeoutMs);
}
