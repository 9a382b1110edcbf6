import type { MessageInitShape } from "@bufbuild/protobuf";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ShippingRateKind, type ShippingMethod, type ShippingMethodSchema } from "../../gen/orders/v1/shipping_pb.js";
import type { Clients } from "../support/clients.js";
import { Code, observedError, rejectionOf } from "../support/errors.js";
import { buildInMemoryService, type InMemoryService } from "../support/in-memory.js";
import { ifSetUp } from "../support/set-up.js";

let service: InMemoryService;
let clients: Clients;
let viewer: Clients;

beforeAll(async () => {
  service = await buildInMemoryService();
  const tenant = await service.newTenant();
  clients = service.clients(tenant.key);
  viewer = service.clients(await service.newKey(tenant.tenantId, "viewer"));
});
afterAll(() => ifSetUp(service)?.close());

/** A method as a client writes it (a plain object, not a message). */
type MethodInit = Exclude<MessageInitShape<typeof ShippingMethodSchema>, ShippingMethod>;

const ground: MethodInit = {
  displayName: "Standard (3-5 days)",
  carrier: "UPS",
  service: "Ground",
  countries: ["US", "CA"],
  rates: [
    { currency: "USD", kind: ShippingRateKind.FLAT, amount: "4.95", freeAbove: "50" },
    {
      currency: "CAD",
      kind: ShippingRateKind.SUBTOTAL_TIERS,
      tiers: [
        { from: "0", amount: "9.5" },
        { from: "100", amount: "4" },
      ],
    },
    {
      currency: "JPY",
      kind: ShippingRateKind.WEIGHT_TIERS,
      tiers: [
        { from: "0", amount: "800" },
        { from: "2000", amount: "1500" },
      ],
    },
  ],
};

function methodOf(response: { shippingMethod?: ShippingMethod }): ShippingMethod {
  if (!response.shippingMethod) throw new Error("no shipping method in the response");
  return response.shippingMethod;
}

async function newMethod(changes: Partial<MethodInit> = {}, caller = clients): Promise<ShippingMethod> {
  return methodOf(await caller.shipping.createShippingMethod({ shippingMethod: { ...ground, ...changes } }));
}

describe("CreateShippingMethod and GetShippingMethod", () => {
  it("creates an active method with its amounts in the currency's minor units and reads it back", async () => {
    const method = await newMethod();
    expect(method).toMatchObject({
      displayName: "Standard (3-5 days)",
      carrier: "UPS",
      service: "Ground",
      countries: ["CA", "US"],
      active: true,
      rates: [
        { currency: "USD", kind: ShippingRateKind.FLAT, amount: "4.95", tiers: [], freeAbove: "50.00" },
        {
          currency: "CAD",
          kind: ShippingRateKind.SUBTOTAL_TIERS,
          amount: "",
          tiers: [
            { from: "0.00", amount: "9.50" },
            { from: "100.00", amount: "4.00" },
          ],
          freeAbove: "",
        },
        {
          currency: "JPY",
          kind: ShippingRateKind.WEIGHT_TIERS,
          tiers: [
            { from: "0", amount: "800" },
            { from: "2000", amount: "1500" },
          ],
        },
      ],
    });
    expect(method.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(method.etag).toMatch(/^[0-9a-f]{16}$/);
    expect(method.createTime).toEqual(method.updateTime);
    expect(methodOf(await viewer.shipping.getShippingMethod({ id: method.id }))).toEqual(method);
  });

  it("creates an inactive method when asked, and one that ships everywhere without countries", async () => {
    const method = await newMethod({ active: false, countries: [] });
    expect(method).toMatchObject({ active: false, countries: [] });
  });

  it("answers a retry with the same request_id as the first call, and refuses its reuse for another request", async () => {
    const requestId = randomUUID();
    const first = methodOf(await clients.shipping.createShippingMethod({ shippingMethod: ground, requestId }));
    const again = methodOf(await clients.shipping.createShippingMethod({ shippingMethod: ground, requestId }));
    expect(again).toEqual(first);
    const reused = await rejectionOf(
      clients.shipping.createShippingMethod({ shippingMethod: { ...ground, carrier: "DHL" }, requestId }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("refuses missing fields, unknown countries and currencies with a field violation each", async () => {
    const missing = await rejectionOf(
      clients.shipping.createShippingMethod({ shippingMethod: { countries: ["US", "XX"] } }),
    );
    expect(missing).toMatchObject({ code: Code.InvalidArgument, reason: "INVALID_ARGUMENT" });
    expect(missing.violations).toEqual([
      { field: "shipping_method.display_name", reason: "REQUIRED" },
      { field: "shipping_method.carrier", reason: "REQUIRED" },
      { field: "shipping_method.service", reason: "REQUIRED" },
      { field: "shipping_method.countries[1]", reason: "UNKNOWN_COUNTRY" },
      { field: "shipping_method.rates", reason: "REQUIRED" },
    ]);
    const unknown = await rejectionOf(
      newMethod({ rates: [{ currency: "XAU", kind: ShippingRateKind.FLAT, amount: "1" }] }),
    );
    expect(unknown.violations).toEqual([{ field: "shipping_method.rates[0].currency", reason: "UNKNOWN_CURRENCY" }]);
    const noRequest = await rejectionOf(clients.shipping.createShippingMethod({}));
    expect(noRequest.violations).toEqual([{ field: "shipping_method", reason: "REQUIRED" }]);
  });

  it("refuses two rates of one currency, too many fraction digits, tiers not ascending and fractional grams", async () => {
    const error = await rejectionOf(
      newMethod({
        rates: [
          { currency: "USD", kind: ShippingRateKind.FLAT, amount: "4.955" },
          { currency: "USD", kind: ShippingRateKind.FLAT, amount: "5" },
          {
            currency: "EUR",
            kind: ShippingRateKind.SUBTOTAL_TIERS,
            tiers: [
              { from: "0", amount: "5" },
              { from: "50", amount: "3" },
              { from: "50.00", amount: "2" },
              { from: "20", amount: "1" },
            ],
            freeAbove: "99.999",
          },
          {
            currency: "KWD",
            kind: ShippingRateKind.WEIGHT_TIERS,
            tiers: [
              { from: "0", amount: "1.250" },
              { from: "1000.5", amount: "2" },
            ],
          },
        ],
      }),
    );
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toEqual([
      { field: "shipping_method.rates[0].amount", reason: "TOO_MANY_FRACTION_DIGITS" },
      { field: "shipping_method.rates[1].currency", reason: "DUPLICATE_CURRENCY" },
      { field: "shipping_method.rates[2].free_above", reason: "TOO_MANY_FRACTION_DIGITS" },
      { field: "shipping_method.rates[2].tiers[2].from", reason: "TIERS_NOT_ASCENDING" },
      { field: "shipping_method.rates[2].tiers[3].from", reason: "TIERS_NOT_ASCENDING" },
      { field: "shipping_method.rates[3].tiers[1].from", reason: "NOT_WHOLE_GRAMS" },
    ]);
  });

  it("refuses a flat rate without amount or with tiers, and a tiered rate with an amount or without tiers", async () => {
    const error = await rejectionOf(
      newMethod({
        rates: [
          { currency: "USD", kind: ShippingRateKind.FLAT, tiers: [{ from: "0", amount: "1" }] },
          { currency: "EUR", kind: ShippingRateKind.WEIGHT_TIERS, amount: "3" },
        ],
      }),
    );
    expect(error.violations).toEqual([
      { field: "shipping_method.rates[0].amount", reason: "REQUIRED" },
      { field: "shipping_method.rates[0].tiers", reason: "NOT_ALLOWED" },
      { field: "shipping_method.rates[1].amount", reason: "NOT_ALLOWED" },
      { field: "shipping_method.rates[1].tiers", reason: "REQUIRED" },
    ]);
    const noKind = await rejectionOf(newMethod({ rates: [{ currency: "GBP", amount: "3" }] }));
    expect(noKind.violations).toEqual([{ field: "shipping_method.rates[0].kind", reason: "REQUIRED" }]);
  });

  it("refuses what the contract's patterns and limits refuse, with their rule's reason", async () => {
    const error = await rejectionOf(
      newMethod({
        displayName: "x".repeat(101),
        countries: ["us", "US", "US"],
        rates: [
          { currency: "usd", kind: ShippingRateKind.FLAT, amount: "1,50", freeAbove: "-1" },
          {
            currency: "EUR",
            // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- a value outside the enum, on purpose
            kind: 7 as ShippingRateKind,
            tiers: [{ from: "", amount: "1e3" }],
          },
        ],
      }),
    );
    expect(error.violations).toEqual([
      { field: "shipping_method.display_name", reason: "STRING_MAX_LEN" },
      { field: "shipping_method.countries", reason: "REPEATED_UNIQUE" },
      { field: "shipping_method.countries[0]", reason: "INVALID_COUNTRY_CODE" },
      { field: "shipping_method.rates[0].currency", reason: "INVALID_CURRENCY_CODE" },
      { field: "shipping_method.rates[0].amount", reason: "INVALID_DECIMAL" },
      { field: "shipping_method.rates[0].free_above", reason: "INVALID_DECIMAL" },
      { field: "shipping_method.rates[1].kind", reason: "ENUM_DEFINED_ONLY" },
      { field: "shipping_method.rates[1].tiers[0].from", reason: "REQUIRED" },
      { field: "shipping_method.rates[1].tiers[0].amount", reason: "INVALID_DECIMAL" },
    ]);
    const rates = Array.from({ length: 21 }, () => ({ currency: "USD", kind: ShippingRateKind.FLAT, amount: "1" }));
    const tooMany = await rejectionOf(newMethod({ rates }));
    expect(tooMany.violations).toEqual([{ field: "shipping_method.rates", reason: "REPEATED_MAX_ITEMS" }]);
  });

  it("answers an unknown id and another tenant's method as NOT_FOUND SHIPPING_METHOD_NOT_FOUND", async () => {
    const method = await newMethod();
    const unknown = randomUUID();
    expect(await rejectionOf(clients.shipping.getShippingMethod({ id: unknown }))).toMatchObject({
      code: Code.NotFound,
      reason: "SHIPPING_METHOD_NOT_FOUND",
      metadata: { shippingMethodId: unknown },
    });
    const other = service.clients((await service.newTenant("admin")).key);
    expect(await rejectionOf(other.shipping.getShippingMethod({ id: method.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "SHIPPING_METHOD_NOT_FOUND",
    });
  });

  it("lets viewers read but not create, update or delete", async () => {
    const method = await newMethod();
    expect(await rejectionOf(viewer.shipping.createShippingMethod({ shippingMethod: ground }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
      metadata: { requiredRole: "editor", role: "viewer" },
    });
    expect(
      await rejectionOf(
        viewer.shipping.updateShippingMethod({
          shippingMethod: { id: method.id, active: false },
          updateMask: { paths: ["active"] },
        }),
      ),
    ).toMatchObject({ code: Code.PermissionDenied, reason: "ROLE_REQUIRED" });
    expect(await rejectionOf(viewer.shipping.deleteShippingMethod({ id: method.id }))).toMatchObject({
      code: Code.PermissionDenied,
      reason: "ROLE_REQUIRED",
    });
    expect((await viewer.shipping.listShippingMethods({})).shippingMethods.length).toBeGreaterThan(0);
  });

  it("needs a key", async () => {
    const error = await rejectionOf(service.clients(undefined).shipping.getShippingMethod({ id: randomUUID() }));
    expect(error.code).toBe(Code.Unauthenticated);
  });
});

describe("UpdateShippingMethod", () => {
  it("sets exactly the masked fields and changes the etag", async () => {
    const method = await newMethod();
    const updated = methodOf(
      await clients.shipping.updateShippingMethod({
        shippingMethod: {
          id: method.id,
          etag: method.etag,
          displayName: "Economy",
          carrier: "ignored: not in the mask",
          countries: ["DE", "AT"],
          rates: [{ currency: "EUR", kind: ShippingRateKind.FLAT, amount: "3.9" }],
        },
        updateMask: { paths: ["display_name", "countries", "rates"] },
      }),
    );
    expect(updated).toMatchObject({
      id: method.id,
      displayName: "Economy",
      carrier: "UPS",
      service: "Ground",
      countries: ["AT", "DE"],
      rates: [{ currency: "EUR", kind: ShippingRateKind.FLAT, amount: "3.90" }],
      active: true,
    });
    expect(updated.etag).not.toBe(method.etag);
    expect(methodOf(await clients.shipping.getShippingMethod({ id: method.id }))).toEqual(updated);
  });

  it("clears countries and active when named empty, and reads * as every field", async () => {
    const method = await newMethod();
    const cleared = methodOf(
      await clients.shipping.updateShippingMethod({
        shippingMethod: { id: method.id },
        updateMask: { paths: ["countries", "active"] },
      }),
    );
    expect(cleared).toMatchObject({ countries: [], active: false, displayName: "Standard (3-5 days)" });
    const all = methodOf(
      await clients.shipping.updateShippingMethod({
        shippingMethod: { ...ground, id: method.id, carrier: "FedEx", active: true },
        updateMask: { paths: ["*"] },
      }),
    );
    expect(all).toMatchObject({ carrier: "FedEx", countries: ["CA", "US"], active: true });
  });

  it("refuses a stale etag with ABORTED ETAG_MISMATCH and changes nothing", async () => {
    const method = await newMethod();
    await clients.shipping.updateShippingMethod({
      shippingMethod: { id: method.id, etag: method.etag, displayName: "First" },
      updateMask: { paths: ["display_name"] },
    });
    const stale = await rejectionOf(
      clients.shipping.updateShippingMethod({
        shippingMethod: { id: method.id, etag: method.etag, displayName: "Second" },
        updateMask: { paths: ["display_name"] },
      }),
    );
    expect(stale).toMatchObject({
      code: Code.Aborted,
      reason: "ETAG_MISMATCH",
      metadata: { shippingMethodId: method.id },
    });
    expect(methodOf(await clients.shipping.getShippingMethod({ id: method.id })).displayName).toBe("First");
  });

  it("refuses a bad mask, a bad id, cleared required fields and bad rates, naming each", async () => {
    const method = await newMethod();
    const empty = await rejectionOf(
      clients.shipping.updateShippingMethod({ shippingMethod: { id: method.id }, updateMask: {} }),
    );
    expect(empty.violations).toEqual([{ field: "update_mask", reason: "REQUIRED" }]);
    const bad = await rejectionOf(
      clients.shipping.updateShippingMethod({
        shippingMethod: { id: "nope" },
        updateMask: { paths: ["carrier", "etag"] },
      }),
    );
    expect(bad.violations).toEqual([
      { field: "shipping_method.id", reason: "INVALID_UUID" },
      { field: "update_mask.paths[1]", reason: "NOT_UPDATABLE" },
    ]);
    const cleared = await rejectionOf(
      clients.shipping.updateShippingMethod({
        shippingMethod: {
          id: method.id,
          countries: ["ZZ"],
          rates: [{ currency: "USD", kind: ShippingRateKind.FLAT, amount: "0.001" }],
        },
        updateMask: { paths: ["display_name", "carrier", "service", "countries", "rates"] },
      }),
    );
    expect(cleared.violations).toEqual([
      { field: "shipping_method.display_name", reason: "REQUIRED" },
      { field: "shipping_method.carrier", reason: "REQUIRED" },
      { field: "shipping_method.service", reason: "REQUIRED" },
      { field: "shipping_method.countries[0]", reason: "UNKNOWN_COUNTRY" },
      { field: "shipping_method.rates[0].amount", reason: "TOO_MANY_FRACTION_DIGITS" },
    ]);
    const noRates = await rejectionOf(
      clients.shipping.updateShippingMethod({ shippingMethod: { id: method.id }, updateMask: { paths: ["rates"] } }),
    );
    expect(noRates.violations).toEqual([{ field: "shipping_method.rates", reason: "REQUIRED" }]);
    const noMethod = await rejectionOf(clients.shipping.updateShippingMethod({ updateMask: { paths: ["carrier"] } }));
    expect(noMethod.violations).toEqual([{ field: "shipping_method", reason: "REQUIRED" }]);
    expect(methodOf(await clients.shipping.getShippingMethod({ id: method.id }))).toEqual(method);
  });

  it("refuses a time no encoding can carry, even in a field it ignores", async () => {
    const method = await newMethod();
    const error = await rejectionOf(
      clients.shipping.updateShippingMethod({
        shippingMethod: { id: method.id, carrier: "X", updateTime: { seconds: 253402300800n } },
        updateMask: { paths: ["carrier"] },
        requestId: randomUUID(),
      }),
    );
    expect(error).toMatchObject({
      code: Code.InvalidArgument,
      violations: [{ field: "shipping_method.update_time" }],
    });
  });

  it("answers an unknown method and another tenant's method as NOT_FOUND", async () => {
    const method = await newMethod();
    const other = service.clients((await service.newTenant()).key);
    for (const [caller, id] of [
      [clients, randomUUID()],
      [other, method.id],
    ] as const) {
      const error = await rejectionOf(
        caller.shipping.updateShippingMethod({
          shippingMethod: { id, carrier: "X" },
          updateMask: { paths: ["carrier"] },
        }),
      );
      expect(error).toMatchObject({
        code: Code.NotFound,
        reason: "SHIPPING_METHOD_NOT_FOUND",
        metadata: { shippingMethodId: id },
      });
    }
  });

  it("replays a retry with the same request_id, even after a later change, and refuses its reuse", async () => {
    const method = await newMethod();
    const request = {
      shippingMethod: { id: method.id, etag: method.etag, carrier: "DHL" },
      updateMask: { paths: ["carrier"] },
      requestId: randomUUID(),
    };
    const first = await clients.shipping.updateShippingMethod(request);
    await clients.shipping.updateShippingMethod({
      shippingMethod: { id: method.id, carrier: "Later" },
      updateMask: { paths: ["carrier"] },
    });
    expect(await clients.shipping.updateShippingMethod(request)).toEqual(first);
    const reused = await rejectionOf(
      clients.shipping.updateShippingMethod({ ...request, shippingMethod: { id: method.id, carrier: "Y" } }),
    );
    expect(reused).toMatchObject({ code: Code.AlreadyExists, reason: "IDEMPOTENCY_KEY_REUSED" });
  });

  it("lets exactly one of two concurrent updates under the same etag win", async () => {
    const method = await newMethod();
    const results = await Promise.allSettled(
      ["Left", "Right"].map((carrier) =>
        clients.shipping.updateShippingMethod({
          shippingMethod: { id: method.id, etag: method.etag, carrier },
          updateMask: { paths: ["carrier"] },
        }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(observedError(lost?.reason)).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH" });
    const carrier = methodOf(await clients.shipping.getShippingMethod({ id: method.id })).carrier;
    expect(won[0]?.status === "fulfilled" && won[0].value.shippingMethod?.carrier).toBe(carrier);
  });
});

describe("DeleteShippingMethod", () => {
  it("deletes a method, after which it is NOT_FOUND, also to a second delete", async () => {
    const method = await newMethod();
    expect(await clients.shipping.deleteShippingMethod({ id: method.id, etag: method.etag })).toEqual(
      expect.objectContaining({}),
    );
    expect(await rejectionOf(clients.shipping.getShippingMethod({ id: method.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "SHIPPING_METHOD_NOT_FOUND",
    });
    expect(await rejectionOf(clients.shipping.deleteShippingMethod({ id: method.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "SHIPPING_METHOD_NOT_FOUND",
      metadata: { shippingMethodId: method.id },
    });
  });

  it("refuses a stale etag and keeps the method", async () => {
    const method = await newMethod();
    const changed = methodOf(
      await clients.shipping.updateShippingMethod({
        shippingMethod: { id: method.id, active: false },
        updateMask: { paths: ["active"] },
      }),
    );
    expect(
      await rejectionOf(clients.shipping.deleteShippingMethod({ id: method.id, etag: method.etag })),
    ).toMatchObject({ code: Code.Aborted, reason: "ETAG_MISMATCH", metadata: { shippingMethodId: method.id } });
    expect(methodOf(await clients.shipping.getShippingMethod({ id: method.id }))).toEqual(changed);
  });

  it("answers a retry with the same request_id as the first call though the method is gone, and refuses its reuse", async () => {
    const method = await newMethod();
    const other = await newMethod();
    const requestId = randomUUID();
    await clients.shipping.deleteShippingMethod({ id: method.id, requestId });
    expect(await clients.shipping.deleteShippingMethod({ id: method.id, requestId })).toEqual(
      await clients.shipping.deleteShippingMethod({ id: other.id }),
    );
    expect(await rejectionOf(clients.shipping.deleteShippingMethod({ id: other.id, requestId }))).toMatchObject({
      code: Code.AlreadyExists,
      reason: "IDEMPOTENCY_KEY_REUSED",
    });
  });

  it("answers another tenant's method as NOT_FOUND and leaves it", async () => {
    const method = await newMethod();
    const other = service.clients((await service.newTenant()).key);
    expect(await rejectionOf(other.shipping.deleteShippingMethod({ id: method.id }))).toMatchObject({
      code: Code.NotFound,
      reason: "SHIPPING_METHOD_NOT_FOUND",
    });
    expect(methodOf(await clients.shipping.getShippingMethod({ id: method.id }))).toEqual(method);
  });

  it("lets exactly one of two concurrent deletes win; the other finds nothing", async () => {
    const method = await newMethod();
    const results = await Promise.allSettled(
      [randomUUID(), randomUUID()].map((requestId) =>
        clients.shipping.deleteShippingMethod({ id: method.id, requestId }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(observedError(lost?.reason)).toMatchObject({ code: Code.NotFound, reason: "SHIPPING_METHOD_NOT_FOUND" });
  });
});

describe("ListShippingMethods", () => {
  it("pages through the tenant's methods oldest first, all of them or only the active or inactive ones", async () => {
    const own = service.clients((await service.newTenant()).key);
    const names = ["A", "B", "C", "D", "E"];
    for (const [index, name] of names.entries()) {
      await newMethod({ displayName: name, active: index % 2 === 0 }, own);
    }
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await own.shipping.listShippingMethods({ pageSize: 2, pageToken });
      expect(page.shippingMethods.length).toBeLessThanOrEqual(2);
      seen.push(...page.shippingMethods.map((m) => m.displayName));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual(names);

    const first = await own.shipping.listShippingMethods({ active: true, pageSize: 2 });
    expect(first.shippingMethods.map((m) => m.displayName)).toEqual(["A", "C"]);
    const second = await own.shipping.listShippingMethods({
      active: true,
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second).toMatchObject({ shippingMethods: [{ displayName: "E" }], nextPageToken: "" });
    const inactive = await own.shipping.listShippingMethods({ active: false });
    expect(inactive.shippingMethods.map((m) => m.displayName)).toEqual(["B", "D"]);
  });

  it("refuses a token of another filter, a made-up one, and one of ListCompanies", async () => {
    const own = service.clients((await service.newTenant()).key);
    for (const name of ["1", "2", "3"]) await newMethod({ displayName: name }, own);
    const page = await own.shipping.listShippingMethods({ pageSize: 1 });
    for (const active of [true, false]) {
      const changed = await rejectionOf(
        own.shipping.listShippingMethods({ pageSize: 1, pageToken: page.nextPageToken, active }),
      );
      expect(changed.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
    }
    const madeUp = await rejectionOf(own.shipping.listShippingMethods({ pageToken: "abc.def" }));
    expect(madeUp.violations).toEqual([{ field: "page_token", reason: "INVALID_PAGE_TOKEN" }]);
    for (const name of ["Acme 1", "Acme 2"]) await own.companies.createCompany({ name });
    const companies = await own.companies.listCompanies({ pageSize: 1 });
    const foreign = await rejectionOf(
      own.shipping.listShippingMethods({ pageSize: 1, pageToken: companies.nextPageToken }),
    );
    expect(foreign.violations).toEqual([{ field: "page_token", reason: "PAGE_TOKEN_FILTERS_CHANGED" }]);
  });

  it("shows no other tenant's methods", async () => {
    const tenant = await service.newTenant();
    expect((await service.clients(tenant.key).shipping.listShippingMethods({})).shippingMethods).toEqual([]);
  });
});

describe("ListShippingOptions", () => {
  // The orders capability prices the options (test/orders/checkout.test.ts); here: a viewer's call, validated.
  it("is open to viewer keys and validated as CreateOrder's request", async () => {
    const order = {
      email: "ada@example.com",
      currency: "USD",
      items: [{ sku: "A", name: "A", quantity: 1, unitPrice: "1" }],
    };
    expect((await viewer.shipping.listShippingOptions({ order })).options).toEqual([]);
    const bad = await rejectionOf(
      viewer.shipping.listShippingOptions({ order: { ...order, items: [{ name: "A", quantity: 1, unitPrice: "x" }] } }),
    );
    expect(bad.violations).toEqual([{ field: "order.items[0].unit_price", reason: "INVALID_DECIMAL" }]);
    const none = await rejectionOf(viewer.shipping.listShippingOptions({}));
    expect(none.violations).toEqual([{ field: "order", reason: "REQUIRED" }]);
  });
});
