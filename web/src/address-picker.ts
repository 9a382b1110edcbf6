import { Code, ConnectError } from "@connectrpc/connect";
import type { Address } from "../../gen/orders/v1/address_pb.js";
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
  /** The saved addresses picked, as CreateOrder takes them; empty for the default. */
  ids(): { billingAddressId: string; shippingAddressId: string };
  /** Reads the saved addresses again when the customer or company changed (called on every change of the order). */
  follow(): void;
  /** Shows the addresses the server put on the order (from the preview or the placed order). */
  showChosen(order: { billingAddress?: Address | undefined; shippingAddress?: Address | undefined }): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * "Bill to" and "Ship to" in the order form, shown when the order's customer or company has saved addresses
 * (ListCustomerAddresses, GetCompany's shipping addresses): each picks one by id (billing_address_id,
 * shipping_address_id) or leaves the default, which the service chooses (the company's, else the customer's). The
 * addresses the order gets are shown as the preview returns them, so the default is never guessed here.
 */
export function addressPicker(api: Api, customerId: HTMLInputElement, companyId: HTMLInputElement): AddressPicker {
  const pickers = byId("order-address-pickers", HTMLDivElement);
  const billing = byId("order-billing-address", HTMLSelectElement);
  const shipping = byId("order-shipping-address", HTMLSelectElement);
  const chosen = byId("order-addresses", HTMLParagraphElement);
  /** Whose addresses the pickers hold (or are being read for). */
  let loadedFor = "";

  const load = async (key: string, customer: string, company: string) => {
    const outcome = { failed: false };
    /** An unknown customer or company has no addresses (the preview says it is unknown); other failures retry. */
    const none = (error: unknown) => {
      if (ConnectError.from(error).code !== Code.NotFound) outcome.failed = true;
      return [];
    };
    const [book, companyAddresses] = await Promise.all([
      customer
        ? api.customers.listCustomerAddresses({ customerId: customer }).then((r) => r.customerAddresses, none)
        : [],
      company ? api.companies.getCompany({ id: company }).then((r) => r.company?.shippingAddresses ?? [], none) : [],
    ]);
    if (key !== loadedFor) return;
    // Read again on the next change (say, once a key is given).
    if (outcome.failed) loadedFor = "";
    const saved: SavedAddress[] = [
      ...book.map((entry) => ({
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
    fill(billing, saved);
    fill(shipping, saved);
    pickers.hidden = saved.length === 0;
  };

  return {
    ids: () => ({
      billingAddressId: pickers.hidden ? "" : billing.value,
      shippingAddressId: pickers.hidden ? "" : shipping.value,
    }),
    follow() {
      const customer = UUID.test(customerId.value.trim()) ? customerId.value.trim() : "";
      const company = UUID.test(companyId.value.trim()) ? companyId.value.trim() : "";
      const key = `${customer}/${company}`;
      if (key === loadedFor) return;
      loadedFor = key;
      pickers.hidden = true;
      void load(key, customer, company);
    },
    showChosen(order) {
      chosen.textContent = orderAddressesText(order);
    },
  };
}

/** The options of one picker: the default, then every saved address; the one picked stays picked if still there. */
function fill(select: HTMLSelectElement, saved: readonly SavedAddress[]): void {
  const picked = select.value;
  select.replaceChildren(
    h("option", { value: "" }, "The default"),
    ...saved.map((entry) => h("option", { value: entry.id }, `${addressSummary(entry.address)} (${entry.note})`)),
  );
  select.value = saved.some((entry) => entry.id === picked) ? picked : "";
}
