import type { Company } from "../../gen/orders/v1/company_pb.js";
import { addressFields, type AddressFields } from "./address-fields.js";
import type { Api } from "./api.js";
import { byId, h, labelledInput } from "./dom.js";
import { changeMayBeDone, clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";
import { requestIds, sendWithRequestId } from "./request-ids.js";

export interface CompanyForm {
  /** Shows a company to change it (UpdateCompany). */
  edit(company: Company): void;
}

/** What UpdateCompany sets from the form: everything it shows (metadata, which it does not show, is kept). */
const UPDATE_PATHS = ["name", "tax_id", "billing_address", "shipping_addresses"];

interface ShippingEntry {
  fields: AddressFields;
  isDefault: HTMLInputElement;
  /** The id of a saved address the entry keeps; empty for a new one. */
  id: string;
}

/**
 * The company form: creates a company (CreateCompany) or, once one is opened, changes it (UpdateCompany with its
 * etag, so a change made elsewhere meanwhile is refused, not overwritten): name, tax id, billing address and
 * shipping addresses, exactly one of them the default.
 */
export function setUpCompanyForm(
  api: Api,
  onSaved: (company: Company) => void,
  onOrder: (companyId: string) => void,
): CompanyForm {
  const form = byId("company-form", HTMLFormElement);
  const heading = byId("company-heading", HTMLHeadingElement);
  const name = labelledInput("Name", "company-name", "name");
  const taxId = labelledInput("Tax id", "company-tax-id", "tax_id", { size: "16" });
  const billing = addressFields("Billing address", "billing_address");
  const shippingList = h("div", { id: "company-shipping" });
  const addShipping = h("button", { type: "button", class: "secondary" }, "Add shipping address");
  const submit = h("button", { type: "submit" }, "Create company");
  const startNew = h("button", { type: "button", class: "secondary", hidden: "" }, "New company");
  const order = h("button", { type: "button", class: "secondary", hidden: "" }, "New order for this company");
  const result = h("p", { id: "company-result", class: "result", role: "status" });
  form.replaceChildren(
    h("div", { class: "row" }, name, taxId),
    billing.element,
    shippingList,
    addShipping,
    h("p", { class: "form-error", role: "alert" }),
    h("div", { class: "row" }, submit, startNew, order),
    result,
  );
  const input = (field: HTMLDivElement) => field.querySelector("input") ?? h("input");
  const ids = requestIds(newRequestId);
  let entries: ShippingEntry[] = [];
  /** The company being changed; undefined while creating one. */
  let editing: Company | undefined;

  // In UpdateCompany the fields are those of `company`, so are the violations' paths.
  const pathPrefix = () => (editing ? "company." : "");
  const renumber = () => {
    entries.forEach((entry, index) => entry.fields.setPath(`${pathPrefix()}shipping_addresses[${index}].address`));
    billing.setPath(`${pathPrefix()}billing_address`);
    input(name).dataset["field"] = `${pathPrefix()}name`;
    input(taxId).dataset["field"] = `${pathPrefix()}tax_id`;
  };
  const addEntry = (id = "", isDefault = entries.length === 0) => {
    const radio = h("input", { type: "radio", name: "company-default-shipping", "aria-label": "Default" });
    radio.checked = isDefault;
    const remove = h("button", { type: "button", class: "secondary" }, "Remove");
    const label = h("label", { class: "inline" }, radio, " Default shipping address");
    const entry: ShippingEntry = { fields: addressFields("Shipping address", "", label, remove), isDefault: radio, id };
    entries.push(entry);
    shippingList.append(entry.fields.element);
    remove.addEventListener("click", () => {
      entries = entries.filter((other) => other !== entry);
      entry.fields.element.remove();
      const first = entries[0];
      if (first && !entries.some((other) => other.isDefault.checked)) first.isDefault.checked = true;
      renumber();
    });
    renumber();
    return entry;
  };
  const show = (company: Company | undefined) => {
    editing = company;
    clearErrors(form);
    input(name).value = company?.name ?? "";
    input(taxId).value = company?.taxId ?? "";
    billing.set(company?.billingAddress);
    entries = [];
    shippingList.replaceChildren();
    for (const saved of company?.shippingAddresses ?? []) addEntry(saved.id, saved.default).fields.set(saved.address);
    heading.textContent = company ? `Company ${company.name}` : "New company";
    submit.textContent = company ? "Save changes" : "Create company";
    startNew.hidden = company === undefined;
    order.hidden = company === undefined;
    renumber();
  };
  const values = () => ({
    name: input(name).value.trim(),
    taxId: input(taxId).value.trim(),
    billingAddress: billing.value(),
    shippingAddresses: entries.flatMap((entry) => {
      const address = entry.fields.value();
      // An empty entry is no address (as an empty billing address is none).
      return address ? [{ id: entry.id, address, default: entry.isDefault.checked }] : [];
    }),
  });
  const save = async (): Promise<Company | undefined> => {
    if (!editing) {
      return (await sendWithRequestId(ids, values(), (request) => api.companies.createCompany(request))).company;
    }
    const request = {
      company: { ...values(), id: editing.id, etag: editing.etag },
      updateMask: { paths: UPDATE_PATHS },
    };
    return (await sendWithRequestId(ids, request, (call) => api.companies.updateCompany(call))).company;
  };

  addShipping.addEventListener("click", () => addEntry());
  order.addEventListener("click", () => {
    if (editing) onOrder(editing.id);
  });
  startNew.addEventListener("click", () => {
    result.textContent = "";
    show(undefined);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(form);
      result.textContent = "";
      const label = submit.textContent;
      try {
        const company = await save();
        if (!company) return;
        result.textContent = `${editing ? "Saved" : "Created"} ${company.name} — id ${company.id}`;
        result.dataset["companyId"] = company.id;
        show(company);
        onSaved(company);
      } catch (error) {
        showError(form, error, { ifAnswerLost: changeMayBeDone(label) });
      }
    })();
  });
  show(undefined);
  return { edit: (company) => show(company) };
}
