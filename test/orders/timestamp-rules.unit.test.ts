import { create, getOption, hasOption, type DescMessage } from "@bufbuild/protobuf";
import { TimestampSchema, timestampFromDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { field as validateField } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { describe, expect, it } from "vitest";
import { CompaniesService } from "../../gen/orders/v1/companies_service_pb.js";
import { CustomersService } from "../../gen/orders/v1/customers_service_pb.js";
import { GiftCardsService } from "../../gen/orders/v1/gift_cards_service_pb.js";
import { OrderSchema } from "../../gen/orders/v1/order_pb.js";
import { OrdersService, UpdateOrderRequestSchema } from "../../gen/orders/v1/orders_service_pb.js";
import { ShippingService } from "../../gen/orders/v1/shipping_service_pb.js";
import { beforePlacedViolations, reportedTime } from "../../src/orders/client-times.js";
import {
  MAX_SECONDS,
  MIN_SECONDS,
  timestampToSql,
  timestampViolations,
  unencodableTimestamps,
  wireTimestamp,
} from "../../src/orders/timestamps.js";

const ts = (seconds: number | bigint, nanos = 0): Timestamp =>
  create(TimestampSchema, { seconds: BigInt(seconds), nanos });

/** Every Timestamp field a request of `schema` can hold, with its path, nested messages included. */
function timestampFields(schema: DescMessage, path = "", seen = new Set<string>()): [string, DescMessage, string][] {
  if (seen.has(schema.typeName)) return [];
  seen.add(schema.typeName);
  const found: [string, DescMessage, string][] = [];
  for (const field of schema.fields) {
    const message = field.fieldKind === "message" ? field.message : "message" in field ? field.message : undefined;
    if (!message) continue;
    const at = `${path}${field.name}`;
    if (message.typeName === TimestampSchema.typeName) found.push([at, schema, field.name]);
    else found.push(...timestampFields(message, `${at}.`, seen));
  }
  return found;
}

describe("the contract bounds every time a request can carry", () => {
  const inputs = [
    ...OrdersService.methods,
    ...CustomersService.methods,
    ...CompaniesService.methods,
    ...ShippingService.methods,
    ...GiftCardsService.methods,
  ].map((method) => method.input);
  const fields = inputs.flatMap((input) =>
    timestampFields(input).map(([path, parent, name]) => [`${input.name}.${path}`, parent, name] as const),
  );

  it("finds the request times (a new one joins this list by itself)", () => {
    expect(fields.map(([path]) => path)).toEqual(
      expect.arrayContaining([
        "CreateOrderRequest.import_details.placed_time",
        "CreateOrderRequest.import_details.fulfillment.ship_time",
        "ListOrdersRequest.create_time_start",
        "FulfillOrderRequest.ship_time",
        "DeliverOrderRequest.deliver_time",
        "UpdateOrderRequest.order.create_time",
        "UpdateOrderRequest.order.history.change_time",
        "UpdateCustomerRequest.customer.create_time",
        "UpdateCustomerAddressRequest.customer_address.update_time",
        "UpdateCompanyRequest.company.create_time",
        "UpdateShippingMethodRequest.shipping_method.update_time",
        "IssueGiftCardRequest.expire_time",
      ]),
    );
  });

  it.each(fields)("%s has a timestamp rule within 0001-01-01..9999-12-31", (_, parent, name) => {
    const field = parent.fields.find((f) => f.name === name);
    if (!field) throw new Error(`no field ${name}`);
    expect(hasOption(field, validateField)).toBe(true);
    const rules = getOption(field, validateField);
    expect(rules.type.case).toBe("timestamp");
    if (rules.type.case !== "timestamp") return;
    const { greaterThan, lessThan } = rules.type.value;
    expect(greaterThan.case).toBe("gte");
    expect(lessThan.case).toBe("lte");
    if (greaterThan.case !== "gte" || lessThan.case !== "lte") return;
    expect(greaterThan.value.seconds >= MIN_SECONDS).toBe(true);
    expect(lessThan.value.seconds <= MAX_SECONDS).toBe(true);
  });
});

describe("timestampViolations", () => {
  it.each([
    ["the first time there is", ts(MIN_SECONDS), []],
    ["the last time there is", ts(MAX_SECONDS, 999_999_999), []],
    ["year 0", ts(-62135596801), ["TIMESTAMP_GTE_LTE"]],
    ["year 10000", ts(253402300800), ["TIMESTAMP_GTE_LTE"]],
    ["negative nanos", ts(0, -1), ["INVALID_TIMESTAMP"]],
    ["a second of nanos", ts(0, 1_000_000_000), ["INVALID_TIMESTAMP"]],
  ])("%s", (_, time, reasons) => {
    expect(timestampViolations("t", time).map((v) => v.reason)).toEqual(reasons);
  });

  it("takes a later earliest time", () => {
    const since1970 = { seconds: 0n, text: "1970-01-01T00:00:00Z" };
    expect(timestampViolations("t", ts(-1), since1970)).toEqual([
      // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vitest types asymmetric matchers as any
      { field: "t", reason: "TIMESTAMP_GTE_LTE", description: expect.stringContaining("1970-01-01T00:00:00Z") },
    ]);
    expect(timestampViolations("t", ts(0), since1970)).toEqual([]);
  });
});

describe("unencodableTimestamps", () => {
  it("finds every bad time of a request by its path, nested and repeated ones too", () => {
    const request = create(UpdateOrderRequestSchema, {
      order: {
        createTime: ts(-62135596801),
        fulfillment: { shipTime: ts(0, -5), deliverTime: ts(0) },
        history: [{ changeTime: ts(0) }, { changeTime: ts(9e12) }],
      },
    });
    expect(unencodableTimestamps(UpdateOrderRequestSchema, request)).toEqual([
      expect.objectContaining({ field: "order.create_time", reason: "TIMESTAMP_GTE_LTE" }),
      expect.objectContaining({ field: "order.fulfillment.ship_time", reason: "INVALID_TIMESTAMP" }),
      expect.objectContaining({ field: "order.history[1].change_time", reason: "TIMESTAMP_GTE_LTE" }),
    ]);
    expect(unencodableTimestamps(OrderSchema, create(OrderSchema, { createTime: ts(0) }))).toEqual([]);
  });
});

describe("wireTimestamp", () => {
  it("clamps stored times no encoding can carry to the first and the last time there is", () => {
    expect(wireTimestamp(new Date("0000-12-31T23:59:59.000Z"))).toEqual(ts(MIN_SECONDS));
    expect(wireTimestamp(new Date(-8.64e15))).toEqual(ts(MIN_SECONDS));
    expect(wireTimestamp(new Date("+010000-01-01T00:00:00.000Z"))).toEqual(ts(MAX_SECONDS, 999_999_999));
    expect(wireTimestamp(new Date("9999-12-31T23:59:59.999Z"))).toEqual(ts(MAX_SECONDS, 999_000_000));
    expect(wireTimestamp(new Date("2026-11-22T10:02:23.957Z"))).toEqual(
      timestampFromDate(new Date("2026-11-22T10:02:23.957Z")),
    );
  });

  it("refuses what is not a time at all", () => {
    expect(() => wireTimestamp(new Date("nope"))).toThrow(/not a time/);
  });
});

describe("timestampToSql", () => {
  it.each([
    [ts(MIN_SECONDS), "0001-01-01T00:00:00.000000Z"],
    [ts(0, 1), "1970-01-01T00:00:00.000001Z"],
    [ts(0, 999_999_001), "1970-01-01T00:00:01.000000Z"],
    [ts(1_700_000_000, 123_456_000), "2023-11-14T22:13:20.123456Z"],
    [ts(MAX_SECONDS, 999_999_000), "9999-12-31T23:59:59.999999Z"],
    [ts(MAX_SECONDS, 999_999_999), "10000-01-01T00:00:00.000000Z"],
  ])("writes %o to the microsecond, rounded up", (time, sql) => {
    expect(timestampToSql(time)).toBe(sql);
  });
});

describe("reported times (placed, shipped, delivered)", () => {
  const now = new Date("2026-11-22T10:00:00Z");

  it("are from 1970 on and not more than 5 minutes in the future", () => {
    expect(reportedTime("t", ts(-1), now).violations.map((v) => v.reason)).toEqual(["TIMESTAMP_GTE_LTE"]);
    expect(reportedTime("t", ts(0, 1_000_000_000), now).violations.map((v) => v.reason)).toEqual(["INVALID_TIMESTAMP"]);
    expect(reportedTime("t", timestampFromDate(new Date(now.getTime() + 6 * 60_000)), now).violations).toEqual([
      expect.objectContaining({ reason: "IN_FUTURE" }),
    ]);
    expect(reportedTime("t", timestampFromDate(new Date(now.getTime() + 4 * 60_000)), now)).toEqual({
      date: new Date(now.getTime() + 4 * 60_000),
      violations: [],
    });
    expect(reportedTime("t", undefined, now)).toEqual({ date: undefined, violations: [] });
  });

  it("are not more than 5 minutes before the order was placed", () => {
    const placed = new Date("2026-01-01T00:00:00Z");
    expect(beforePlacedViolations("t", new Date("2025-12-31T23:54:59Z"), placed)).toEqual([
      expect.objectContaining({ field: "t", reason: "BEFORE_PLACED" }),
    ]);
    expect(beforePlacedViolations("t", new Date("2025-12-31T23:55:00Z"), placed)).toEqual([]);
    expect(beforePlacedViolations("t", undefined, placed)).toEqual([]);
  });
});
