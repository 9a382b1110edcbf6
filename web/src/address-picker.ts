import { Code, ConnectError } from "@connectrpc/connect";
import { equals } from "@bufbuild/protobuf";
import { AddressSchema, type Address } from "../../gen/orders/v1/address_pb.js";
import { addressSummary, orderAddressesText } from "./address-fields.js";
import type { Api } from "./api.js";
import { byId, h } from "./dom.js";

/** A saved address an order may name by id: one of the customer's address book or a company's shipping address. */
interface SavedAddress {
  id: string;
  address: Address | undefined;
  /** Who has it and which default it is, e.g. "customer, default shipping" or "company". */
  note: string;
}

export interface AddressPicker {
  /**
   * The addresses the cart holds for what is picked: the saved address picked, else for a company's order the
   * company's billing address and default shipping address (what CreateOrder gives a company's order), else none
   * (the service then takes the customer's defaults). Undefined while the saved addresses are being read.
   */
  cartAddresses(): { billing: Address | undefined; shipping: Address | undefined } | undefined;
  /** Reads the saved addresses again when the customer or company changed. */
  follow(): void;
  /** Picks the saved addresses the cart holds (a draft read back after a reload). */
  showCart(cart: { billingAddress?: Address | undefined; shippingAddress?: Address | undefined }): void;
  /** Shows the addresses the server put on the order (from the priced cart or the placed order). */
  showChosen(order: { billingAddress?: Address | undefined; shippingAddress?: Address | undefined }): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "Bill to" and "Ship to" in the order form, shown when the order's customer or company has saved addresses
 * (ListCustomerAddresses, GetCompany's shipping addresses): each picks one, which the cart then holds (so its tax
 * and shipping options are the order's), or leaves the default. `loaded` is called once they are read. The
 * addresses the order gets are shown as the priced cart returns them.
 */
export function addressPicker(
  api: Api,
  customerId: HTMLInputElement,
  companyId: HTMLInputElement,
  loaded: () => void,
): AddressPicker {
  const pickers = byId("order-address-pickers", HTMLDivElement);
  const billing = byId("order-billing-address", HTMLSelectElement);
  const shipping = byId("order-shipping-address", HTMLSelectElement);
  const chosen = byId("order-addresses", HTMLParagraphElement);
  /** Whose addresses the pickers hold (or are being read for). */
  let loadedFor = "";
  let ready = false;
  let saved: SavedAddress[] = [];
  /** A company's order: the company's billing and default shipping address. */
  let companyDefaults: { billing: Address | undefined; shipping: Address | undefined } | undefined;
  /** The cart's addresses, to pick once the saved ones are read. */
  let inCart: { billing: Address | undefined; shipping: Address | undefined } = {
    billing: undefined,
    shipping: undefined,
  };

  const load = async (key: string, customer: string, company: string) => {
    const outcome = { failed: false };
    /** An unknown customer or company has no addresses (placing says it is unknown); other failures retry. */
    const none = (error: unknown) => {
      if (ConnectError.from(error).code !== Code.NotFound) outcome.failed = true;
      return undefined;
    };
    const [book, theCompany] = await Promise.all([
      customer
        ? api.customers.listCustomerAddresses({ customerId: customer }).then((r) => r.customerAddresses, none)
        : undefined,
      company ? api.companies.getCompany({ id: company }).then((r) => r.company, none) : undefined,
    ]);
    if (key !== loadedFor) return;
    const companyAddresses = theCompany?.shippingAddresses ?? [];
    companyDefaults = theCompany && {
      billing: theCompany.billingAddress,
      shipping: companyAddresses.find((entry) => entry.default)?.address,
    };
    // Read again on the next change (say, once a key is given).
    if (outcome.failed) loadedFor = "";
    saved = [
      ...(book ?? []).map((entry) => ({
        id: entry.id,
        address: entry.address,
        note: ["customer", entry.defaultBilling && "default billing", entry.defaultShipping && "default shipping"]
          .filter(Boolean)
          .join(", "),
      })),
      ...companyAddresses.map((entry) => ({
        id: entry.id,
        address: entry.address,
        note: entry.default ? "company, default shipping" : "company",
      })),
    ];
    fill(billing, saved, pickedIn(inCart.billing, companyDefaults?.billing));
    fill(shipping, saved, pickedIn(inCart.shipping, companyDefaults?.shipping));
    pickers.hidden = saved.length === 0;
    ready = true;
    loaded();
  };
  /** The saved address equal to the cart's, unless it is the default anyway. */
  const pickedIn = (address: Address | undefined, byDefault: Address | undefined) => {
    if (!address || (byDefault && equals(AddressSchema, address, byDefault))) return "";
    return saved.find((entry) => entry.address && equals(AddressSchema, entry.address, address))?.id ?? "";
  };
  const addressOf = (select: HTMLSelectElement, byDefault: Address | undefined) =>
    pickers.hidden || select.value === "" ? byDefault : saved.find((entry) => entry.id === select.value)?.address;

  return {
    cartAddresses: () =>
      ready
        ? {
            billing: addressOf(billing, companyDefaults?.billing),
            shipping: addressOf(shipping, companyDefaults?.shipping),
          }
        : undefined,
    showCart(cart) {
      inCart = { billing: cart.billingAddress, shipping: cart.shippingAddress };
      if (!ready) return;
      billing.value = pickedIn(inCart.billing, companyDefaults?.billing);
      shipping.value = pickedIn(inCart.shipping, companyDefaults?.shipping);
    },
    follow() {
      const customer = UUID.test(customerId.value.trim()) ? customerId.value.trim() : "";
      const company = UUID.test(companyId.value.trim()) ? companyId.value.trim() : "";
      const key = `${customer}/${company}`;
      if (key === loadedFor) return;
      loadedFor = key;
      ready = false;
      pickers.hidden = true;
      void load(key, customer, company);
    },
    showChosen(order) {
      chosen.textContent = orderAddressesText(order);
    },
  };
}

/** The options of one picker: the default, then every saved address, with `picked` picked. */
function fill(select: HTMLSelectElement, saved: readonly SavedAddress[], picked: string): void {
  select.replaceChildren(
    h("option", { value: "" }, "The default"),
    ...saved.map((entry) => h("option", { value: entry.id }, `${addressSummary(entry.address)} (${entry.note})`)),
  );
  select.value = picked;
}
