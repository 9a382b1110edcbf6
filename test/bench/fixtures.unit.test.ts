import { describe, expect, it } from "vitest";
import { catalogSku } from "../../bench/writes/catalog.js";
import { orderRequests } from "../../bench/writes/fixtures.js";

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
