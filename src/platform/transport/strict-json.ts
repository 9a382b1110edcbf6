import type { DescMessage, DescMethod } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { Code, ConnectError } from "@connectrpc/connect";
import { ServiceError } from "./service-error.js";
import { toConnectError } from "./error-details.js";
import { strictJsonProblems, type StrictJsonReport } from "./strict-json-scan.js";

export { MAX_JSON_DEPTH, STRICT_JSON_REASONS, strictJsonProblems, type StrictJsonReport } from "./strict-json-scan.js";

/**
 * @bufbuild/protobuf 2.10 reads JSON with JSON.parse and Number(), which accepts more than proto3 JSON and loses
 * what a client sent without saying so:
 *
 * - an integer field given as a string is read with Number(): "0x10", "0b11", "0o7", "+5", "08" and "8." become 16,
 *   3, 7, 5, 8 and 8. Proto3 JSON allows a decimal number there, quoted or not, with an exponent or a fraction as
 *   long as the value is integral ("8", "-8", "8.0", "8e0"; not "8.5");
 * - JSON.parse keeps the last of duplicate keys, so `{"quantity":8,"quantity":1}` silently orders 1, and a field
 *   given under both its proto name and its JSON name is read twice. The spec lets a parser keep the last value but
 *   prefers a refusal where it cannot tell the order; the conformance suite and protobuf-es 2.12.1 and later refuse
 *   them, and so does this service, at any depth;
 * - a map<string, …> or Struct key "__proto__" is assigned to a plain object, which sets its prototype instead of
 *   adding an entry: the pair is dropped and the call succeeds. It is refused.
 *
 * Neither protobuf-es nor connect-es has an option for any of this. connect-es does turn each JSON message into text
 * through `jsonOptions.textDecoder` (after decompression and unframing, just before `fromJsonString`) for every
 * protocol — Connect unary and streaming, GET requests, gRPC and gRPC-Web with +json — and reports what it throws as
 * the call's error. `withStrictJson` gives every method its own decoder that decodes the UTF-8 as connect-es does,
 * scans the text once against the method's input descriptor and throws INVALID_ARGUMENT with one
 * google.rpc.BadRequest violation per problem at its field path. The scan is one pass over the text, keeps one small
 * frame per nesting level and refuses nesting deeper than MAX_JSON_DEPTH, so its cost is bounded by the body size
 * (itself bounded by readMaxBytes). Anything it cannot follow (malformed JSON) it leaves to JSON.parse, which
 * reports it as before. Binary protobuf is not affected.
 */

/** The error a client gets for a report of strictJsonProblems. */
export function strictJsonError(report: StrictJsonReport): ConnectError {
  const summary = report.violations.map((v) => `${v.field}: ${v.description}`).join("; ");
  const omitted = report.total - report.violations.length;
  return toConnectError(
    new ServiceError(
      "invalid_argument",
      "INVALID_ARGUMENT",
      `invalid request: ${summary}`,
      report.violations,
      omitted > 0 ? { omittedViolations: String(omitted) } : {},
    ),
  );
}

/** A connect-es JSON text decoder for messages of `schema` that refuses what strictJsonProblems finds. */
export function strictJsonDecoder(schema: DescMessage): { decode(input?: Uint8Array): string } {
  // connect-es' own default: replaces invalid UTF-8, drops a byte order mark.
  const utf8 = new TextDecoder();
  return {
    decode(input) {
      const text = utf8.decode(input);
      const report = strictJsonProblems(schema, text);
      if (report !== undefined) throw strictJsonError(report);
      return text;
    },
  };
}

/**
 * Wraps a `routes` callback of connectNodeAdapter so that every method it registers reads JSON through
 * strictJsonDecoder of its input message. A service is registered method by method (router.rpc), the way
 * router.service would, because connect-es takes handler options per registration and the decoder must know the
 * method. A `jsonOptions` given to connectNodeAdapter itself is replaced: pass it here, per registration, instead.
 */
export function withStrictJson(register: (router: ConnectRouter) => void): (router: ConnectRouter) => void {
  return (router) => register(strictRouter(router));
}

type HandlerOptions = NonNullable<Parameters<ConnectRouter["rpc"]>[2]>;
type AnyMethodImpl = Parameters<ConnectRouter["rpc"]>[1];

function strictRouter(router: ConnectRouter): ConnectRouter {
  const strict: ConnectRouter = {
    get handlers() {
      return router.handlers;
    },
    service(service, implementation, options) {
      for (const method of service.methods) {
        const impl: unknown = Reflect.get(implementation, method.localName);
        router.rpc(
          method,
          (typeof impl === "function" ? impl.bind(implementation) : unimplemented(method)) as AnyMethodImpl,
          strictOptions(method, options),
        );
      }
      return strict;
    },
    rpc(method, impl, options) {
      router.rpc(method, impl, strictOptions(method, options));
      return strict;
    },
  };
  return strict;
}

function strictOptions(method: DescMethod, options: HandlerOptions | undefined): HandlerOptions {
  // textDecoder is read by connect-es' JSON serialization but not declared on UniversalHandlerOptions.
  const jsonOptions = { ...options?.jsonOptions, textDecoder: strictJsonDecoder(method.input) };
  return { ...options, jsonOptions };
}

/** What router.service registers for a method the implementation leaves out. */
function unimplemented(method: DescMethod): () => never {
  const message = `${method.parent.typeName}.${method.name} is not implemented`;
  return () => {
    throw new ConnectError(message, Code.Unimplemented);
  };
}
