import { describe, expect, it } from "vitest";
import { formatRate } from "../../web/src/money.js";

describe("formatRate", () => {
  it("writes a decimal fraction as a percentage by moving the point, exactly", () => {
    expect(formatRate("0.04")).toBe("4 %");
    expect(formatRate("0.045")).toBe("4.5 %");
    expect(formatRate("0.00375")).toBe("0.375 %");
    expect(formatRate("0.088750")).toBe("8.875 %");
    expect(formatRate("0")).toBe("0 %");
    expect(formatRate("1")).toBe("100 %");
    expect(formatRate("0.2")).toBe("20 %");
  });

  it("shows anything that is not a decimal as it came", () => {
    expect(formatRate("")).toBe("");
    expect(formatRate("-0.1")).toBe("-0.1");
  });
});
