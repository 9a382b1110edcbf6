import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkEndpointUrl, isAllowedAddress, type UrlPolicy } from "../../../src/webhooks/rules/endpoint-url.js";

const STRICT: UrlPolicy = { allowHttp: false, allowPrivate: false };
const LOOSE: UrlPolicy = { allowHttp: true, allowPrivate: true };

function reason(url: string, policy = STRICT): string {
  const checked = checkEndpointUrl("url", url, policy);
  return checked.ok ? "OK" : checked.violation.reason;
}

describe("checkEndpointUrl", () => {
  it("takes an absolute https URL, http only when allowed", () => {
    expect(reason("https://hooks.example.com/orderspine?x=1")).toBe("OK");
    expect(reason("https://93.184.215.14:8443/in")).toBe("OK");
    expect(reason("http://hooks.example.com/in")).toBe("URL_SCHEME_NOT_ALLOWED");
    expect(reason("http://hooks.example.com/in", { allowHttp: true, allowPrivate: false })).toBe("OK");
  });

  it("refuses what is not a plain http(s) URL", () => {
    expect(reason("")).toBe("REQUIRED");
    expect(reason("/relative")).toBe("INVALID_URL");
    expect(reason("ftp://example.com/x")).toBe("INVALID_URL");
    expect(reason("https://user:pw@example.com/x")).toBe("INVALID_URL");
    expect(reason("https://example.com/x#part")).toBe("INVALID_URL");
    expect(reason("https://example.com/x#")).toBe("INVALID_URL");
  });

  it("refuses IP literals that are not public, unless private addresses are allowed", () => {
    for (const host of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "[::1]",
      "[fd00:ec2::254]",
      "[fe80::1]",
      "[::ffff:127.0.0.1]",
      "[::ffff:10.0.0.1]",
      "[64:ff9b::a00:1]",
      "[2002:a00:1::]",
      "224.0.0.1",
      "255.255.255.255",
      "192.0.2.1",
    ]) {
      expect(reason(`https://${host}/in`), host).toBe("URL_HOST_NOT_ALLOWED");
      expect(reason(`https://${host}/in`, LOOSE), host).toBe("OK");
    }
    expect(reason("https://[2606:4700::1111]/in")).toBe("OK");
  });
});

describe("isAllowedAddress", () => {
  it("allows no private, loopback, link-local or CGNAT IPv4 address, however it is drawn", () => {
    const inRange = (a: number, bits: number) =>
      fc.integer({ min: 0, max: 2 ** (32 - bits) - 1 }).map((offset) => {
        const n = (a + offset) >>> 0;
        return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
      });
    const octets = (text: string) => text.split(".").reduce((n, part) => n * 256 + Number(part), 0);
    const ranges = fc.oneof(
      inRange(octets("10.0.0.0"), 8),
      inRange(octets("172.16.0.0"), 12),
      inRange(octets("192.168.0.0"), 16),
      inRange(octets("127.0.0.0"), 8),
      inRange(octets("169.254.0.0"), 16),
      inRange(octets("100.64.0.0"), 10),
    );
    fc.assert(
      fc.property(ranges, (address) => {
        expect(isAllowedAddress(address, false)).toBe(false);
        expect(isAllowedAddress(`::ffff:${address}`, false)).toBe(false);
        expect(isAllowedAddress(address, true)).toBe(true);
      }),
    );
  });

  it("allows a public address and never a malformed one", () => {
    expect(isAllowedAddress("8.8.8.8", false)).toBe(true);
    expect(isAllowedAddress("2001:4860:4860::8888", false)).toBe(true);
    expect(isAllowedAddress("not an address", false)).toBe(false);
    expect(isAllowedAddress("not an address", true)).toBe(false);
  });
});
