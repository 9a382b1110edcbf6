import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { file_orders_v1_events } from "../../../gen/orders/v1/events_pb.js";
import { OrdersService } from "../../../gen/orders/v1/orders_service_pb.js";
import { HealthState, registerHealth } from "../../../src/platform/transport/health.js";
import { registerReflection } from "../../../src/platform/transport/reflection.js";
import { createServer, type OrderspineServer } from "../../../src/platform/transport/server.js";

const repo = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

let server: OrderspineServer;
let url: string;
let port: number;

beforeAll(async () => {
  const health = new HealthState();
  health.setServing("", true);
  server = createServer({
    handler: connectNodeAdapter({
      routes: (router) => {
        registerReflection(router, { extraFiles: [file_orders_v1_events] });
        // Registered after reflection on purpose: reflection must still describe them.
        registerHealth(router, health);
        router.service(OrdersService, {});
      },
    }),
    logger: pino({ level: "silent" }),
  });
  ({ url, port } = await server.listen(0, "127.0.0.1"));
});
afterAll(() => server.shutdown(0));

// ---- a plain grpc-js reflection client, built from reflection.proto ------------------------

interface ReflectionResponse {
  valid_host: string;
  original_request: Record<string, unknown>;
  message_response:
    "file_descriptor_response" | "all_extension_numbers_response" | "list_services_response" | "error_response";
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  all_extension_numbers_response?: { base_type_name: string; extension_number: number[] };
  list_services_response?: { service: { name: string }[] };
  error_response?: { error_code: number; error_message: string };
}

function reflectionClient(version: "v1" | "v1alpha") {
  const includeDirs = version === "v1" ? [repo(".deps/proto")] : [repo("node_modules/@grpc/reflection/build/proto")];
  const definition = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, {
    includeDirs,
    keepCase: true,
    oneofs: true,
    defaults: true,
  });
  const packages = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> };
  };
  const Client = packages.grpc.reflection[version]?.ServerReflection;
  if (!Client) throw new Error(`no ${version} reflection client`);
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const stream = (
    client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<object, ReflectionResponse> }
  ).ServerReflectionInfo();
  const pending: ((response: ReflectionResponse) => void)[] = [];
  stream.on("data", (response: ReflectionResponse) => pending.shift()?.(response));
  stream.on("error", () => {});
  return {
    /** One request, one response, on the same stream. */
    ask(request: object): Promise<ReflectionResponse> {
      return new Promise((resolve) => {
        pending.push(resolve);
        stream.write(request);
      });
    },
    close() {
      stream.end();
      client.close();
    },
  };
}

function files(response: ReflectionResponse): FileDescriptorProto[] {
  expect(response.message_response).toBe("file_descriptor_response");
  return (response.file_descriptor_response?.file_descriptor_proto ?? []).map((bytes) =>
    fromBinary(FileDescriptorProtoSchema, bytes),
  );
}

function fileNames(response: ReflectionResponse): string[] {
  return files(response).map((file) => file.name);
}

let client: ReturnType<typeof reflectionClient>;
beforeAll(() => {
  client = reflectionClient("v1");
});
afterAll(() => client.close());

// ---- tests ---------------------------------------------------------------------------------

describe("grpc.reflection.v1 ServerReflectionInfo", () => {
  it("lists every service on the router, including those registered after reflection", async () => {
    const response = await client.ask({ host: "orders.example", list_services: "" });
    expect(response.valid_host).toBe("orders.example");
    expect(response.list_services_response?.service.map((service) => service.name)).toEqual([
      "grpc.health.v1.Health",
      "grpc.reflection.v1.ServerReflection",
      "grpc.reflection.v1alpha.ServerReflection",
      "orders.v1.OrdersService",
    ]);
  });

  it("sends the file of a service with all its imports, and each import only once per stream", async () => {
    const stream = reflectionClient("v1");
    try {
      const first = files(await stream.ask({ file_containing_symbol: "orders.v1.OrdersService" }));
      expect(first[0]?.name).toBe("orders/v1/orders_service.proto");
      const names = new Set(first.map((file) => file.name));
      expect(names).toContain("buf/validate/validate.proto");
      expect(names).toContain("google/protobuf/descriptor.proto");
      // Self-contained: every import of every file sent is among the files sent.
      for (const file of first) for (const dependency of file.dependency) expect(names).toContain(dependency);

      // Already sent on this stream: the requested file comes again, its imports do not.
      const again = await stream.ask({ file_containing_symbol: "orders.v1.Order" });
      expect(fileNames(again)).toEqual(["orders/v1/order.proto"]);
    } finally {
      stream.close();
    }
  });

  it.each([
    ["a service", "grpc.health.v1.Health", "grpc/health/v1/health.proto"],
    ["a method", "grpc.health.v1.Health.Check", "grpc/health/v1/health.proto"],
    ["a message", "grpc.health.v1.HealthCheckRequest", "grpc/health/v1/health.proto"],
    ["a nested enum", "grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto"],
    ["a field", "grpc.health.v1.HealthCheckRequest.service", "grpc/health/v1/health.proto"],
    ["an extension", "buf.validate.field", "buf/validate/validate.proto"],
    ["a well-known type", "google.protobuf.Timestamp", "google/protobuf/timestamp.proto"],
  ])("finds the file containing %s", async (_kind, symbol, file) => {
    expect(fileNames(await client.ask({ file_containing_symbol: symbol }))[0]).toBe(file);
  });

  it("finds a file by name, including files added as extraFiles", async () => {
    expect(fileNames(await client.ask({ file_by_filename: "grpc/health/v1/health.proto" }))[0]).toBe(
      "grpc/health/v1/health.proto",
    );
    expect(fileNames(await client.ask({ file_by_filename: "orders/v1/events.proto" }))[0]).toBe(
      "orders/v1/events.proto",
    );
  });

  it("finds extensions by extendee and number, and lists their numbers", async () => {
    const containing = await client.ask({
      file_containing_extension: { containing_type: "google.protobuf.FieldOptions", extension_number: 1159 },
    });
    expect(fileNames(containing)[0]).toBe("buf/validate/validate.proto");

    const numbers = await client.ask({ all_extension_numbers_of_type: "google.protobuf.FieldOptions" });
    expect(numbers.all_extension_numbers_response?.base_type_name).toBe("google.protobuf.FieldOptions");
    expect(numbers.all_extension_numbers_response?.extension_number).toEqual(expect.arrayContaining([1159, 1160]));

    const none = await client.ask({ all_extension_numbers_of_type: "grpc.health.v1.HealthCheckRequest" });
    expect(none.all_extension_numbers_response?.extension_number).toEqual([]);
  });

  it.each([
    [{ file_containing_symbol: "no.such.Thing" }, 'symbol "no.such.Thing" not found'],
    [{ file_containing_symbol: "grpc.health.v1.Health.Nope" }, 'symbol "grpc.health.v1.Health.Nope" not found'],
    [
      { file_containing_symbol: "grpc.health.v1.HealthCheckRequest.nope" },
      'symbol "grpc.health.v1.HealthCheckRequest.nope" not found',
    ],
    [{ file_by_filename: "no/such.proto" }, 'file "no/such.proto" not found'],
    [
      { file_containing_extension: { containing_type: "google.protobuf.FieldOptions", extension_number: 1 } },
      'extension 1 of "google.protobuf.FieldOptions" not found',
    ],
    [
      { file_containing_extension: { containing_type: "no.Such", extension_number: 1159 } },
      'extension 1159 of "no.Such" not found',
    ],
    [{ all_extension_numbers_of_type: "no.Such" }, 'message type "no.Such" not found'],
  ])("answers NOT_FOUND in-stream for %j", async (request, message) => {
    const response = await client.ask(request);
    expect(response.error_response).toEqual({ error_code: grpc.status.NOT_FOUND, error_message: message });
    expect(response.original_request).toMatchObject(request);
  });

  it("answers INVALID_ARGUMENT for a request that asks nothing, and keeps the stream open", async () => {
    const response = await client.ask({ host: "x" });
    expect(response.error_response).toEqual({
      error_code: grpc.status.INVALID_ARGUMENT,
      error_message: "the request sets none of the message_request fields",
    });
    expect((await client.ask({ list_services: "" })).message_response).toBe("list_services_response");
  });
});

describe("grpc.reflection.v1alpha ServerReflectionInfo (older clients)", () => {
  it("answers like v1", async () => {
    const alpha = reflectionClient("v1alpha");
    try {
      const listed = await alpha.ask({ list_services: "" });
      expect(listed.list_services_response?.service.map((service) => service.name)).toContain(
        "orders.v1.OrdersService",
      );
      expect(fileNames(await alpha.ask({ file_containing_symbol: "grpc.health.v1.Health" }))[0]).toBe(
        "grpc/health/v1/health.proto",
      );
      expect((await alpha.ask({ file_by_filename: "nope.proto" })).error_response?.error_code).toBe(
        grpc.status.NOT_FOUND,
      );
    } finally {
      alpha.close();
    }
  });
});

describe("buf curl with no local .proto files", () => {
  const bufCurl = (...args: string[]) =>
    promisify(execFile)(
      repo("node_modules/.bin/buf"),
      ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args],
      { timeout: 20_000 },
    );

  it("lists the methods through v1 and v1alpha reflection", async () => {
    const v1 = await bufCurl("--list-methods", url);
    expect(v1.stdout.split("\n")).toEqual(
      expect.arrayContaining(["orders.v1.OrdersService/CreateOrder", "grpc.health.v1.Health/Check"]),
    );

    const v1alpha = await bufCurl("--reflect-protocol", "grpc-v1alpha", "--list-services", url);
    expect(v1alpha.stdout.split("\n")).toContain("orders.v1.OrdersService");
  });

  it("calls a method with the schema it learned by reflection", async () => {
    const { stdout } = await bufCurl("-d", "{}", `${url}/grpc.health.v1.Health/Check`);
    expect(JSON.parse(stdout)).toEqual({ status: "SERVING" });
  });
});
