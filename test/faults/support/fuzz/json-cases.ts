import type { Prng } from "../prng.js";
import { caseOf, framed, JSON_WIRES, utf8, type FuzzCase, type FuzzTarget } from "./framing.js";
import { HOSTILE_DECIMALS, HOSTILE_NUMBER_LITERALS, HOSTILE_STRINGS, HOSTILE_UUIDS } from "./hostile-values.js";
import { markerOf, orderJson, seededUuid, validOrderRequest } from "./requests.js";

const JSON_TARGETS: readonly { path: string; values: readonly string[]; literal?: boolean }[] = [
  { path: "customerId", values: HOSTILE_UUIDS },
  { path: "requestId", values: HOSTILE_UUIDS },
  { path: "currency", values: ["usd", "XXX", "ZZZ", "US", "USDD", "€", "", "BTC", "USD\u0000"] },
  { path: "channel", values: HOSTILE_NUMBER_LITERALS, literal: true },
  { path: "shippingTotal", values: HOSTILE_DECIMALS },
  { path: "discountTotal", values: HOSTILE_DECIMALS },
  { path: "taxTotal", values: HOSTILE_DECIMALS },
  { path: "orderNumber", values: [...HOSTILE_STRINGS, "-1", "1001", "A".repeat(64), "A".repeat(65), "a b", "a/b"] },
  { path: "propertyId", values: HOSTILE_STRINGS },
  { path: "customerNote", values: HOSTILE_STRINGS },
  { path: "internalNote", values: HOSTILE_STRINGS },
  { path: "metadata.value", values: HOSTILE_STRINGS },
  { path: "metadata.key", values: HOSTILE_STRINGS },
  { path: "items.sku", values: HOSTILE_STRINGS },
  { path: "items.name", values: HOSTILE_STRINGS },
  { path: "items.description", values: HOSTILE_STRINGS },
  { path: "items.quantity", values: HOSTILE_NUMBER_LITERALS, literal: true },
  { path: "items.unitPrice", values: HOSTILE_DECIMALS },
  { path: "items.taxAmount", values: HOSTILE_DECIMALS },
  { path: "items.productId", values: HOSTILE_UUIDS },
  { path: "shippingAddress.line1", values: HOSTILE_STRINGS },
  { path: "shippingAddress.country", values: ["", "de", "XX", "DEU", "D", "\u0000\u0000", "ÖÖ"] },
  { path: "shippingAddress.email", values: [...HOSTILE_STRINGS, "a@b", "@", "a@b.c".repeat(100)] },
  { path: "billingAddress.postalCode", values: HOSTILE_STRINGS },
];

export function jsonHostileValue(prng: Prng, target: FuzzTarget): FuzzCase {
  const body = orderJson(validOrderRequest(prng, target.customerId));
  const literals = new Map<string, string>();
  const changed: string[] = [];
  for (let n = prng.int(1, 3); n > 0; n--) {
    const choice = prng.pick(JSON_TARGETS);
    const value = prng.pick(choice.values);
    const sentinel = `@@hostile${literals.size}@@`;
    literals.set(sentinel, choice.literal ? value : JSON.stringify(value));
    place(body, choice.path, sentinel);
    changed.push(
      `${choice.path}=${JSON.stringify(value.length > 40 ? `${value.slice(0, 20)}…(${value.length})` : value)}`,
    );
  }
  let text = JSON.stringify(body);
  for (const [sentinel, literal] of literals) text = text.replace(JSON.stringify(sentinel), literal);
  const wire = prng.pick(JSON_WIRES);
  return caseOf("json-hostile-value", `${wire}: ${changed.join(" ")}`, framed(prng, wire, utf8(text)));
}

/** Sets a dotted path in a CreateOrder JSON body ("items.sku" means the first item's sku). */
function place(body: Record<string, unknown>, path: string, value: string): void {
  const [head, field] = path.split(".") as [string, string | undefined];
  if (field === undefined) {
    body[head] = value;
  } else if (head === "items") {
    const items = (body.items as Record<string, unknown>[] | undefined) ?? [];
    const first = items[0] ?? {};
    first[field] = value;
    body.items = [first, ...items.slice(1)];
  } else if (head === "metadata") {
    const metadata = (body.metadata as Record<string, unknown> | undefined) ?? {};
    if (field === "key") metadata[value] = "v";
    else metadata.k = value;
    body.metadata = metadata;
  } else {
    body[head] = { ...(body[head] ?? {}), [field]: value };
  }
}

export function jsonStructure(prng: Prng, target: FuzzTarget): FuzzCase {
  const request = validOrderRequest(prng, target.customerId);
  const valid = JSON.stringify(orderJson(request));
  const withoutBrace = valid.slice(0, -1);
  // Lines of the many-items bodies carry the request's marker like every generated line (see validOrderRequest).
  const marker = markerOf(request);
  const item = (i: number) => `{"sku":"SKU-${marker}-${i}","name":"N #${marker}","quantity":1,"unitPrice":"1.00"}`;
  const variants: (() => { description: string; text: string | Uint8Array })[] = [
    () => {
      const depth = prng.pick([64, 1000, 10_000, 100_000]);
      return {
        description: `unknown field nested ${depth} deep`,
        text: `${withoutBrace},"x":${"[".repeat(depth)}${"]".repeat(depth)}}`,
      };
    },
    () => {
      const depth = prng.pick([64, 1000, 10_000]);
      return {
        description: `shippingAddress nested ${depth} deep`,
        text: `${withoutBrace},"shippingAddress":${'{"line1":'.repeat(depth)}"x"${"}".repeat(depth)}}`,
      };
    },
    () => {
      const count = prng.pick([500, 501, 1000, 5000]);
      return {
        description: `${count} items`,
        text: `{"customerId":"${target.customerId}","items":[${Array.from({ length: count }, (_, i) => item(i)).join(",")}]}`,
      };
    },
    () => {
      const size = prng.pick([300_000, 1_000_000, 3_000_000, 5_000_000]);
      return {
        description: `customerNote of ${size} chars`,
        text: `${withoutBrace},"customerNote":"${"x".repeat(size)}"}`,
      };
    },
    () => {
      const bad = prng.pick([
        [0xff],
        [0xc0, 0x80],
        [0xed, 0xa0, 0x80],
        [0xe2, 0x82],
        [0xf4, 0x90, 0x80, 0x80],
        [0x80],
        [0xfe, 0xfe],
      ]);
      const text = Buffer.from(valid, "utf8");
      const at = text.indexOf('"name":"') + 8;
      return {
        description: `invalid UTF-8 ${Buffer.from(bad).toString("hex")} in items[0].name`,
        text: Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]),
      };
    },
    () => ({ description: "duplicate customerId key", text: `${withoutBrace},"customerId":"${seededUuid(prng)}"}` }),
    () => ({
      description: "snake_case and camelCase of one field",
      text: `${withoutBrace},"customer_id":"${target.customerId}"}`,
    }),
    () => ({ description: "UTF-8 BOM before the body", text: `\ufeff${valid}` }),
    () => ({ description: "trailing garbage", text: `${valid}}}}garbage` }),
    () => ({ description: "truncated JSON", text: valid.slice(0, prng.int(0, valid.length - 1)) }),
    () => ({
      description: "body is not an object",
      text: prng.pick([
        "",
        "null",
        "[]",
        "1",
        '"text"',
        "true",
        "{",
        "}",
        "{}",
        "[{}]",
        '{"items":{}}',
        '{"items":null}',
      ]),
    }),
    () => ({
      description: "wrong shapes",
      text: prng.pick([
        `${withoutBrace},"metadata":[]}`,
        `${withoutBrace},"metadata":{"k":1}}`,
        `${withoutBrace},"metadata":{"k":null}}`,
        `${withoutBrace},"metadata":{"k":{"nested":"x"}}}`,
        `${withoutBrace},"items":[null]}`,
        `${withoutBrace},"items":[[]]}`,
        `${withoutBrace},"items":"abc"}`,
        `${withoutBrace},"shippingAddress":"abc"}`,
        `${withoutBrace},"shippingAddress":null}`,
        `${withoutBrace},"__proto__":{"polluted":true}}`,
        `${withoutBrace},"constructor":{"prototype":{"polluted":true}}}`,
        `${withoutBrace},"unknownField":1}`,
      ]),
    }),
    () => ({
      description: "1000 metadata pairs",
      text: `${withoutBrace},"metadata":{${Array.from({ length: 1000 }, (_, i) => `"k${i}":"v"`).join(",")}}}`,
    }),
  ];
  const { description, text } = prng.pick(variants)();
  const wire = prng.pick(JSON_WIRES);
  return caseOf(
    "json-structure",
    `${wire}: ${description}`,
    framed(prng, wire, typeof text === "string" ? utf8(text) : text),
  );
}
