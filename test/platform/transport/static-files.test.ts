import { once } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeHandler } from "../../../src/platform/transport/server.js";
import { CONSOLE_CONFIG_PATH, isRpcPath, withStaticFiles } from "../../../src/platform/transport/static-files.js";
import { ifSetUp } from "../../support/set-up.js";

/** Stands in for the Connect handler: answers 404 with a marker, so a test sees who answered. */
const api: NodeHandler = (req, res) => {
  res.writeHead(404, { "x-answered-by": "api" });
  res.end(`${req.method} ${req.url}`);
};

async function serve(handler: NodeHandler): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let root: string;
let site: { url: string; close: () => Promise<void> };
let unbuilt: { url: string; close: () => Promise<void> };
let configured: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "orderspine-static-"));
  await mkdir(join(root, "assets"));
  await writeFile(join(root, "index.html"), "<!doctype html><title>console</title>");
  await writeFile(join(root, "assets", "index-abc123.js"), "console.log(1)");
  await writeFile(join(tmpdir(), "orderspine-static-secret.txt"), "secret");
  site = await serve(withStaticFiles(api, root));
  unbuilt = await serve(withStaticFiles(api, join(root, "missing")));
  // A file of that name in the folder (as a static host would have) must not win over the service's settings.
  await writeFile(join(root, "console-config.json"), `{"apiOrigins":["https://from-a-file.example"]}`);
  configured = await serve(withStaticFiles(api, root, { apiOrigins: ["https://orders.example"] }));
});
afterAll(async () => {
  await ifSetUp(site)?.close();
  await ifSetUp(unbuilt)?.close();
  await ifSetUp(configured)?.close();
  await rm(root, { recursive: true, force: true });
  await rm(join(tmpdir(), "orderspine-static-secret.txt"), { force: true });
});

describe("withStaticFiles", () => {
  it("serves index.html at / without long caching", async () => {
    const response = await fetch(`${site.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(await response.text()).toContain("<title>console</title>");
  });

  it("serves hashed assets as immutable, with their type", async () => {
    const response = await fetch(`${site.url}/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(response.headers.get("cache-control")).toContain("immutable");
    expect(await response.text()).toBe("console.log(1)");
  });

  it("answers HEAD with headers only", async () => {
    const response = await fetch(`${site.url}/`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get("content-length"))).toBeGreaterThan(0);
    expect(await response.text()).toBe("");
  });

  it.each([
    ["an RPC path, even over GET", "GET", "/orders.v1.OrdersService/GetOrder?message=e30"],
    ["a POST to /", "POST", "/"],
    ["an OPTIONS preflight", "OPTIONS", "/orders.v1.OrdersService/CreateOrder"],
    ["a file that does not exist", "GET", "/nothing-here.js"],
    ["an encoded path out of the folder", "GET", "/..%2forderspine-static-secret.txt"],
    ["a malformed escape", "GET", "/%E0%A4%A"],
  ])("leaves %s to the API", async (_name, method, path) => {
    const response = await fetch(`${site.url}${path}`, { method });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-answered-by")).toBe("api");
  });

  it("says how to build the console when it is not built", async () => {
    const response = await fetch(`${unbuilt.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("npm run build:web");
    expect((await fetch(`${unbuilt.url}/assets/index-abc123.js`)).headers.get("x-answered-by")).toBe("api");
  });
});

describe("the console's settings (CONSOLE_API_ORIGINS)", () => {
  it("are served at console-config.json beside index.html, never cached", async () => {
    const response = await fetch(`${configured.url}${CONSOLE_CONFIG_PATH}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(await response.json()).toEqual({ apiOrigins: ["https://orders.example"] });
    expect(await (await fetch(`${configured.url}${CONSOLE_CONFIG_PATH}`, { method: "HEAD" })).text()).toBe("");
  });

  it("come from the folder when no settings are given, as on any static host", async () => {
    expect(await (await fetch(`${site.url}${CONSOLE_CONFIG_PATH}`)).json()).toEqual({
      apiOrigins: ["https://from-a-file.example"],
    });
  });
});

describe("isRpcPath", () => {
  it.each([
    ["/orders.v1.OrdersService/CreateOrder", true],
    ["/grpc.health.v1.Health/Check", true],
    ["/", false],
    ["/index.html", false],
    ["/assets/index-abc123.js", false],
  ])("%s → %s", (path, expected) => {
    expect(isRpcPath(path)).toBe(expected);
  });
});
