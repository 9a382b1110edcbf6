import type * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clip, ERROR_LIMITS } from "../../../src/platform/transport/error-details.js";
import { clientsFor, PROTOCOLS } from "../../support/clients.js";
import { Code, rejectionOf } from "../../support/errors.js";
import { createCustomerId, seedOrderRequest } from "../../support/fixtures.js";
import { grpcJsClients, statusDetails, type GrpcJsClients } from "../../support/grpc-js.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

// Found by the fault suite's fuzzer: a 100,000-character metadata key came back in the violation's
// field path, the gRPC trailers outgrew what the client accepts, and the stream was reset with
// FRAME_SIZE_ERROR — no status at all, which gRPC clients report as INTERNAL.

let service: TestService;
let tenant: TestTenant;
let customerId: string;
let grpcJs: GrpcJsClients;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  customerId = await createCustomerId(clientsFor("grpc-http2", service.url, tenant.key));
  grpcJs = grpcJsClients(`127.0.0.1:${service.port}`);
});
afterAll(async () => {
  ifSetUp(grpcJs)?.close();
  await ifSetUp(service)?.shutdown();
});

const hugeKey = "k".repeat(100_000);

describe("errors stay small enough for gRPC trailers", () => {
  it.each(PROTOCOLS)(
    "a 100,000-character metadata key is INVALID_ARGUMENT with a clipped field path, over %s",
    async (protocol) => {
      const clients = clientsFor(protocol, service.url, tenant.key);
      const error = await rejectionOf(
        clients.orders.createOrder({ ...seedOrderRequest(customerId), metadata: { [hugeKey]: "v" } }),
      );
      expect(error.code).toBe(Code.InvalidArgument);
      expect(error.message.length).toBeLessThanOrEqual(ERROR_LIMITS.messageChars);
      expect(error.violations).toHaveLength(1);
      expect(error.violations[0]?.field.length).toBeLessThanOrEqual(ERROR_LIMITS.fieldChars);
      expect(error.violations[0]?.field).toMatch(/^metadata\["kkk.*…$/);
    },
  );

  it("a plain @grpc/grpc-js client (8 KiB metadata limit) gets the status and its details", async () => {
    const error = (await grpcJs
      .call(
        "OrdersService",
        "CreateOrder",
        { customer_id: customerId, items: [{ sku: "S", name: "N" }], metadata: { [hugeKey]: "v" } },
        tenant.key,
      )
      .catch((e: unknown) => e)) as grpc.ServiceError;
    expect(error.code).toBe(Code.InvalidArgument);
    expect(statusDetails(error).badRequest?.fieldViolations).toHaveLength(1);
  });

  it("500 invalid lines report the first violations and how many were left out", async () => {
    const clients = clientsFor("grpc-http2", service.url, tenant.key);
    const items = Array.from({ length: 500 }, () => ({ sku: "", name: "" }));
    const error = await rejectionOf(clients.orders.createOrder({ customerId, items }));
    expect(error.code).toBe(Code.InvalidArgument);
    expect(error.violations).toHaveLength(ERROR_LIMITS.violations);
    // one per line: none names its item (ITEM_REFERENCE_REQUIRED)
    expect(Number(error.metadata.omittedViolations)).toBeGreaterThanOrEqual(500 - ERROR_LIMITS.violations);
  });
});

describe("clip", () => {
  it("keeps short text, and never ends on half of a surrogate pair", () => {
    expect(clip("short", 10)).toBe("short");
    expect(clip("abcdefghij", 5)).toBe("abcd…");
    const clipped = clip(`abc${"𝕏".repeat(10)}`, 6);
    expect(clipped).toBe("abc𝕏…");
    expect(() => encodeURIComponent(clip(`a${"𝕏".repeat(10)}`, 5))).not.toThrow();
  });
});
