import http from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeHandler } from "../transport/server.js";
import type { ServiceMetrics } from "./metrics.js";

export const METRICS_PATH = "/metrics";

/** GET (or HEAD) `/metrics` on the API's own port; every other request goes on to `handler`. */
export function withMetricsEndpoint(handler: NodeHandler, metrics: ServiceMetrics): NodeHandler {
  return (req, res) => {
    // Calls are POSTs: one comparison and they are on their way.
    if ((req.method === "GET" || req.method === "HEAD") && isMetricsPath(req.url)) serve(metrics, req, res);
    else handler(req, res);
  };
}

/** A plain HTTP/1.1 listener that serves `/metrics` alone (METRICS_PORT), away from the API's port. */
export interface MetricsServer {
  listen(port: number, host: string): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

export function createMetricsServer(metrics: ServiceMetrics): MetricsServer {
  const server = http.createServer((req, res) => {
    if ((req.method === "GET" || req.method === "HEAD") && isMetricsPath(req.url)) serve(metrics, req, res);
    else {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
      res.end(`not found; metrics are at ${METRICS_PATH}\n`);
    }
  });
  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen({ port, host }, () => {
          server.off("error", reject);
          const bound = (server.address() as AddressInfo).port;
          resolve({ url: `http://${host.includes(":") ? `[${host}]` : host}:${bound}`, port: bound });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function isMetricsPath(url: string | undefined): boolean {
  return url === METRICS_PATH || (url?.startsWith(`${METRICS_PATH}?`) ?? false);
}

function serve(metrics: ServiceMetrics, req: Parameters<NodeHandler>[0], res: Parameters<NodeHandler>[1]): void {
  void metrics.scrape().then(
    (body) => {
      res.writeHead(200, {
        "content-type": metrics.contentType,
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-store",
      });
      res.end(req.method === "HEAD" ? "" : body);
    },
    (err: unknown) => {
      res.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      res.end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
    },
  );
}
