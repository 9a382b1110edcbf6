import { describe, expect, it } from "vitest";
import { loadConfig, tracingEnabled } from "../../../src/platform/config/config.js";

describe("tracing configuration (docs/tracing.md)", () => {
  it("is off with nothing set, so the OpenTelemetry SDK is never loaded", () => {
    expect(loadConfig({}).tracing).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "" })).toBe(false);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "  " })).toBe(false);
  });

  it("is on with an OTLP endpoint, for every signal or for traces alone", () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }).tracing).toBe(true);
    expect(tracingEnabled({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" })).toBe(true);
  });

  it("stays off when the SDK is disabled or no trace exporter is wanted, as the SDK itself reads them", () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" };
    expect(tracingEnabled({ ...endpoint, OTEL_SDK_DISABLED: "true" })).toBe(false);
    expect(tracingEnabled({ ...endpoint, OTEL_SDK_DISABLED: "false" })).toBe(true);
    expect(tracingEnabled({ ...endpoint, OTEL_TRACES_EXPORTER: "none" })).toBe(false);
    // "none" among other exporters is ignored by the SDK, which then exports over OTLP.
    expect(tracingEnabled({ ...endpoint, OTEL_TRACES_EXPORTER: "otlp,none" })).toBe(true);
    expect(tracingEnabled({ ...endpoint, OTEL_TRACES_EXPORTER: "otlp" })).toBe(true);
  });

  it("refuses an OTEL_SDK_DISABLED that is not a yes or no", () => {
    expect(() =>
      tracingEnabled({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318", OTEL_SDK_DISABLED: "maybe" }),
    ).toThrow("OTEL_SDK_DISABLED must be true or false");
  });
});
