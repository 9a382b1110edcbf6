import {
  clone,
  create,
  createFileRegistry,
  createRegistry,
  fromBinary,
  toBinary,
  type DescFile,
  type DescMessage,
  type DescMethod,
  type DescMethodBiDiStreaming,
  type DescService,
  type Message,
  type MessageInitShape,
  type Registry,
} from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import {
  file_grpc_reflection_v1_reflection,
  ServerReflection,
  ServerReflectionRequestSchema,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from "../../../gen/grpc/reflection/v1/reflection_pb.js";

/**
 * gRPC server reflection (grpc.reflection.v1 and the older, wire-identical v1alpha) for a Connect
 * router, so grpcurl, buf curl and Postman can call the service without local .proto files.
 * connect-es has no reflection package of its own (connectrpc/connect-es#507).
 *
 * It describes exactly what the router serves: the files of every registered service, read when
 * the first reflection call arrives — by then every service is registered, including those added
 * after this call. `extraFiles` adds files no service references (e.g. event payload messages).
 */
export function registerReflection(router: ConnectRouter, options: { extraFiles?: readonly DescFile[] } = {}): void {
  let index: DescriptorIndex | undefined;
  const lookup = () =>
    (index ??= new DescriptorIndex(
      router.handlers.map((handler) => handler.service),
      options.extraFiles ?? [],
    ));
  router.service(ServerReflection, { serverReflectionInfo: (requests) => answerAll(lookup, requests) });

  const alpha = v1alphaReflection();
  router.rpc(alpha.method, (requests: AsyncIterable<Message>) =>
    toV1alpha(answerAll(lookup, fromV1alpha(requests, alpha.request)), alpha.response),
  );
}

/** The files behind a set of services, with every file they import, searchable the ways reflection asks. */
class DescriptorIndex {
  readonly serviceNames: readonly string[];
  readonly #files = new Map<string, DescFile>();
  readonly #registry: Registry;
  readonly #encoded = new Map<DescFile, Uint8Array>();

  constructor(services: readonly DescService[], extraFiles: readonly DescFile[] = []) {
    this.serviceNames = [...new Set(services.map((service) => service.typeName))].sort();
    const visit = (file: DescFile): void => {
      if (this.#files.has(file.proto.name)) return;
      this.#files.set(file.proto.name, file);
      file.dependencies.forEach(visit);
    };
    services.forEach((service) => visit(service.file));
    extraFiles.forEach(visit);
    this.#registry = createRegistry(...this.#files.values());
  }

  fileByName(name: string): DescFile | undefined {
    return this.#files.get(name);
  }

  /** Services, methods, messages, fields, oneofs, enums and extensions, by fully-qualified name. */
  fileContainingSymbol(symbol: string): DescFile | undefined {
    const type = this.#registry.get(symbol);
    if (type) return type.file;
    const dot = symbol.lastIndexOf(".");
    const parent = this.#registry.get(symbol.slice(0, dot));
    const member = symbol.slice(dot + 1);
    if (parent?.kind === "service" && parent.methods.some((method) => method.name === member)) return parent.file;
    if (parent?.kind === "message" && parent.members.some((field) => field.name === member)) return parent.file;
    return undefined;
  }

  fileContainingExtension(extendee: string, fieldNumber: number): DescFile | undefined {
    const message = this.#registry.getMessage(extendee);
    return message && this.#registry.getExtensionFor(message, fieldNumber)?.file;
  }

  /** Field numbers of the known extensions of a message, or undefined for an unknown message. */
  extensionNumbers(extendee: string): number[] | undefined {
    if (!this.#registry.getMessage(extendee)) return undefined;
    const numbers: number[] = [];
    for (const type of this.#registry) {
      if (type.kind === "extension" && type.extendee.typeName === extendee) numbers.push(type.number);
    }
    return numbers.sort((a, b) => a - b);
  }

  /**
   * The file first, then the imports this stream has not been sent yet (breadth first). The spec
   * lets a server send dependencies along, which saves clients one round trip per import.
   */
  encodeWithDependencies(file: DescFile, alreadySent: Set<string>): Uint8Array[] {
    const out: Uint8Array[] = [];
    const queue = [file];
    const queued = new Set([file.proto.name]);
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (next === file || !alreadySent.has(next.proto.name)) {
        alreadySent.add(next.proto.name);
        out.push(this.#encode(next));
      }
      for (const dependency of next.dependencies) {
        if (!queued.has(dependency.proto.name)) {
          queued.add(dependency.proto.name);
          queue.push(dependency);
        }
      }
    }
    return out;
  }

  #encode(file: DescFile): Uint8Array {
    let bytes = this.#encoded.get(file);
    if (!bytes) {
      bytes = toBinary(FileDescriptorProtoSchema, file.proto);
      this.#encoded.set(file, bytes);
    }
    return bytes;
  }
}

async function* answerAll(
  index: () => DescriptorIndex,
  requests: AsyncIterable<ServerReflectionRequest>,
): AsyncIterable<ServerReflectionResponse> {
  // Per stream, like grpc-go: a client that already holds a file is not sent it again as an import.
  const sent = new Set<string>();
  for await (const request of requests) yield answer(index(), request, sent);
}

function answer(index: DescriptorIndex, request: ServerReflectionRequest, sent: Set<string>): ServerReflectionResponse {
  const reply = (messageResponse: MessageInitShape<typeof ServerReflectionResponseSchema>["messageResponse"]) =>
    create(ServerReflectionResponseSchema, { validHost: request.host, originalRequest: request, messageResponse });
  const error = (errorCode: Code, errorMessage: string) =>
    reply({ case: "errorResponse", value: { errorCode, errorMessage } });
  const files = (file: DescFile | undefined, what: string) =>
    file
      ? reply({
          case: "fileDescriptorResponse",
          value: { fileDescriptorProto: index.encodeWithDependencies(file, sent) },
        })
      : error(Code.NotFound, `${what} not found`);

  const { messageRequest } = request;
  switch (messageRequest.case) {
    case "listServices":
      return reply({ case: "listServicesResponse", value: { service: index.serviceNames.map((name) => ({ name })) } });
    case "fileByFilename":
      return files(index.fileByName(messageRequest.value), `file "${messageRequest.value}"`);
    case "fileContainingSymbol":
      return files(index.fileContainingSymbol(messageRequest.value), `symbol "${messageRequest.value}"`);
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = messageRequest.value;
      const file = index.fileContainingExtension(containingType, extensionNumber);
      return files(file, `extension ${extensionNumber} of "${containingType}"`);
    }
    case "allExtensionNumbersOfType": {
      const extensionNumber = index.extensionNumbers(messageRequest.value);
      if (!extensionNumber) return error(Code.NotFound, `message type "${messageRequest.value}" not found`);
      return reply({
        case: "allExtensionNumbersResponse",
        value: { baseTypeName: messageRequest.value, extensionNumber },
      });
    }
    case undefined:
      return error(Code.InvalidArgument, "the request sets none of the message_request fields");
  }
}

/**
 * grpc.reflection.v1alpha, which older grpcurl and many GUI clients still call, is v1 under another
 * package name with the same messages and field numbers. Renaming the package of the generated v1
 * descriptor gives its service without generating (or staging) a second copy of the .proto.
 */
function v1alphaReflection() {
  const proto = clone(FileDescriptorProtoSchema, file_grpc_reflection_v1_reflection.proto);
  const rename = (typeName: string) => typeName.replace(".grpc.reflection.v1.", ".grpc.reflection.v1alpha.");
  proto.name = "grpc/reflection/v1alpha/reflection.proto";
  proto.package = "grpc.reflection.v1alpha";
  proto.options = undefined;
  for (const message of proto.messageType) for (const field of message.field) field.typeName = rename(field.typeName);
  for (const service of proto.service) {
    for (const method of service.method) {
      method.inputType = rename(method.inputType);
      method.outputType = rename(method.outputType);
    }
  }
  const service = createFileRegistry(proto, () => undefined).getService("grpc.reflection.v1alpha.ServerReflection");
  const method = service?.methods[0];
  if (!isBiDiStreaming(method))
    throw new Error("grpc.reflection.v1alpha.ServerReflection could not be derived from v1");
  return { method, request: method.input, response: method.output };
}

function isBiDiStreaming(method: DescMethod | undefined): method is DescMethodBiDiStreaming {
  return method?.methodKind === "bidi_streaming";
}

/** v1alpha and v1 messages share field numbers, so binary is the lossless bridge between them. */
async function* fromV1alpha(
  requests: AsyncIterable<Message>,
  schema: DescMessage,
): AsyncIterable<ServerReflectionRequest> {
  for await (const request of requests) yield fromBinary(ServerReflectionRequestSchema, toBinary(schema, request));
}

async function* toV1alpha(
  responses: AsyncIterable<ServerReflectionResponse>,
  schema: DescMessage,
): AsyncIterable<Message> {
  for await (const response of responses) yield fromBinary(schema, toBinary(ServerReflectionResponseSchema, response));
}
