import type { Product } from "../../gen/orders/v1/product_pb.js";
import type { Api } from "./api.js";
import { byId, h, labelledInput } from "./dom.js";
import { clearErrors, showError } from "./errors.js";
import { renderProduct } from "./product-view.js";

export interface ProductsPanel {
  show(product: Product): void;
}

/** The "Products" panel: opens a product by id (GetProduct) and shows it with its variants. */
export function setUpProductsPanel(api: Api): ProductsPanel {
  const container = byId("products-list", HTMLDivElement);
  const openForm = h(
    "form",
    { id: "open-product-form", class: "filters", novalidate: "" },
    labelledInput("Product id", "open-product-id", "id", { size: "38" }),
    h("button", { type: "submit" }, "Open"),
    h("p", { class: "form-error", role: "alert" }),
  );
  const body = h("div", { id: "product-detail" });
  container.replaceChildren(openForm, body);

  const show = (product: Product) => body.replaceChildren(renderProduct(product));
  openForm.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      clearErrors(openForm);
      try {
        const { product } = await api.catalog.getProduct({
          id: byId("open-product-id", HTMLInputElement).value.trim(),
        });
        if (product) show(product);
      } catch (error) {
        body.replaceChildren();
        showError(openForm, error);
      }
    })();
  });
  return { show };
}
