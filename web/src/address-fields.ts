import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Address, AddressSchema } from "../../gen/orders/v1/address_pb.js";
import { h } from "./dom.js";

export type AddressInit = MessageInitShape<typeof AddressSchema>;

/** The inputs of an address, by field name, in the order a form shows them. */
const FIELDS = [
  ["name", "Name", {}],
  ["company", "Company", {}],
  ["line1", "Address line 1", {}],
  ["line2", "Address line 2", {}],
  ["city", "City", {}],
  ["region", "Region", { size: "10" }],
  ["postal_code", "Postal code", { size: "8" }],
  ["country", "Country", { size: "3", placeholder: "US" }],
  ["phone", "Phone", { size: "12" }],
  ["email", "E-mail", { type: "email" }],
] as const satisfies readonly (readonly [string, string, Record<string, string>])[];

type AddressField = (typeof FIELDS)[number][0];

export interface AddressFields {
  element: HTMLFieldSetElement;
  /** The address as typed, or undefined when every input is empty (no address). */
  value(): AddressInit | undefined;
  set(address: Address | undefined): void;
  /** Names the request field the address fills, e.g. "billing_address", so violations appear at its inputs. */
  setPath(path: string): void;
}

let counter = 0;

/**
 * A fieldset of labelled address inputs, each carrying `<path>.<field>` in data-field, after `extra` controls
 * (a shipping address's "default" choice and its Remove button).
 */
export function addressFields(legend: string, path: string, ...extra: Node[]): AddressFields {
  const id = `address-${++counter}`;
  const inputs = new Map<AddressField, HTMLInputElement>();
  const element = h(
    "fieldset",
    { class: "address" },
    h("legend", {}, legend),
    extra.length > 0 && h("div", { class: "address-tools" }, ...extra),
  );
  for (const [field, label, attributes] of FIELDS) {
    const input = h("input", { id: `${id}-${field}`, autocomplete: "off", ...attributes });
    inputs.set(field, input);
    element.append(h("div", { class: "field" }, h("label", { for: input.id }, label), input));
  }
  const text = (field: AddressField) => inputs.get(field)?.value.trim() ?? "";
  const setPath = (prefix: string) => {
    for (const [field, input] of inputs) input.setAttribute("data-field", `${prefix}.${field}`);
  };
  setPath(path);
  return {
    element,
    value() {
      if (FIELDS.every(([field]) => text(field) === "")) return undefined;
      return {
        name: text("name"),
        company: text("company"),
        line1: text("line1"),
        line2: text("line2"),
        city: text("city"),
        region: text("region"),
        postalCode: text("postal_code"),
        country: text("country"),
        phone: text("phone"),
        email: text("email"),
      };
    },
    set(address) {
      const values: Record<AddressField, string> = {
        name: address?.name ?? "",
        company: address?.company ?? "",
        line1: address?.line1 ?? "",
        line2: address?.line2 ?? "",
        city: address?.city ?? "",
        region: address?.region ?? "",
        postal_code: address?.postalCode ?? "",
        country: address?.country ?? "",
        phone: address?.phone ?? "",
        email: address?.email ?? "",
      };
      for (const [field, input] of inputs) input.value = values[field];
    },
    setPath,
  };
}

/** One line for an address in lists and pickers: "Dock 4, 1 Harbor Rd, Portland OR 97201, US". */
export function addressSummary(address: Address | undefined): string {
  if (!address) return "";
  const place = [address.city, [address.region, address.postalCode].filter(Boolean).join(" ")].filter(Boolean);
  return [address.name, address.company, address.line1, address.line2, place.join(" "), address.country]
    .filter(Boolean)
    .join(", ");
}

/** "Bills to …. Ships to …": the addresses an order has (or a preview gives it); empty for none. */
export function orderAddressesText(order: {
  billingAddress?: Address | undefined;
  shippingAddress?: Address | undefined;
}): string {
  return [
    order.billingAddress && `Bills to ${addressSummary(order.billingAddress)}`,
    order.shippingAddress && `Ships to ${addressSummary(order.shippingAddress)}`,
  ]
    .filter(Boolean)
    .join(". ");
}
