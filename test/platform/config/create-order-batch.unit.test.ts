import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/platform/config/config.js";

describe("CREATE_ORDER_BATCH settings", () => {
  it("batch CreateOrder by default, up to 64 orders and 2 MiB of parameters", () => {
    expect(loadConfig({}).createOrderBatch).toEqual({ enabled: true, maxItems: 64, maxBytes: 2 * 1024 * 1024 });
  });

  it("turn batching off and bound it", () => {
    expect(loadConfig({ CREATE_ORDER_BATCH: "off" }).createOrderBatch.enabled).toBe(false);
    expect(loadConfig({ CREATE_ORDER_BATCH: "on" }).createOrderBatch.enabled).toBe(true);
    expect(
      loadConfig({ CREATE_ORDER_BATCH_MAX_ORDERS: "8", CREATE_ORDER_BATCH_MAX_BYTES: "65536" }).createOrderBatch,
    ).toEqual({ enabled: true, maxItems: 8, maxBytes: 65536 });
  });

  it("refuse values that are not settings", () => {
    expect(() => loadConfig({ CREATE_ORDER_BATCH: "sometimes" })).toThrow(/CREATE_ORDER_BATCH must be true or false/);
    expect(() => loadConfig({ CREATE_ORDER_BATCH_MAX_ORDERS: "0" })).toThrow(
      /CREATE_ORDER_BATCH_MAX_ORDERS must be at least 1/,
    );
    expect(() => loadConfig({ CREATE_ORDER_BATCH_MAX_BYTES: "-5" })).toThrow(/CREATE_ORDER_BATCH_MAX_BYTES/);
  });

  it("are documented in docs/configuration.md", () => {
    const page = readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");
    for (const name of ["CREATE_ORDER_BATCH", "CREATE_ORDER_BATCH_MAX_ORDERS", "CREATE_ORDER_BATCH_MAX_BYTES"])
      expect(page).toContain(`| \`${name}\` |`);
  });
});
