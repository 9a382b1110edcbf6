import type { Product } from "../../gen/orders/v1/product_pb.js";
import type { Api } from "./api.js";
import { byId, h, labelledInput } from "./dom.js";
import { changeMayBeDone, clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";
import { requestIds, sendWithRequestId } from "./request-ids.js";
import { variantsEditor } from "./variants-editor.js";

/**
 * The "New product" form: a title, a description and 1 to 100 variants, each with its SKUs and prices per
 * currency (CreateProduct, with a request_id kept until it succeeds).
 */
export function setUpProductForm(api: Api, onSaved: (product: Product) => void): void {
  const form = byId("product-form", HTMLFormElement);
  const title = labelledInput("Title", "product-title", "product.title");
  const description = h("textarea", { id: "product-description", "data-field": "product.description", rows: "2" });
  const variants = variantsEditor();
  const submit = h("button", { type: "submit" }, "Create product");
  const result = h("p", { id: "product-result", class: "result", role: "status" });
  form.replaceChildren(
    title,
    h("div", { class: "field" }, h("label", { for: description.id }, "Description"), description),
    variants.element,
    h("p", { class: "form-error", role: "alert" }),
    submit,
    result,
  );
  const titleInput = byId("product-title", HTMLInputElement);
  const ids = requestIds(newRequestId);
  variants.set([]);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(form);
      result.textContent = "";
      const request = {
        product: { title: titleInput.value.trim(), description: description.value.trim(), variants: variants.value() },
      };
      try {
        const { product } = await sendWithRequestId(ids, request, (call) => api.catalog.createProduct(call));
        if (!product) return;
        result.textContent = `Created ${product.title} — id ${product.id}`;
        result.dataset["productId"] = product.id;
        titleInput.value = "";
        description.value = "";
        variants.set([]);
        onSaved(product);
      } catch (error) {
        showError(form, error, { ifAnswerLost: changeMayBeDone("Create product") });
      }
    })();
  });
}
