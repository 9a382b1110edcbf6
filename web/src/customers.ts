import type { Api } from "./api.js";
import { byId, optionalValue } from "./dom.js";
import { clearErrors, showError } from "./errors.js";

/** The "New customer" form: CreateCustomer, then hands the new id to whoever places orders. */
export function setUpCustomerForm(api: Api, onCreated: (customerId: string) => void): void {
  const form = byId("customer-form", HTMLFormElement);
  const email = byId("customer-email", HTMLInputElement);
  const name = byId("customer-name", HTMLInputElement);
  const company = byId("customer-company", HTMLInputElement);
  const phone = byId("customer-phone", HTMLInputElement);
  const result = byId("customer-result", HTMLParagraphElement);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(form);
      result.textContent = "";
      try {
        const { customer } = await api.customers.createCustomer({
          email: email.value.trim(),
          name: name.value.trim(),
          company: optionalValue(company),
          phone: optionalValue(phone),
        });
        if (!customer) return;
        result.textContent = `Created ${customer.name} <${customer.email}> — id ${customer.id}`;
        result.dataset["customerId"] = customer.id;
        onCreated(customer.id);
      } catch (error) {
        showError(form, error);
      }
    })();
  });
}
