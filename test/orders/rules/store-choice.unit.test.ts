import { describe, expect, it } from "vitest";
import { storeChoice } from "../../../src/orders/rules/store-choice.js";

const market = { id: "m", name: "Japan", currency: "JPY", countries: ["JP"], defaultLocale: "ja-JP" };
const none = { marketId: "", salesChannelId: "", preferredStockLocationId: "", currency: "", locale: "" };

describe("storeChoice", () => {
  it("names the first store id the tenant does not have", () => {
    expect(
      storeChoice(
        { ...none, salesChannelId: "s", preferredStockLocationId: "l" },
        { notFound: ["sales_channel", "stock_location"] },
      ),
    ).toEqual({
      ok: false,
      notFound: { kind: "sales_channel", id: "s" },
    });
  });

  it("defaults currency and locale from the market and the channel to the primary one", () => {
    const primary = { id: "p", name: "Web", primary: true };
    expect(storeChoice({ ...none, marketId: "m" }, { market, primarySalesChannel: primary, notFound: [] })).toEqual({
      ok: true,
      choice: { marketId: "m", salesChannelId: "p", stockLocationId: null, currency: "JPY", locale: "ja-JP" },
    });
    expect(storeChoice(none, { notFound: [] })).toEqual({
      ok: true,
      choice: { marketId: null, salesChannelId: null, stockLocationId: null },
    });
  });

  it("refuses another currency than the market's and an inactive stock location", () => {
    const stockLocation = { id: "l", name: "Depot", address: { line1: "1 Dock Rd", country: "JP" }, active: false };
    const result = storeChoice(
      { ...none, marketId: "m", currency: "USD", preferredStockLocationId: "l" },
      { market, stockLocation, notFound: [] },
    );
    expect(result.ok || "notFound" in result ? [] : result.violations.map((v) => v.reason)).toEqual([
      "CURRENCY_NOT_IN_MARKET",
      "STOCK_LOCATION_INACTIVE",
    ]);
  });
});
