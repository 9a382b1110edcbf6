/**
 * Values a careless or hostile client puts where the contract expects something else. Each list is
 * what one field type attracts; the fuzzer drops them into otherwise valid requests.
 */

/** For decimal-string money fields (unit_price, shipping_total, tax_amount, ...). */
export const HOSTILE_DECIMALS: readonly string[] = [
  "1e9999", "-1e9999", "1e-9999", "1E2", "NaN", "nan", "Infinity", "-Infinity", "-0", "-0.00", "+1", "-1",
  " 1", "1 ", "\t1", "1\n", "0x1F", "0b1", "0o7", "1_000", "1,00", "1.", ".5", "00.5", "01", "1.23456",
  "999999999999999.9999", "9999999999999999", "99999999999999999999999999999999999999", "0.00001", "١٢٣",
  "１２", "1\u0000", "\u202e12", "", " ", "1.2.3", "--1", "1e", "e1", "0.", "0.0000", "1/2", "½", "💰",
  "1".repeat(400), `0.${"9".repeat(400)}`, "null", "undefined", "true", "[]", "{}",
];

/** Raw JSON literals for int32 fields (quantity) and enum fields: overflow, fractions, wrong types. */
export const HOSTILE_NUMBER_LITERALS: readonly string[] = [
  "0", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296", "1e400", "-1e400",
  "1e-400", "1.5", "1.0", "1000001", "9007199254740993", "18446744073709551616", "-0", "0.0", "1e3",
  '"12"', '"1e3"', '"0x10"', '" 1"', '"NaN"', '"Infinity"', '"-0"', '""', "true", "false", "null", "[]", "{}",
  '"CHANNEL_NOPE"', '"CHANNEL_B2B_PORTAL"', "99", "-5", `${"9".repeat(500)}`,
];

/** For free-text fields (sku, name, notes, metadata): sizes, control characters, broken Unicode. */
export const HOSTILE_STRINGS: readonly string[] = [
  "", " ", "\u0000", "a\u0000b", "\u0000".repeat(64), "\ud800", "\udfff", "a\ud800b", "\ud83d", "\uffff",
  "\ufeff", "\u202e", "\u200b", "'; drop table orders; --", "<script>alert(1)</script>", "${jndi:ldap://x}",
  "%s%s%s%n", "../../etc/passwd", "\r\nX-Injected: 1", "😀".repeat(200), "𝕏".repeat(130), "e\u0301".repeat(300),
  "x".repeat(129), "x".repeat(501), "x".repeat(2001), "x".repeat(100_000), "\\u0000", "null", "\u0085\u2028\u2029",
];

/** For uuid fields (customer_id, request_id, product_id). */
export const HOSTILE_UUIDS: readonly string[] = [
  "", "not-a-uuid", "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "00000000000000000000000000000000", "{00000000-0000-0000-0000-000000000000}", "00000000-0000-0000-0000-00000000000g",
  "00000000-0000-0000-0000-0000000000001", " 00000000-0000-0000-0000-000000000000", "0".repeat(10_000),
  "urn:uuid:00000000-0000-0000-0000-000000000000", "\u0000",
];

/** Values of gRPC and Connect timeout headers. */
export const HOSTILE_TIMEOUTS: readonly { header: string; value: string }[] = [
  { header: "grpc-timeout", value: "1n" },
  { header: "grpc-timeout", value: "0S" },
  { header: "grpc-timeout", value: "99999999H" },
  { header: "grpc-timeout", value: "123456789012M" },
  { header: "grpc-timeout", value: "-1S" },
  { header: "grpc-timeout", value: "1x" },
  { header: "grpc-timeout", value: "S" },
  { header: "connect-timeout-ms", value: "-1" },
  { header: "connect-timeout-ms", value: "0" },
  { header: "connect-timeout-ms", value: "1" },
  { header: "connect-timeout-ms", value: "99999999999999999999" },
  { header: "connect-timeout-ms", value: "1e3" },
  { header: "connect-timeout-ms", value: "abc" },
];

export const WRONG_CONTENT_TYPES: readonly string[] = [
  "", "text/plain", "text/html", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
  "application/json; charset=latin1", "application/json; charset=utf-16", "application/JSON", "application/proto; x=y",
  "application/protobuf", "application/x-protobuf", "application/connect+proto", "application/connect+json",
  "application/grpc+xml", "application/grpc-web-text", "application/grpc-web-text+proto", "application/grpc+json",
  "application/grpc-web+json", "application/octet-stream", "*/*", "application/", "/", ";;;", "application/json\u00ff",
];

export const ENCODINGS: readonly string[] = ["gzip", "br", "deflate", "zstd", "identity", "gzip, br", "x-unknown", ""];
