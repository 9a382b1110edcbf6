import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { NodeHandler } from "./server.js";

/**
 * Where `npm run build:web` writes the web console (web/vite.config.ts): web/dist beside the package.json above
 * this file, which is src/platform/transport when run from source and dist/service/src/platform/transport when compiled.
 */
export const CONSOLE_DIST_DIR = join(packageRoot(fileURLToPath(new URL(".", import.meta.url))), "web", "dist") + sep;

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/** The few file types a Vite build emits; anything else is sent as bytes. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>Orderspine</title>
<p>The web console is not built. Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it) and reload.</p>`;

/** What the console served here learns from the service (web/src/api-target.ts reads it). */
export interface ConsoleSettings {
  /**
   * Origins of other APIs the console may send the pasted key to when a link names one with `?api=`
   * (CONSOLE_API_ORIGINS); its own origin is always allowed, and nothing else by default.
   */
  apiOrigins: readonly string[];
}

/** Beside index.html; the console fetches it relative to its own address. */
export const CONSOLE_CONFIG_PATH = "/console-config.json";

/**
 * Serves the built web console at `/` on the API's own port. Only GET and HEAD requests for paths
 * that cannot be RPCs reach the files: every RPC path is `/<package>.<Service>/<Method>` (Connect
 * also allows GET for side-effect-free methods), so those and all other methods go to the API.
 * With `settings`, CONSOLE_CONFIG_PATH is answered from them instead of from a file.
 */
export function withStaticFiles(
  handler: NodeHandler,
  root: string = CONSOLE_DIST_DIR,
  settings?: ConsoleSettings,
): NodeHandler {
  const consoleConfig = settings === undefined ? undefined : JSON.stringify({ apiOrigins: settings.apiOrigins });
  return (req, res) => {
    // Calls are POSTs; only GET and HEAD are worth parsing the URL for.
    if (req.method !== "GET" && req.method !== "HEAD") {
      handler(req, res);
      return;
    }
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (isRpcPath(path)) {
      handler(req, res);
      return;
    }
    if (consoleConfig !== undefined && path === CONSOLE_CONFIG_PATH) {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(consoleConfig),
        "cache-control": "no-cache",
        "x-content-type-options": "nosniff",
      });
      res.end(req.method === "HEAD" ? "" : consoleConfig);
      return;
    }
    void serveFile(root, path, req.method === "HEAD").then(
      (file) => {
        if (file === undefined) handler(req, res);
        else {
          res.writeHead(file.status, file.headers);
          res.end(file.body);
        }
      },
      () => handler(req, res),
    );
  };
}

/** `/orders.v1.OrdersService/CreateOrder`: two segments, the first a fully-qualified service name. */
export function isRpcPath(path: string): boolean {
  const segments = path.split("/");
  return segments.length === 3 && (segments[1] ?? "").includes(".");
}

interface StaticFile {
  status: number;
  headers: Record<string, string | number>;
  /** Empty for HEAD; the headers still give the length. */
  body: Buffer | string;
}

/** Undefined when no file answers the path, so the API's own 404 applies. */
async function serveFile(root: string, urlPath: string, headOnly: boolean): Promise<StaticFile | undefined> {
  const relative = urlPath === "/" ? "index.html" : decodeURIComponent(urlPath).replace(/^\/+/, "");
  const filePath = normalize(join(root, relative));
  // `..` and encoded separators must never leave the console's folder.
  if (!filePath.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  const info = await stat(filePath).catch(() => undefined);
  if (!info?.isFile()) {
    if (urlPath !== "/") return undefined;
    return {
      status: 200,
      headers: htmlHeaders(Buffer.byteLength(NOT_BUILT_PAGE)),
      body: headOnly ? "" : NOT_BUILT_PAGE,
    };
  }
  const body = await readFile(filePath);
  const type = CONTENT_TYPES[extname(filePath)] ?? "application/octet-stream";
  // Vite puts a content hash into every name under assets/, so those never change; index.html does.
  const cacheControl = relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
  return {
    status: 200,
    headers: {
      "content-type": type,
      "content-length": body.length,
      "cache-control": cacheControl,
      "x-content-type-options": "nosniff",
    },
    body: headOnly ? "" : body,
  };
}

function htmlHeaders(length: number): Record<string, string | number> {
  return {
    "content-type": CONTENT_TYPES[".html"] ?? "text/html",
    "content-length": length,
    "cache-control": "no-cache",
  };
}
