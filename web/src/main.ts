import "./styles.css";
import { apiBaseUrl, createApi } from "./api.js";
import { setUpOrderComposer } from "./compose.js";
import { setUpCustomerForm } from "./customers.js";
import { byId } from "./dom.js";
import { setUpOrderView } from "./order-view.js";
import { setUpOrdersList } from "./orders-list.js";
import { setUpPreview } from "./preview.js";

/** Kept for the browser tab only: a key is a secret and should not outlive the session. */
const KEY_STORAGE = "orderspine.apiKey";

const keyInput = byId("api-key", HTMLInputElement);
let apiKey = sessionStorage.getItem(KEY_STORAGE) ?? "";
keyInput.value = apiKey;

const api = createApi(apiBaseUrl(window.location), () => apiKey);
byId("api-target", HTMLSpanElement).textContent = `API: ${api.baseUrl}`;

const ordersList = setUpOrdersList(api, (orderId) => void orderView.open(orderId));
const orderView = setUpOrderView(api, () => ordersList.refresh());
const composer = setUpOrderComposer(api, (order) => {
  orderView.show(order);
  ordersList.refresh();
});
setUpPreview(api, composer);
setUpCustomerForm(api, (customerId) => composer.setCustomer(customerId));

byId("key-form", HTMLFormElement).addEventListener("submit", (event) => {
  event.preventDefault();
  apiKey = keyInput.value.trim();
  sessionStorage.setItem(KEY_STORAGE, apiKey);
  ordersList.refresh();
});
if (apiKey) ordersList.refresh();
