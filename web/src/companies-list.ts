import type { Company } from "../../gen/orders/v1/company_pb.js";
import { addressSummary } from "./address-fields.js";
import type { Api } from "./api.js";
import { byId, h, labelledInput, optionalValue } from "./dom.js";
import { clearErrors, showError } from "./errors.js";
import { pager, type Pager } from "./pager.js";

const PAGE_SIZE = 10;

/** The "Companies" panel: ListCompanies, newest first, by name prefix, page by page; a row opens the company. */
export function setUpCompaniesList(api: Api, onOpen: (company: Company) => void): Pager {
  const container = byId("companies-list", HTMLDivElement);
  const prefix = labelledInput("Name starts with", "filter-company-name", "name_prefix", { size: "16" });
  const form = h(
    "form",
    { id: "companies-filter-form", class: "filters", novalidate: "" },
    prefix,
    h("button", { type: "submit" }, "Search"),
    h("p", { class: "form-error", role: "alert" }),
  );
  const body = h("tbody");
  const table = h(
    "table",
    { class: "clickable", id: "companies-table" },
    h("thead", {}, h("tr", {}, ...["Name", "Tax id", "Default shipping address"].map((title) => h("th", {}, title)))),
    body,
  );
  const pages = pager("companies-page", async (pageToken) => {
    clearErrors(form);
    try {
      const response = await api.companies.listCompanies({
        pageSize: PAGE_SIZE,
        pageToken,
        namePrefix: optionalValue(byId("filter-company-name", HTMLInputElement)),
      });
      body.replaceChildren(...response.companies.map((company) => row(company, onOpen)));
      if (response.companies.length === 0)
        body.append(h("tr", {}, h("td", { colspan: "3", class: "muted" }, "No companies match.")));
      return response.nextPageToken;
    } catch (error) {
      body.replaceChildren();
      showError(form, error);
      return "";
    }
  });
  container.replaceChildren(form, table, pages.element);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    pages.first();
  });
  return pages;
}

function row(company: Company, onOpen: (company: Company) => void): HTMLTableRowElement {
  const shipping = company.shippingAddresses.find((entry) => entry.default) ?? company.shippingAddresses[0];
  const tr = h(
    "tr",
    { "data-company-id": company.id, tabindex: "0" },
    h("td", {}, company.name),
    h("td", {}, company.taxId),
    h("td", { class: "muted" }, addressSummary(shipping?.address)),
  );
  tr.addEventListener("click", () => onOpen(company));
  tr.addEventListener("keydown", (event) => {
    if (event.key === "Enter") onOpen(company);
  });
  return tr;
}
