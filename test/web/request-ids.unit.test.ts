import { describe, expect, it } from "vitest";
import { requestIds } from "../../web/src/request-ids.js";

describe("the console's request ids", () => {
  const order = { customerId: "c", items: [{ sku: "A", name: "A", unitPrice: "1.00" }] };
  const edited = { customerId: "c", items: [{ sku: "A", name: "A", unitPrice: "2.00" }] };

  it("sends the same request with the same id until it succeeds, so a retry after a lost answer places it once", () => {
    let drawn = 0;
    const ids = requestIds(() => `id-${++drawn}`);
    expect(ids.idFor(order)).toBe("id-1");
    expect(ids.idFor(structuredClone(order))).toBe("id-1");
    // An edited order is another request; changed back, it is the first one again.
    expect(ids.idFor(edited)).toBe("id-2");
    expect(ids.idFor(order)).toBe("id-1");
    // Once placed, the same order again is a new order.
    ids.succeeded(order);
    expect(ids.idFor(order)).toBe("id-3");
    expect(ids.idFor(edited)).toBe("id-2");
  });
});
