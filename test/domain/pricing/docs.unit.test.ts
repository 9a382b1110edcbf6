import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { CheckoutInput, CheckoutLine } from "../../../src/domain/pricing/checkout.js";
import { priceCheckout } from "../../../src/domain/pricing/engine.js";
import { checkout, line } from "./support/checkout.js";

/**
 * docs/pricing.md's worked examples: every json block is an input and the output the page shows for it. Fields the
 * page leaves out are empty, as it says (the test's `checkout` and `line` builders); times are ISO strings there.
 */
const PAGE = "docs/pricing.md";
const MARKER =
  "<!-- test/domain/pricing/docs.unit.test.ts runs every json block of this page through priceCheckout -->";
const TIMES = new Set(["now", "startTime", "endTime", "expireTime"]);

interface Example {
  input: Omit<Partial<CheckoutInput>, "lines"> & {
    lines?: (Partial<CheckoutLine> & Pick<CheckoutLine, "quantity" | "unitPrice">)[];
  };
  output: Record<string, unknown>;
}

function examples(): Example[] {
  const page = readFileSync(PAGE, "utf8");
  expect(page).toContain(MARKER);
  return [...page.matchAll(/```json\n([\s\S]*?)```/g)].map(
    (match) =>
      JSON.parse(match[1] ?? "", (key, value: unknown) =>
        TIMES.has(key) && typeof value === "string" ? new Date(value) : value,
      ) as Example,
  );
}

function asInput({ lines = [], ...rest }: Example["input"]): CheckoutInput {
  return checkout({
    ...rest,
    lines: lines.map(({ quantity, unitPrice, ...fields }) => line(quantity, unitPrice, fields)),
  });
}

describe("docs/pricing.md's worked examples", () => {
  const all = examples();

  it("has the seven examples the page describes, each an input and an output", () => {
    expect(all).toHaveLength(7);
    for (const example of all) expect(Object.keys(example).sort()).toEqual(["input", "output"]);
  });

  it.each(all.map((example, index) => [index + 1, example] as const))("example %i prices as shown", (_, example) => {
    expect(priceCheckout(asInput(example.input))).toMatchObject({ ok: true, pricing: example.output });
  });

  it("shows LINE and ORDER rounding of the same order a cent apart", () => {
    const [, byLine, byOrder] = all;
    expect(byLine?.input.tax?.rounding).toBe("LINE");
    expect(byOrder?.input.tax?.rounding).toBe("ORDER");
    const tax = byLine?.input.tax;
    expect(byOrder?.input).toEqual({ ...byLine?.input, tax: tax && { ...tax, rounding: "ORDER" } });
    expect([byLine?.output.taxTotal, byOrder?.output.taxTotal]).toEqual(["0.88", "0.89"]);
  });

  it("shows an order with prices including tax (VAT)", () => {
    expect(
      all.some((example) => example.input.tax?.pricesIncludeTax === true && example.output.includedTaxTotal !== "0.00"),
    ).toBe(true);
  });
});
