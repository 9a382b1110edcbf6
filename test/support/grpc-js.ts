import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { fromBinary } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { createRegistry } from "@bufbuild/protobuf";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  type BadRequest,
  type ErrorInfo,
} from "../../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";

/**
 * A plain @grpc/grpc-js client that knows the contract only from the .proto
 * files — the way a client in another language sees it — not from gen/.
 */
const definition = protoLoader.loadSync(["orders/v1/orders_service.proto", "orders/v1/customers_service.proto"], {
  includeDirs: ["proto", ".deps/proto"],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
});
const loaded = grpc.loadPackageDefinition(definition) as unknown as {
  orders: { v1: { OrdersService: grpc.ServiceClientConstructor; CustomersService: grpc.ServiceClientConstructor } };
};

export type Plain = Record<string, unknown>;
export type UnaryCall = (request: Plain, metadata?: grpc.Metadata) => Promise<Plain>;

export interface GrpcJsClients {
  call(service: "OrdersService" | "CustomersService", method: string, request: Plain, key?: string): Promise<Plain>;
  close(): void;
}

export function grpcJsClients(address: string): GrpcJsClients {
  const clients = {
    OrdersService: new loaded.orders.v1.OrdersService(address, grpc.credentials.createInsecure()),
    CustomersService: new loaded.orders.v1.CustomersService(address, grpc.credentials.createInsecure()),
  };
  return {
    call(service, method, request, key) {
      const metadata = new grpc.Metadata();
      if (key) metadata.set("authorization", `Bearer ${key}`);
      const client = clients[service] as unknown as Record<
        string,
        (req: Plain, md: grpc.Metadata, cb: (e: grpc.ServiceError | null, r: Plain) => void) => void
      >;
      const fn = client[method];
      if (!fn) throw new Error(`no method ${service}/${method}`);
      return new Promise((resolve, reject) =>
        fn.call(client, request, metadata, (e, r) => (e ? reject(e) : resolve(r))),
      );
    },
    close() {
      for (const c of Object.values(clients)) c.close();
    },
  };
}

const detailsRegistry = createRegistry(ErrorInfoSchema, BadRequestSchema);

/** Decodes google.rpc.Status from the grpc-status-details-bin trailer, as any gRPC client library can. */
export function statusDetails(error: grpc.ServiceError): { errorInfo?: ErrorInfo; badRequest?: BadRequest } {
  const raw = error.metadata.get("grpc-status-details-bin")[0];
  if (!(raw instanceof Buffer)) return {};
  const status = fromBinary(StatusSchema, raw);
  const out: { errorInfo?: ErrorInfo; badRequest?: BadRequest } = {};
  for (const detail of status.details) {
    const message = anyUnpack(detail, detailsRegistry);
    if (message?.$typeName === "google.rpc.ErrorInfo") out.errorInfo = message as ErrorInfo;
    if (message?.$typeName === "google.rpc.BadRequest") out.badRequest = message as BadRequest;
  }
  return out;
}
