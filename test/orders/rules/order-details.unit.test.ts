import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CreateOrderRequestSchema } from "../../../gen/orders/v1/orders_service_pb.js";
import { orderDetails } from "../../../src/orders/rules/order-details.js";

const request = (fields: object) => create(CreateOrderRequestSchema, { email: "a@example.com", ...fields });

describe("orderDetails", () => {
  it("accepts exactly the days the calendar has, as YYYY-MM-DD", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T00:00:00Z"), noInvalidDate: true }),
        (day) => {
          const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
          const result = orderDetails(request({ requestedShipDate: date }));
          expect(result.ok && result.details.requestedShipDate).toBe(day.toISOString().slice(0, 10));
        },
      ),
    );
  });

  it.each([
    [{ year: 2024, month: 2, day: 29 }, true],
    [{ year: 2026, month: 2, day: 29 }, false],
    [{ year: 1900, month: 2, day: 29 }, false],
    [{ year: 2000, month: 2, day: 29 }, true],
    [{ year: 2026, month: 4, day: 31 }, false],
    [{ year: 0, month: 1, day: 1 }, false],
    [{ year: 2026, month: 13, day: 1 }, false],
    [{ year: 2026, month: 12, day: 0 }, false],
  ])("%j is a calendar day: %s", (date, valid) => {
    const result = orderDetails(request({ shipByDate: date }));
    expect(result.ok).toBe(valid);
    if (!result.ok)
      expect(result.violations).toEqual([expect.objectContaining({ field: "ship_by_date", reason: "INVALID_DATE" })]);
  });

  it("lets ship_by_date equal the latest of the other two days, not precede it", () => {
    const day = (d: number) => ({ year: 2026, month: 12, day: d });
    expect(orderDetails(request({ requestedShipDate: day(5), holdUntilDate: day(7), shipByDate: day(7) })).ok).toBe(
      true,
    );
    const early = orderDetails(request({ requestedShipDate: day(5), holdUntilDate: day(7), shipByDate: day(6) }));
    expect(early.ok ? [] : early.violations.map((v) => v.reason)).toEqual(["SHIP_BY_TOO_EARLY"]);
  });

  it("canonicalises the locale and reports every problem at once", () => {
    const ok = orderDetails(request({ locale: "EN-gb" }));
    expect(ok.ok && ok.details.locale).toBe("en-GB");
    const bad = orderDetails(
      create(CreateOrderRequestSchema, { locale: "x", holdUntilDate: { year: 1, month: 1, day: 99 } }),
    );
    expect(bad.ok ? [] : bad.violations.map((v) => [v.field, v.reason])).toEqual([
      ["customer_id", "CUSTOMER_OR_EMAIL_REQUIRED"],
      ["hold_until_date", "INVALID_DATE"],
      ["locale", "INVALID_LOCALE"],
    ]);
  });

  it("bounds custom fields by count, depth and size, and keeps an empty object as none", () => {
    expect(orderDetails(request({ customFields: {} }))).toMatchObject({ ok: true, details: { customFields: null } });
    const nested = { a: [{ b: { c: [1] } }] };
    expect(orderDetails(request({ customFields: nested }))).toMatchObject({
      ok: true,
      details: { customFields: nested },
    });
    const tooDeep = orderDetails(request({ customFields: { a: [{ b: { c: [[1]] } }] } }));
    expect(tooDeep.ok ? [] : tooDeep.violations.map((v) => v.reason)).toEqual(["CUSTOM_FIELDS_TOO_LARGE"]);
  });
});
