import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CheckoutInput, TaxConfiguration } from "../../src/domain/pricing/checkout.js";
import { priceCheckout } from "../../src/domain/pricing/engine.js";
import { MoneyDecimal, type Decimal } from "../../src/money/money.js";
import { loadTaxConfiguration } from "../../src/tax/public.js";
import { startTestService, type TestService, type TestTenant } from "../support/service.js";
import { ifSetUp } from "../support/set-up.js";
import { curlCommands, runCurl } from "./support/curl-block.js";

const PAGE = readFileSync("docs/tax.md", "utf8");

let service: TestService;
let tenant: TestTenant;
beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant({ role: "admin" });
});
afterAll(() => ifSetUp(service)?.shutdown());

/** Three lines of 0.99 USD of the standard category shipped to a New York postal code, as the page's example. */
function threeLinesOf099(tax: TaxConfiguration | undefined, postalCode: string): CheckoutInput {
  const line = {
    quantity: 1,
    unitPrice: "0.99",
    sku: "PEN",
    productId: "",
    variantId: "",
    taxCategory: "standard",
    weightGrams: 0,
  };
  return {
    currency: "USD",
    lines: [line, line, line],
    taxAddress: { country: "US", region: "NY", postalCode },
    shippingCountry: "US",
    ...(tax ? { tax } : {}),
    shipping: { kind: "NONE" },
    manualDiscount: "0",
    couponCodes: [],
    giftCards: [],
    now: new Date(),
  };
}

const NYC_PREFIXES = ["100", "101", "102", "103", "104", "111", "112", "113", "114", "116"];

describe("docs/tax.md", () => {
  it("sets up New York sales tax as written", async () => {
    const commands = curlCommands("docs/tax.md", "<!-- test/docs/tax.test.ts runs every command of the next block");
    expect(commands).toHaveLength(5);
    const [state, city, list, update, get] = await (async () => {
      const outputs: unknown[] = [];
      for (const command of commands) outputs.push(await runCurl(command, service.url, { KEY: tenant.key }));
      return outputs;
    })();
    expect(state).toMatchObject({
      taxZone: {
        displayName: "New York State",
        country: "US",
        region: "NY",
        rates: [{ taxCategory: "standard", displayName: "NY State", rate: "0.04" }],
      },
    });
    expect(state).not.toHaveProperty("taxZone.postalCodePrefixes");
    expect(city).toMatchObject({
      taxZone: {
        displayName: "New York City",
        postalCodePrefixes: NYC_PREFIXES,
        rates: [
          { taxCategory: "standard", displayName: "NY State", rate: "0.04" },
          { taxCategory: "standard", displayName: "NYC", rate: "0.045" },
          { taxCategory: "standard", displayName: "MCTD", rate: "0.00375" },
          { taxCategory: "exempt", displayName: "Exempt", rate: "0" },
        ],
      },
    });
    expect(list).toEqual({
      taxZones: [(state as { taxZone: unknown }).taxZone, (city as { taxZone: unknown }).taxZone],
    });
    const settings = { taxShipping: true, shippingTaxCategory: "standard", rounding: "TAX_ROUNDING_LINE" };
    expect(update).toMatchObject({ taxSettings: settings });
    expect(get).toEqual(update);
    expect(update).not.toHaveProperty("taxSettings.pricesIncludeTax");

    // What the page says orders get of it: the pricing engine, fed by tax/public.ts, taxes Manhattan by the city
    // zone and Albany by the state's, and rounds three lines of 0.99 as the rounding table shows.
    const zones = (list as { taxZones: { id: string }[] }).taxZones;
    const taxOf = async (postalCode: string) => {
      const tax = await loadTaxConfiguration(service.orm.em.fork(), tenant.tenantId, undefined);
      const priced = priceCheckout(threeLinesOf099(tax, postalCode));
      if (!priced.ok) throw new Error("the example order was refused");
      return priced.pricing;
    };
    expect(await taxOf("12207")).toMatchObject({ taxZoneId: zones[0]?.id, taxTotal: "0.12" });
    const manhattan = await taxOf("10001");
    expect(manhattan).toMatchObject({ taxZoneId: zones[1]?.id, taxTotal: "0.24" });
    expect(manhattan.lines[0]?.taxLines.map((line) => [line.name, line.amount])).toEqual([
      ["NY State", "0.04"],
      ["NYC", "0.04"],
      ["MCTD", "0.00"],
    ]);
    await runCurl(
      `curl -s http://localhost:8080/orders.v1.TaxService/UpdateTaxSettings -H "Authorization: Bearer $KEY" \
        -H "Content-Type: application/json" -d '{"taxSettings":{"rounding":"TAX_ROUNDING_ORDER"},"updateMask":"rounding"}'`,
      service.url,
      { KEY: tenant.key },
    );
    const perOrder = await taxOf("10001");
    expect(perOrder.taxTotal).toBe("0.26");
    expect(perOrder.lines.map((line) => line.taxAmount)).toEqual(["0.10", "0.08", "0.08"]);
  });

  it("adds up the rounding example's figures (half to even, to the cent)", () => {
    const d = (text: string) => new MoneyDecimal(text);
    const cents = (value: Decimal) => value.toDecimalPlaces(2, MoneyDecimal.ROUND_HALF_EVEN).toFixed(2);
    const price = d("0.99");
    const order = price.times(3);
    expect(PAGE).toContain("<!-- test/docs/tax.test.ts recomputes every row of the next two tables -->");

    const rate = d("0.08875");
    const exactLine = price.times(rate);
    const exactOrder = order.times(rate);
    expect(PAGE).toContain(
      `| exact | 0.99 × 0.08875 = ${exactLine.toFixed()} | 2.97 × 0.08875 = ${exactOrder.toFixed()} |`,
    );
    const lineTax = cents(exactLine);
    expect(PAGE).toContain(
      `| \`TAX_ROUNDING_LINE\` | ${exactLine.toFixed()} → ${lineTax} | ${lineTax} × 3 = ${cents(d(lineTax).times(3))} |`,
    );
    const orderTax = cents(exactOrder);
    expect(d("0.09").plus("0.09").plus("0.08").toFixed(2)).toBe(orderTax);
    expect(PAGE).toContain(
      `| \`TAX_ROUNDING_ORDER\` | 0.09, 0.09 and 0.08 (${orderTax} shared out) | ${exactOrder.toFixed()} → ${orderTax} |`,
    );

    const totals = { line: d("0"), order: d("0"), perLine: d("0") };
    for (const [name, text] of [
      ["NY State", "0.04"],
      ["NYC", "0.045"],
      ["MCTD", "0.00375"],
    ] as const) {
      const perLine = price.times(text);
      const perOrder = order.times(text);
      const lineOrder = d(cents(perLine)).times(3);
      expect(PAGE).toContain(
        `| ${name} ${text} | ${perLine.toFixed()} → ${cents(perLine)} | ${cents(lineOrder)} | ${perOrder.toFixed()} → ${cents(perOrder)} |`,
      );
      totals.perLine = totals.perLine.plus(cents(perLine));
      totals.line = totals.line.plus(lineOrder);
      totals.order = totals.order.plus(cents(perOrder));
    }
    expect(PAGE).toContain(`| total | ${cents(totals.perLine)} | ${cents(totals.line)} | ${cents(totals.order)} |`);
  });
});
