import { expect, it } from "vitest";
import { loadConfig } from "../../../src/platform/config/config.js";

it("METRICS_PORT: unset or empty serves /metrics on PORT; a port moves it; anything else is refused", () => {
  expect(loadConfig({}).metricsPort).toBeUndefined();
  expect(loadConfig({ METRICS_PORT: "" }).metricsPort).toBeUndefined();
  expect(loadConfig({ METRICS_PORT: "9464" }).metricsPort).toBe(9464);
  expect(() => loadConfig({ METRICS_PORT: "metrics" })).toThrow(
    'METRICS_PORT must be a non-negative integer, got "metrics"',
  );
});
