import "./styles.css";
import { createApi, loadApiTarget } from "./api.js";
import { setUpCompaniesList } from "./companies-list.js";
import { setUpCompanyForm } from "./company-form.js";
import { setUpOrderComposer } from "./compose.js";
import { setUpCustomerForm } from "./customers.js";
import { byId } from "./dom.js";
import { draftStore } from "./draft-store.js";
import { setUpOrderView } from "./order-view.js";
import { setUpOrdersList } from "./orders-list.js";
import { setUpProductForm } from "./product-form.js";
import { setUpProductSearch } from "./product-search.js";
import { setUpProductsList } from "./products-list.js";
import { setUpViews, type ViewName } from "./views.js";

/**
 * Kept for the browser tab only (a key is a secret and should not outlive the session), and per API origin: a link
 * to the console naming another API never picks up a key that was entered for this one.
 */
const KEY_STORAGE_PREFIX = "orderspine.apiKey@";
/** The order being composed (draft-store.ts), kept like the key: for the tab, per API origin. */
const DRAFT_STORAGE_PREFIX = "orderspine.draft@";
// Where earlier versions kept the key for whichever API the link named.
sessionStorage.removeItem("orderspine.apiKey");

const keyForm = byId("key-form", HTMLFormElement);
// Never the browser's own submission, which would put the key into the address (even while the target loads).
keyForm.addEventListener("submit", (event) => event.preventDefault());
const target = await loadApiTarget(window.location);
const keyInput = byId("api-key", HTMLInputElement);
const targetLabel = byId("api-target", HTMLSpanElement);
const keyStorage = target.allowed ? `${KEY_STORAGE_PREFIX}${target.origin}` : undefined;
let apiKey = keyStorage === undefined ? "" : (sessionStorage.getItem(keyStorage) ?? "");
keyInput.value = apiKey;

// Where the key goes is on the page before the key is used.
if (target.allowed) {
  targetLabel.dataset.origin = target.origin;
  targetLabel.textContent = target.crossOrigin
    ? `The key is sent to ${target.origin}, another origin than this page's.`
    : `The key is sent to ${target.origin}.`;
} else {
  targetLabel.textContent = "The key is sent nowhere.";
  const refusal = byId("api-refused", HTMLParagraphElement);
  refusal.textContent = target.message;
  refusal.hidden = false;
  for (const control of keyForm.elements)
    if (control instanceof HTMLInputElement || control instanceof HTMLButtonElement) control.disabled = true;
  for (const section of document.querySelectorAll("main")) section.inert = true;
}

const api = createApi(target, () => apiKey);

const ordersList = setUpOrdersList(api, (orderId) => void orderView.open(orderId));
const orderView = setUpOrderView(api, () => ordersList.refresh());
const drafts = draftStore(sessionStorage, `${DRAFT_STORAGE_PREFIX}${target.allowed ? target.origin : ""}`);
const composer = setUpOrderComposer(api, drafts, (order) => {
  orderView.show(order);
  ordersList.refresh();
});
setUpProductSearch(api, composer);
setUpCustomerForm(api, (customerId) => composer.setCustomer(customerId));

const productForm = setUpProductForm(api, () => productsList.refresh());
const productsList = setUpProductsList(api, (product) => {
  productForm.edit(product);
  byId("product-section", HTMLElement).scrollIntoView();
});

const companyForm = setUpCompanyForm(
  api,
  () => companiesList.refresh(),
  (companyId) => {
    composer.setCompany(companyId);
    window.location.hash = "#orders";
  },
);
const companiesList = setUpCompaniesList(api, (company) => companyForm.edit(company));

/** Each view's list, read when the view is opened with a key and when a key is given. */
const lists: Record<ViewName, () => void> = {
  orders: () => ordersList.refresh(),
  products: () => productsList.refresh(),
  companies: () => companiesList.refresh(),
};
let currentView: ViewName = "orders";
setUpViews((view) => {
  currentView = view;
  if (apiKey) lists[view]();
});
// A reload finds the order being composed.
if (apiKey) composer.restore();

keyForm.addEventListener("submit", () => {
  if (keyStorage === undefined) return;
  apiKey = keyInput.value.trim();
  sessionStorage.setItem(keyStorage, apiKey);
  lists[currentView]();
  composer.restore();
});
