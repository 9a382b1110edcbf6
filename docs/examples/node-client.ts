// A Node service calling Orderspine with the contract's generated code, imported from the
// orderspine package (package.json "exports": orderspine/gen/<path>_pb.js). Run by
// test/clients/typescript-package.test.ts exactly as it is here.
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { CustomersService } from "orderspine/gen/orders/v1/customers_service_pb.js";
import { Channel } from "orderspine/gen/orders/v1/order_pb.js";
import { OrdersService } from "orderspine/gen/orders/v1/orders_service_pb.js";

const apiKey: Interceptor = (next) => (request) => {
  request.header.set("Authorization", `Bearer ${process.env.ORDERSPINE_KEY}`);
  return next(request);
};
const transport = createGrpcTransport({
  baseUrl: process.env.ORDERSPINE_URL ?? "http://localhost:8080",
  interceptors: [apiKey],
});
const customers = createClient(CustomersService, transport);
const orders = createClient(OrdersService, transport);

const { customer } = await customers.createCustomer({ email: `buyer-${Date.now()}@example.com`, name: "Ada Buyer" });
const { order } = await orders.createOrder({
  customerId: customer?.id ?? "",
  channel: Channel.B2B_PORTAL,
  items: [{ sku: "INJ-6.7-CR", name: "6.7L Common-Rail Injector", quantity: 8, unitPrice: "289.50" }],
});
console.log(order?.orderNumber, order?.total); // 1001 2316.00
