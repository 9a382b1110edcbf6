import { ProductStatus, ProductStatusSchema, type Product } from "../../gen/orders/v1/product_pb.js";
import type { Api } from "./api.js";
import { byId, h, labelledInput } from "./dom.js";
import { enumLabel } from "./enums.js";
import { changeMayBeDone, clearErrors, showError } from "./errors.js";
import { newRequestId } from "./ids.js";
import { requestIds, sendWithRequestId } from "./request-ids.js";
import { variantsEditor } from "./variants-editor.js";

export interface ProductForm {
  /** Shows a product to change, archive or reactivate it. */
  edit(product: Product): void;
}

/** What "Save changes" sets: everything the form shows (metadata, which it does not show, is kept). */
const UPDATE_PATHS = ["title", "description", "variants"];

/**
 * The product form: creates a product (CreateProduct: a title, a description and 1 to 100 variants, each with its
 * SKUs and prices per currency) or, once one is opened, changes it (UpdateProduct), archives it (ArchiveProduct) or
 * makes an archived one active again (UpdateProduct of its status). Every change is sent with the product's etag,
 * so a change made elsewhere meanwhile is refused, not overwritten, and with a request_id kept until it succeeds.
 */
export function setUpProductForm(api: Api, onSaved: (product: Product) => void): ProductForm {
  const form = byId("product-form", HTMLFormElement);
  const heading = byId("product-heading", HTMLHeadingElement);
  const title = labelledInput("Title", "product-title", "product.title");
  const description = h("textarea", { id: "product-description", "data-field": "product.description", rows: "2" });
  const variants = variantsEditor();
  const submit = h("button", { type: "submit" }, "Create product");
  const archive = h("button", { type: "button", class: "secondary", hidden: "" }, "Archive");
  const reactivate = h("button", { type: "button", class: "secondary", hidden: "" }, "Reactivate");
  const startNew = h("button", { type: "button", class: "secondary", hidden: "" }, "New product");
  const status = h("span", { class: "badge", "data-product-status": "", hidden: "" });
  const result = h("p", { id: "product-result", class: "result", role: "status" });
  form.replaceChildren(
    status,
    title,
    h("div", { class: "field" }, h("label", { for: description.id }, "Description"), description),
    variants.element,
    h("p", { class: "form-error", role: "alert" }),
    h("div", { class: "row" }, submit, archive, reactivate, startNew),
    result,
  );
  const titleInput = byId("product-title", HTMLInputElement);
  const ids = requestIds(newRequestId);
  /** The product being changed; undefined while creating one. */
  let editing: Product | undefined;

  const show = (product: Product | undefined) => {
    editing = product;
    clearErrors(form);
    titleInput.value = product?.title ?? "";
    description.value = product?.description ?? "";
    variants.set(product?.variants ?? []);
    heading.textContent = product ? `Product ${product.title}` : "New product";
    submit.textContent = product ? "Save changes" : "Create product";
    status.textContent = product ? enumLabel(ProductStatusSchema, product.status) : "";
    status.hidden = product === undefined;
    archive.hidden = product?.status !== ProductStatus.ACTIVE;
    reactivate.hidden = product?.status !== ProductStatus.ARCHIVED;
    startNew.hidden = product === undefined;
  };
  const values = () => ({ title: titleInput.value.trim(), description: description.value.trim() });
  /** Runs one change of the form's product; its answer is shown and handed on, a refusal shown in words. */
  const run = (label: string, done: string, change: () => Promise<{ product?: Product }>) => {
    void (async () => {
      clearErrors(form);
      result.textContent = "";
      try {
        const { product } = await change();
        if (!product) return;
        result.textContent = `${done} ${product.title} — id ${product.id}`;
        result.dataset["productId"] = product.id;
        show(product);
        onSaved(product);
      } catch (error) {
        showError(form, error, { ifAnswerLost: changeMayBeDone(label) });
      }
    })();
  };
  const updated = (product: Product, fields: object, paths: string[]) => ({
    product: { ...fields, id: product.id, etag: product.etag },
    updateMask: { paths },
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const product = editing;
    if (!product) {
      const request = { product: { ...values(), variants: variants.value() } };
      run("Create product", "Created", () => sendWithRequestId(ids, request, (r) => api.catalog.createProduct(r)));
      return;
    }
    const request = updated(product, { ...values(), variants: variants.value() }, UPDATE_PATHS);
    run("Save changes", "Saved", () => sendWithRequestId(ids, request, (r) => api.catalog.updateProduct(r)));
  });
  archive.addEventListener("click", () => {
    if (!editing) return;
    const request = { id: editing.id, etag: editing.etag };
    run("Archive", "Archived", () => sendWithRequestId(ids, request, (r) => api.catalog.archiveProduct(r)));
  });
  reactivate.addEventListener("click", () => {
    if (!editing) return;
    const request = updated(editing, { status: ProductStatus.ACTIVE }, ["status"]);
    run("Reactivate", "Reactivated", () => sendWithRequestId(ids, request, (r) => api.catalog.updateProduct(r)));
  });
  startNew.addEventListener("click", () => {
    result.textContent = "";
    show(undefined);
  });
  show(undefined);
  return { edit: (product) => show(product) };
}
