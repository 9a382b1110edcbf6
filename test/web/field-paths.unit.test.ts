import { describe, expect, it } from "vitest";
import { parentOf, withoutPrefix } from "../../web/src/field-paths.js";

describe("field paths of violations", () => {
  it("names the list item a violation is about, counting from 1 as people do", () => {
    expect(parentOf("product.variants[0].alternate_skus[1]")).toEqual({
      parent: "product.variants[0].alternate_skus",
      item: "#2",
    });
    expect(parentOf("items[0]")).toEqual({ parent: "items", item: "#1" });
  });

  it("names the map entry by its key, escapes undone", () => {
    expect(parentOf('product.variants[2].prices["USD"]')).toEqual({
      parent: "product.variants[2].prices",
      item: "USD",
    });
    expect(parentOf('metadata["a \\"b\\""]')).toEqual({ parent: "metadata", item: 'a "b"' });
  });

  it("has no parent for a path that names no item", () => {
    expect(parentOf("product.variants[0].sku")).toBeUndefined();
    expect(parentOf("customer_id")).toBeUndefined();
    expect(parentOf("[0]")).toBeUndefined();
  });

  it("drops a prefix only from the start", () => {
    expect(withoutPrefix("order.items[0].sku", "order.")).toBe("items[0].sku");
    expect(withoutPrefix("items[0].sku", "order.")).toBe("items[0].sku");
    expect(withoutPrefix("company.name", undefined)).toBe("company.name");
  });
});
