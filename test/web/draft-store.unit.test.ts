import { describe, expect, it } from "vitest";
import { draftStore } from "../../web/src/draft-store.js";

/** sessionStorage as far as the draft store uses it. */
function memoryStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe("the console's kept draft (the cart a reload reads back)", () => {
  const draft = { cartId: "7f1c", companyId: "c0", poNumber: "PO-1", channel: "3" };

  it("reads back what it kept, per entry, and nothing once cleared", () => {
    const storage = memoryStorage();
    const here = draftStore(storage, "orderspine.draft@http://a");
    const there = draftStore(storage, "orderspine.draft@http://b");
    expect(here.read()).toBeUndefined();
    here.write(draft);
    expect(here.read()).toEqual(draft);
    expect(there.read()).toBeUndefined();
    here.clear();
    expect(here.read()).toBeUndefined();
    expect(storage.items.size).toBe(0);
  });

  it("reads no draft from an entry it did not write: not JSON, not an object, no cart, fields of other types", () => {
    const storage = memoryStorage();
    const store = draftStore(storage, "k");
    for (const kept of ["{", "42", "null", '"x"', "{}", '{"cartId":""}', '{"cartId":7}']) {
      storage.items.set("k", kept);
      expect(store.read(), kept).toBeUndefined();
    }
    storage.items.set("k", JSON.stringify({ cartId: "7f1c", poNumber: 12, extra: "x" }));
    expect(store.read()).toEqual({ cartId: "7f1c", companyId: "", poNumber: "", channel: "0" });
  });
});
