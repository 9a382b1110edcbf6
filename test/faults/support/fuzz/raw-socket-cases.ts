import type { Prng } from "../prng.js";
import { caseOf, CREATE_ORDER, utf8, type FuzzCase } from "./framing.js";

const HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/** Bytes written straight onto a TCP connection: malformed HTTP/1.1 and HTTP/2 framing. */
export function rawSocket(prng: Prng): FuzzCase {
  const frame = (
    type: number,
    flags: number,
    stream: number,
    payload: Uint8Array,
    declared = payload.byteLength,
  ): Buffer => {
    const head = Buffer.alloc(9);
    head.writeUIntBE(declared & 0xffffff, 0, 3);
    head[3] = type;
    head[4] = flags;
    head.writeUInt32BE(stream >>> 0, 5);
    return Buffer.concat([head, payload]);
  };
  const variants: (() => { description: string; bytes: Uint8Array })[] = [
    () => ({ description: "random bytes", bytes: prng.bytes(prng.int(1, 2048)) }),
    () => ({
      description: "h2 preface then random bytes",
      bytes: Buffer.concat([Buffer.from(HTTP2_PREFACE), prng.bytes(prng.int(1, 512))]),
    }),
    () => ({
      description: "h2 HEADERS with garbage HPACK",
      bytes: Buffer.concat([
        Buffer.from(HTTP2_PREFACE),
        frame(4, 0, 0, new Uint8Array(0)),
        frame(1, 0x4 | 0x1, 1, prng.bytes(prng.int(1, 64))),
      ]),
    }),
    () => ({
      description: "h2 DATA on stream 0",
      bytes: Buffer.concat([
        Buffer.from(HTTP2_PREFACE),
        frame(4, 0, 0, new Uint8Array(0)),
        frame(0, 0, 0, prng.bytes(16)),
      ]),
    }),
    () => ({
      description: "h2 frame declaring 16 MiB",
      bytes: Buffer.concat([
        Buffer.from(HTTP2_PREFACE),
        frame(4, 0, 0, new Uint8Array(0)),
        frame(0, 0, 1, prng.bytes(16), 0xffffff),
      ]),
    }),
    () => ({
      description: "h2 SETTINGS with invalid values",
      bytes: Buffer.concat([
        Buffer.from(HTTP2_PREFACE),
        frame(4, 0, 0, Buffer.from([0, 4, 0xff, 0xff, 0xff, 0xff, 0, 2, 0, 0, 0, 7])),
      ]),
    }),
    () => ({
      description: "HTTP/1.1 Content-Length and Transfer-Encoding both",
      bytes: utf8(
        `POST ${CREATE_ORDER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n`,
      ),
    }),
    () => ({
      description: "HTTP/1.1 bad chunk size",
      bytes: utf8(
        `POST ${CREATE_ORDER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      ),
    }),
    () => ({
      description: "HTTP/1.1 header without colon",
      bytes: utf8(`POST ${CREATE_ORDER} HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n`),
    }),
    () => ({
      description: "HTTP/1.1 100 KB request line",
      bytes: utf8(`GET /${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`),
    }),
    () => ({ description: "HTTP/9.9 request", bytes: utf8(`POST ${CREATE_ORDER} HTTP/9.9\r\nHost: x\r\n\r\n`) }),
    () => ({
      description: "NUL bytes in the request line",
      bytes: utf8(`POST /orders.v1\u0000OrdersService/CreateOrder HTTP/1.1\r\nHost: x\r\n\r\n`),
    }),
  ];
  const { description, bytes } = prng.pick(variants)();
  return caseOf("raw-socket", description, { transport: "tcp", method: "", path: "", headers: {}, body: bytes });
}
