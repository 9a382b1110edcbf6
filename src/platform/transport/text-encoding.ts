import { configureTextEncoding, getTextEncoding } from "@bufbuild/protobuf/wire";

/**
 * Has protobuf-es turn strings into UTF-8 with Node's Buffer.from instead of TextEncoder.encode, in every message it
 * encodes (responses, events, idempotency records). Both give the same bytes for every string, a lone surrogate
 * becoming U+FFFD in both (test/platform/transport/text-encoding.unit.test.ts); Buffer.from takes small strings
 * from Node's pooled memory and costs a fifth of a TextEncoder call per string on this machine. In the bench's
 * profile TextEncoder.encode took 0.27 ms of service CPU per 5-line order and 0.47 ms per checkout order, whose
 * tax lines, adjustments and shipping line are some hundred short strings more (docs/performance.md). Decoding and
 * the UTF-8 check stay protobuf-es's own. Idempotent; the service calls it when it creates its server.
 */
export function useBufferTextEncoding(): void {
  const library = getTextEncoding();
  if (library.encodeUtf8 === encodeUtf8) return;
  configureTextEncoding({
    checkUtf8: library.checkUtf8,
    decodeUtf8: library.decodeUtf8,
    encodeUtf8,
  });
}

/** A string's UTF-8 bytes, as TextEncoder.encode gives them (a Buffer from a string never shares its memory). */
export function encodeUtf8(text: string): Uint8Array<ArrayBuffer> {
  return Buffer.from(text, "utf8");
}
