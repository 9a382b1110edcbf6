import { describe, expect, it } from "vitest";
import { allowedApiOrigins, resolveApiTarget } from "../../web/src/api-target.js";

// The console's rule for where the pasted key may go (web/src/api-target.ts): its own origin, or a `?api=` origin
// the deployment lists. console.test.ts checks the same in Chromium.

const PAGE = "https://console.example/";

describe("resolveApiTarget", () => {
  it("calls the page's own origin without ?api=", () => {
    for (const page of [PAGE, `${PAGE}?api=`, `${PAGE}?api=%20`, "https://console.example/app/index.html#x"]) {
      expect(resolveApiTarget(page, [])).toEqual({
        allowed: true,
        baseUrl: "https://console.example",
        origin: "https://console.example",
        crossOrigin: false,
      });
    }
  });

  it("follows ?api= to the page's own origin, a path prefix kept and trailing slashes dropped", () => {
    expect(resolveApiTarget(`${PAGE}?api=https://console.example/api/`, [])).toMatchObject({
      allowed: true,
      baseUrl: "https://console.example/api",
      crossOrigin: false,
    });
    expect(resolveApiTarget(`${PAGE}?api=/api`, [])).toMatchObject({
      allowed: true,
      baseUrl: "https://console.example/api",
    });
  });

  it("follows ?api= to a listed origin, and says it is another origin", () => {
    const listed = ["https://orders.example", "http://localhost:8080"];
    expect(resolveApiTarget(`${PAGE}?api=https://orders.example`, listed)).toEqual({
      allowed: true,
      baseUrl: "https://orders.example",
      origin: "https://orders.example",
      crossOrigin: true,
    });
    expect(resolveApiTarget(`${PAGE}?api=${encodeURIComponent("HTTPS://Orders.Example:443/")}`, listed)).toMatchObject({
      allowed: true,
      origin: "https://orders.example",
    });
    expect(resolveApiTarget(`${PAGE}?api=http://localhost:8080`, listed)).toMatchObject({ allowed: true });
  });

  it.each([
    ["an unlisted origin", "https://evil.example", /https:\/\/evil\.example is not an API origin/],
    ["a listed host on another scheme", "http://orders.example", /http:\/\/orders\.example is not an API origin/],
    ["a listed host on another port", "https://orders.example:8443", /is not an API origin/],
    ["a look-alike host", "https://orders.example.evil.example", /is not an API origin/],
    ["a protocol-relative address", "//evil.example", /https:\/\/evil\.example is not an API origin/],
    ["credentials that change the host", "https://orders.example@evil.example", /it carries credentials/],
    ["credentials", "https://user:pw@orders.example", /it carries credentials/],
    ["a query", "https://orders.example/?x=1", /query or fragment/],
    ["another scheme", "javascript:alert(1)", /not an http or https URL/],
    ["a data URL", "data:text/plain,x", /not an http or https URL/],
    ["not a URL", "http://[", /not a URL/],
  ])("refuses %s", (_name, api, message) => {
    const target = resolveApiTarget(`${PAGE}?api=${encodeURIComponent(api)}`, ["https://orders.example"]);
    expect(target.allowed).toBe(false);
    if (target.allowed) return;
    expect(target.requested).toBe(api);
    expect(target.message).toMatch(message);
    expect(target.message).toContain(
      "This console sends keys only to https://console.example, https://orders.example.",
    );
  });
});

describe("allowedApiOrigins", () => {
  it("reads the apiOrigins of console-config.json", () => {
    expect(allowedApiOrigins({ apiOrigins: ["https://orders.example", "http://localhost:8080"] })).toEqual([
      "https://orders.example",
      "http://localhost:8080",
    ]);
  });

  it("lists nothing for anything else, and drops entries that are not origins", () => {
    for (const config of [undefined, null, "https://orders.example", [], {}, { apiOrigins: "https://x.example" }])
      expect(allowedApiOrigins(config)).toEqual([]);
    expect(
      allowedApiOrigins({
        apiOrigins: ["*", "https://orders.example/", "orders.example", 42, "javascript:x", "https://ok.example"],
      }),
    ).toEqual(["https://ok.example"]);
  });
});
