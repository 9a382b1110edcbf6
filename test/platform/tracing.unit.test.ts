import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { contextOfTraceparent, inSpan, traceparentOf, wellFormedTraceparent } from "../../src/platform/tracing.js";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("W3C traceparent (platform/tracing.ts)", () => {
  it("reads a traceparent into a remote parent and writes it back unchanged", () => {
    const context = contextOfTraceparent(TRACEPARENT);
    expect(trace.getSpanContext(context)).toEqual({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: 1,
      isRemote: true,
    });
    expect(traceparentOf(context)).toBe(TRACEPARENT);
    expect(traceparentOf(contextOfTraceparent(TRACEPARENT.replace(/-01$/, "-00")))).toBe(
      TRACEPARENT.replace(/-01$/, "-00"),
    );
  });

  it("ignores what is not a version-00 traceparent, or names the invalid all-zero ids", () => {
    for (const malformed of [
      null,
      undefined,
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      `00-${"0".repeat(32)}-00f067aa0ba902b7-01`,
      `00-4bf92f3577b34da6a3ce929d0e0e4736-${"0".repeat(16)}-01`,
      `${TRACEPARENT}-extra`,
    ]) {
      expect(contextOfTraceparent(malformed)).toBe(ROOT_CONTEXT);
      expect(wellFormedTraceparent(malformed)).toBeNull();
    }
    expect(wellFormedTraceparent(` ${TRACEPARENT} `)).toBe(TRACEPARENT);
    expect(traceparentOf(ROOT_CONTEXT)).toBeNull();
  });

  it("runs a span's work directly while no SDK runs, and passes its result or error through", async () => {
    expect(inSpan("sync", (span) => span.isRecording())).toBe(false);
    await expect(inSpan("async", () => Promise.resolve(42))).resolves.toBe(42);
    expect(() =>
      inSpan("throws", () => {
        throw new Error("refused");
      }),
    ).toThrow("refused");
  });
});
