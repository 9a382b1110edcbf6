import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { NodeHandler } from "../../src/platform/transport/server.js";
import { withStaticFiles } from "../../src/platform/transport/static-files.js";

export interface StaticSite {
  /** e.g. http://127.0.0.1:40123 — an origin other than the service's. */
  origin: string;
  close(): Promise<void>;
}

/** A second, tiny web server that hosts the built console on its own port, as a CDN would. */
export async function serveStaticSite(root: string): Promise<StaticSite> {
  const notFound: NodeHandler = (_req, res) => {
    res.writeHead(404);
    res.end();
  };
  const server = http.createServer(withStaticFiles(notFound, root));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
