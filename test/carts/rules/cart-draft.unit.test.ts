import { create } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CreateOrderRequestSchema, LineItemInputSchema } from "../../../gen/orders/v1/orders_service_pb.js";
import {
  addCode,
  addLines,
  cartPathOf,
  fieldsFromCart,
  MAX_LINES,
  orderRequestOf,
  placedOrderRequest,
  removeCode,
  removeLine,
  setLineQuantity,
  withUpdates,
  type CartDraft,
  type CartLineDraft,
} from "../../../src/carts/rules/cart-draft.js";
import { newProblems } from "../../../src/carts/rules/pricing-problems.js";
import { loadConfig } from "../../../src/platform/config/config.js";

const item = (fields: Partial<{ sku: string; variantId: string; quantity: number; unitPrice: string }>) =>
  create(LineItemInputSchema, fields);
const ids = () => {
  let next = 0;
  return () => `line-${++next}`;
};
const draft = (fields: Partial<CartDraft> = {}): CartDraft => ({
  customerId: "",
  email: "",
  currency: "",
  billingAddress: undefined,
  shippingAddress: undefined,
  shippingMethod: undefined,
  couponCodes: [],
  giftCardCodes: [],
  metadata: {},
  lines: [],
  ...fields,
});

describe("addLines", () => {
  it("adds an item equal to a line but for quantity to that line, and appends the others", () => {
    const lines: CartLineDraft[] = [{ id: "a", item: item({ sku: "A", quantity: 2 }) }];
    const added = addLines(
      lines,
      [item({ sku: "A" }), item({ sku: "A", unitPrice: "1.00" }), item({ sku: "B", quantity: 3 })],
      ids(),
    );
    expect(added).toEqual({
      ok: true,
      value: {
        lines: [
          { id: "a", item: item({ sku: "A", quantity: 3 }) },
          { id: "line-1", item: item({ sku: "A", unitPrice: "1.00" }) },
          { id: "line-2", item: item({ sku: "B", quantity: 3 }) },
        ],
        placedAt: [0, 1, 2],
      },
    });
    // The lines given are not changed.
    expect(lines[0]?.item.quantity).toBe(2);
  });

  it("refuses a merged line above 1,000,000 units and a cart above 500 lines", () => {
    const full = addLines(
      [{ id: "a", item: item({ sku: "A", quantity: 999_999 }) }],
      [item({ sku: "A", quantity: 2 })],
      ids(),
    );
    expect(full).toMatchObject({
      ok: false,
      violations: [{ field: "items[0].quantity", reason: "QUANTITY_TOO_LARGE" }],
    });
    const many = Array.from({ length: MAX_LINES + 1 }, (_, i) => item({ sku: `S${i}` }));
    expect(addLines([], many, ids())).toMatchObject({
      ok: false,
      violations: [{ field: "items", reason: "TOO_MANY_LINES" }],
    });
  });

  it("keeps every unit: the units after are the units before plus the units added", () => {
    const anItem = fc.record({ sku: fc.constantFrom("A", "B", "C"), quantity: fc.integer({ min: 1, max: 1000 }) });
    fc.assert(
      fc.property(
        fc.array(anItem, { maxLength: 5 }),
        fc.array(anItem, { minLength: 1, maxLength: 5 }),
        (before, more) => {
          const start = addLines([], before.map(item), ids());
          if (!start.ok) return;
          const added = addLines(start.value.lines, more.map(item), ids());
          if (!added.ok) throw new Error("unexpected refusal");
          const units = (lines: readonly CartLineDraft[]) =>
            lines.reduce((sum, line) => sum + (line.item.quantity ?? 1), 0);
          expect(units(added.value.lines)).toBe(
            units(start.value.lines) + more.reduce((sum, m) => sum + m.quantity, 0),
          );
          // One line per distinct item.
          expect(new Set(added.value.lines.map((line) => line.item.sku)).size).toBe(added.value.lines.length);
        },
      ),
    );
  });
});

describe("line quantity and removal", () => {
  const lines: CartLineDraft[] = [
    { id: "a", item: item({ sku: "A" }) },
    { id: "b", item: item({ sku: "B" }) },
  ];
  it("sets a quantity, removes at 0, and answers undefined for a line the cart does not have", () => {
    expect(setLineQuantity(lines, "b", 4)?.map((line) => [line.id, line.item.quantity])).toEqual([
      ["a", undefined],
      ["b", 4],
    ]);
    expect(setLineQuantity(lines, "a", 0)?.map((line) => line.id)).toEqual(["b"]);
    expect(removeLine(lines, "b")?.map((line) => line.id)).toEqual(["a"]);
    expect(setLineQuantity(lines, "z", 1)).toBeUndefined();
    expect(removeLine(lines, "z")).toBeUndefined();
  });
});

describe("codes", () => {
  it("adds a code once in any case, refuses one beyond the limit, removes in any case", () => {
    expect(addCode(["Spring10"], "SPRING10", 10)).toEqual({ ok: true, value: { codes: ["Spring10"] } });
    expect(addCode(["A"], "B", 10)).toEqual({ ok: true, value: { codes: ["A", "B"] } });
    expect(addCode(["A", "B"], "C", 2)).toMatchObject({
      ok: false,
      violations: [{ field: "code", reason: "TOO_MANY_CODES" }],
    });
    expect(addCode(["A", "B"], "b", 2)).toEqual({ ok: true, value: { codes: ["A", "B"] } });
    expect(removeCode(["A", "Spring10"], "spring10")).toEqual(["A"]);
    expect(removeCode(["A"], "Z")).toEqual(["A"]);
  });
});

describe("withUpdates", () => {
  it("sets the named fields only, clearing those named but empty", () => {
    const before = draft({ email: "a@example.com", currency: "USD", metadata: { k: "v" }, couponCodes: ["X"] });
    const values = draft({ email: "", currency: "EUR", metadata: {}, couponCodes: ["IGNORED"] });
    expect(withUpdates(before, values, ["email", "currency"])).toEqual({ ...before, email: "", currency: "EUR" });
  });
});

describe("the order a cart places", () => {
  const cart = draft({
    email: "cart@example.com",
    currency: "USD",
    shippingAddress: { name: "Cart", line1: "1 Cart St", city: "X", country: "US" } as CartDraft["shippingAddress"],
    shippingMethod: {
      id: "",
      carrier: "DHL",
      service: "X",
      displayName: "",
      amount: "3.00",
    } as CartDraft["shippingMethod"],
    couponCodes: ["CART"],
    lines: [{ id: "a", item: item({ sku: "A", quantity: 2 }) }],
    metadata: { from: "cart" },
  });

  it("is the cart's draft when the request gives nothing else", () => {
    const request = placedOrderRequest(cart, create(CreateOrderRequestSchema, { cartId: "c" }));
    expect(request).toEqual({ ...orderRequestOf(cart), cartId: "" });
  });

  it("takes each field the request gives over the cart's; an address id or a shipping total replace too", () => {
    const request = placedOrderRequest(
      cart,
      create(CreateOrderRequestSchema, {
        cartId: "c",
        email: "request@example.com",
        shippingAddressId: "00000000-0000-4000-8000-000000000000",
        shippingTotal: "5.00",
        couponCodes: ["REQUEST"],
        customerNote: "leave at the door",
      }),
    );
    expect(request).toMatchObject({
      email: "request@example.com",
      shippingAddress: undefined,
      shippingAddressId: "00000000-0000-4000-8000-000000000000",
      shippingMethod: undefined,
      shippingTotal: "5.00",
      couponCodes: ["REQUEST"],
      customerNote: "leave at the door",
      currency: "USD",
      metadata: { from: "cart" },
    });
    expect(request.items.map((line) => [line.sku, line.quantity])).toEqual([["A", 2]]);
  });

  it("tells the fields that came from the cart from the request's", () => {
    const fromCart = fieldsFromCart(create(CreateOrderRequestSchema, { email: "x@example.com", giftCardCodes: ["G"] }));
    expect(["items[0].sku", "customer_id", "shipping_method.id", "coupon_codes[0]"].every(fromCart)).toBe(true);
    expect(["email", "gift_card_codes[0]", "payment.amount"].some(fromCart)).toBe(false);
    expect(cartPathOf("items[3].unit_price")).toBe("lines[3].item.unit_price");
    expect(cartPathOf("shipping_method.id")).toBe("shipping_method.id");
  });
});

describe("newProblems", () => {
  const problem = (field: string, reason = "PRODUCT_ARCHIVED") => ({ field, reason, description: "" });
  it("leaves out what the cart already had, telling lines by id across a removal", () => {
    const before = { problems: [problem("lines[1].item.product_id")], lineIds: ["a", "b"] };
    // Line a removed: b's problem is now at lines[0] and is not new.
    expect(newProblems(before, { problems: [problem("lines[0].item.product_id")], lineIds: ["b"] })).toEqual([]);
    const fresh = problem("shipping_method.id", "SHIPPING_METHOD_NOT_AVAILABLE");
    expect(
      newProblems(before, { problems: [problem("lines[1].item.product_id"), fresh], lineIds: ["a", "b"] }),
    ).toEqual([fresh]);
    expect(newProblems(before, { problems: [problem("lines[0].item.product_id")], lineIds: ["a", "b"] })).toHaveLength(
      1,
    );
  });
});

describe("CART_TTL", () => {
  it("defaults to 30 days, reads days, hours, minutes and seconds, and refuses anything else", () => {
    expect(loadConfig({}).cartTtlMs).toBe(30 * 24 * 60 * 60 * 1000);
    expect(loadConfig({ CART_TTL: "12h" }).cartTtlMs).toBe(12 * 60 * 60 * 1000);
    expect(loadConfig({ CART_TTL: "90m" }).cartTtlMs).toBe(90 * 60 * 1000);
    expect(loadConfig({ CART_TTL: "45s" }).cartTtlMs).toBe(45 * 1000);
    for (const bad of ["0d", "30", "1.5h", "-1d", "30 d", "1w"]) {
      expect(() => loadConfig({ CART_TTL: bad }), bad).toThrow(/CART_TTL/);
    }
  });
});
