import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { corsOrigins, loadConfig } from "../../../src/platform/config/config.js";
import { startTestService, type TestService } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

// CORS is closed unless the deployment opens it: a service that holds bearer keys lets no other origin's pages call
// it by default (CORS_ORIGINS lists the origins, or "*" says any). The CORS middleware itself is tested in
// server.test.ts; here, the setting and the service as app.ts wires it, and the console's own origin list.

describe("CORS_ORIGINS", () => {
  it("is none when unset or empty", () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: "" }).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: " , " }).corsOrigins).toEqual([]);
  });

  it('is any origin only when it says "*"', () => {
    expect(loadConfig({ CORS_ORIGINS: "*" }).corsOrigins).toBe("*");
    expect(corsOrigins("https://shop.example, *")).toBe("*");
  });

  it("lists origins, trimmed", () => {
    expect(corsOrigins(" https://shop.example ,http://localhost:5173")).toEqual([
      "https://shop.example",
      "http://localhost:5173",
    ]);
  });

  it.each(["https://shop.example/", "https://shop.example/app", "shop.example", "https://Shop.example", "null"])(
    "refuses %s, which no browser's Origin would ever match",
    (entry) => {
      expect(() => corsOrigins(entry)).toThrow(/CORS_ORIGINS entries must be origins/);
    },
  );
});

describe("CONSOLE_API_ORIGINS", () => {
  it("lists no other API for the console by default, and only origins as browsers write them", () => {
    expect(loadConfig({}).consoleApiOrigins).toEqual([]);
    expect(
      loadConfig({ CONSOLE_API_ORIGINS: "https://orders.example, http://localhost:8081" }).consoleApiOrigins,
    ).toEqual(["https://orders.example", "http://localhost:8081"]);
    for (const entry of ["*", "https://orders.example/", "orders.example", "ftp://orders.example"]) {
      expect(() => loadConfig({ CONSOLE_API_ORIGINS: entry })).toThrow(/CONSOLE_API_ORIGINS entries must be origins/);
    }
  });
});

describe("the service with the default configuration", () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ corsOrigins: loadConfig({}).corsOrigins });
  });
  afterAll(async () => {
    await ifSetUp(service)?.shutdown();
  });

  const check = "/grpc.health.v1.Health/Check";

  it("gives another origin's page no access-control-allow-origin, for a preflight or a call", async () => {
    const preflight = await fetch(`${service.url}${check}`, {
      method: "OPTIONS",
      headers: {
        origin: "https://evil.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization,connect-protocol-version",
      },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();

    const call = await fetch(`${service.url}${check}`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json" },
      body: "{}",
    });
    expect(call.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers the pages it serves itself (same origin needs no CORS)", async () => {
    const call = await fetch(`${service.url}${check}`, {
      method: "POST",
      headers: { origin: new URL(service.url).origin, "content-type": "application/json" },
      body: "{}",
    });
    expect(call.status).toBe(200);
    expect(await call.json()).toEqual({ status: "SERVING" });
  });
});
