import { create, toBinary } from "@bufbuild/protobuf";
import http2 from "node:http2";
import { connect, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateOrderRequestSchema } from "../../../gen/orders/v1/orders_service_pb.js";
import { clientsFor } from "../../support/clients.js";
import { testDatabaseUrl } from "../../support/database.js";
import { createCustomerId, seedOrderRequest } from "../../support/fixtures.js";
import { startTestService, type TestService, type TestTenant } from "../../support/service.js";
import { ifSetUp } from "../../support/set-up.js";

// A Connect unary body has no length of its own and HTTP/2 does not require a content-length, so a
// body cut short would still parse when cut at a protobuf field boundary. Node ends the request body
// with an error, not a normal end, when the client destroys the stream or the connection drops
// before END_STREAM; these tests keep it that way. (A client that ends the stream first and resets
// it afterwards, as Node's stream.close() does, has sent a complete request.)

let service: TestService;
let tenant: TestTenant;
let customerId: string;
let db: pg.Pool;

beforeAll(async () => {
  service = await startTestService();
  tenant = await service.newTenant();
  customerId = await createCustomerId(clientsFor("grpc-http2", service.url, tenant.key));
  db = new pg.Pool({ connectionString: testDatabaseUrl(), max: 1 });
});
afterAll(async () => {
  await ifSetUp(db)?.end();
  await ifSetUp(service)?.shutdown();
});

/** Sends `body` on a new HTTP/2 stream without ending it, then abandons the upload as `how` says. */
async function sendThenAbandon(how: "destroy stream" | "drop connection", body: Uint8Array): Promise<void> {
  let socket: Socket | undefined;
  const session = http2.connect(service.url, { createConnection: () => (socket = connect(service.port, "127.0.0.1")) });
  session.on("error", () => undefined);
  const stream = session.request({
    ":method": "POST",
    ":path": "/orders.v1.OrdersService/CreateOrder",
    authorization: `Bearer ${tenant.key}`,
    "content-type": "application/proto",
  });
  stream.on("error", () => undefined);
  await new Promise<void>((resolve) => stream.write(body, () => resolve()));
  // Let the server read what was sent before the upload is abandoned.
  await new Promise((resolve) => setTimeout(resolve, 100));
  if (how === "destroy stream") stream.destroy();
  else socket?.destroy();
  await new Promise((resolve) => setTimeout(resolve, 500));
  session.destroy();
}

describe("an upload the client abandons before END_STREAM", () => {
  it.each(["destroy stream", "drop connection"] as const)(
    "is not processed even when what arrived parses (%s)",
    async (how) => {
      const requestId = crypto.randomUUID();
      const items = [
        { sku: "A", name: "first", quantity: 1, unitPrice: "1.00" },
        { sku: "B", name: "second", quantity: 1, unitPrice: "2.00" },
      ];
      // What arrives is itself a valid request: the same order with one item less.
      const arrived = toBinary(
        CreateOrderRequestSchema,
        create(CreateOrderRequestSchema, { ...seedOrderRequest(customerId), requestId, items: items.slice(0, 1) }),
      );
      await sendThenAbandon(how, arrived);
      const rows = await db.query("select 1 from orders where request_id = $1", [requestId]);
      expect(rows.rowCount).toBe(0);
    },
  );
});
