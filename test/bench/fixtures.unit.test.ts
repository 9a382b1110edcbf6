import { describe, expect, it } from "vitest";
import { catalogSku } from "../../bench/writes/catalog.js";
import type { CellResult } from "../../bench/writes/cells.js";
import { orderRequests } from "../../bench/writes/fixtures.js";
import { checkoutComparisons, checkTargets } from "../../bench/writes/run-record.js";
import { BROOKLYN } from "../support/new-york-shop.js";

describe("the bench's orders with lines by SKU", () => {
  const customers = ["c1", "c2", "c3"];

  it("name only a SKU and a quantity, so name and price come from the catalog", () => {
    const [first] = orderRequests(customers, 5, "sku", 1_000_000);
    expect(first?.items.map((item) => [item.name, item.unitPrice, item.variantId, item.productId])).toEqual(
      Array.from({ length: 5 }, () => ["", undefined, "", ""]),
    );
    expect(first?.items.map((item) => item.quantity)).toEqual([1, 2, 3, 4, 1]);
    // every fifth line by its alternate SKU
    expect(first?.items.map((item) => item.sku.split("-")[0])).toEqual(["BENCH", "BENCH", "BENCH", "BENCH", "ALT"]);
  });

  it("spread over the whole catalog, no variant twice while the catalog has more than all lines name", () => {
    const requests = orderRequests(customers, 500, "sku", 1_000_000);
    expect(requests).toHaveLength(64);
    expect(requests.map((r) => r.customerId).slice(0, 4)).toEqual(["c1", "c2", "c3", "c1"]);
    const variants = requests.flatMap((r) => r.items.map((item) => Number(item.sku.split("-")[1])));
    expect(new Set(variants).size).toBe(64 * 500);
    expect(Math.min(...variants)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...variants)).toBeLessThanOrEqual(1_000_000);
    // far apart: not a run of neighbours
    expect(Math.max(...variants) - Math.min(...variants)).toBeGreaterThan(900_000);
  });

  it("name SKUs the seeded catalog has", () => {
    const [request] = orderRequests(customers, 1, "sku", 7);
    const sku = request?.items[0]?.sku ?? "";
    expect(Array.from({ length: 7 }, (_, i) => catalogSku(i + 1))).toContain(sku);
  });

  it("custom lines stay one request per customer, as before", () => {
    const requests = orderRequests(customers, 2);
    expect(requests.map((r) => r.customerId)).toEqual(customers);
    expect(requests[0]?.items.map((item) => [item.sku, item.name, item.unitPrice])).toEqual([
      ["SKU-1000", "Bench article 0", "19.95"],
      ["SKU-1001", "Bench article 1", "20.95"],
    ]);
  });
});

describe("the bench's checkout orders", () => {
  const customers = ["c1", "c2"];
  const checkout = { shippingMethodId: "0b9a4c2e-7f3d-4c55-9a43-5f0c2b1f6e11", couponCode: "BENCH10" };

  it("are the plain rows' custom lines, shipped to the taxed zone with the code and the method by id", () => {
    const [plain] = orderRequests(customers, 5);
    const requests = orderRequests(customers, 5, "checkout", 0, checkout);
    expect(requests.map((r) => r.customerId)).toEqual(customers);
    const [first] = requests;
    expect(first?.items).toEqual(plain?.items);
    expect(first?.shippingAddress).toMatchObject(BROOKLYN);
    expect(first?.couponCodes).toEqual(["BENCH10"]);
    expect(first?.shippingMethod?.id).toBe(checkout.shippingMethodId);
    // the method's amount is the shipping total: giving both is INVALID_ARGUMENT
    expect(first?.shippingTotal).toBe("");
  });

  it("need the tenant's checkout set-up", () => {
    expect(() => orderRequests(customers, 5, "checkout")).toThrow(/checkoutSetUp/);
  });
});

describe("the checkout target", () => {
  const row = (lineKind: "custom" | "checkout", cpuMsPerOrder: number) =>
    ({
      path: "grpc",
      lines: 5,
      lineKind,
      ordersPerSec: 100,
      latencyMs: { count: 1000, p50: 10, p95: 20, p99: 30, max: 40 },
      ratio: 1,
      errors: 0,
      errorKinds: {},
      service: { peakRssMb: 100, endRssMb: 100, cpuMsPerOrder },
      generatorCpuMsPerOrder: 1,
      machineBusy: 0.5,
      spans: [],
    }) satisfies CellResult;
  const target = (checkoutCpu: number) =>
    checkTargets([row("custom", 4), row("checkout", checkoutCpu)], [5], 32).find((t) => t.target.includes("checkout"));

  it("compares service CPU per order with the plain row of the same path and size", () => {
    expect(checkoutComparisons([row("custom", 4), row("checkout", 5)])).toMatchObject([
      { path: "grpc", lines: 5, kind: "checkout", cpuMs: 5, customCpuMs: 4, ratio: 1.25 },
    ]);
    expect(target(5.2)).toMatchObject({ met: true, actual: "1.3 x (5.2 against 4 ms/order)" });
    expect(target(5.4)).toMatchObject({ met: false });
  });
});
