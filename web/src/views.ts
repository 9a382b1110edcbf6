/** The views of the console, one shown at a time, named by the address's fragment (#orders, #products, ...). */
export type ViewName = "orders" | "products" | "companies";

const VIEWS: readonly ViewName[] = ["orders", "products", "companies"];

/**
 * Shows the view the fragment names (the orders view for none or an unknown one), marks its link as the current
 * page, and calls `onShown` with it, so a view can read its data when it is opened. Back and forward work as links.
 */
export function setUpViews(onShown: (view: ViewName) => void): void {
  const show = () => {
    const wanted = window.location.hash.slice(1);
    const current = VIEWS.find((view) => view === wanted) ?? "orders";
    for (const view of document.querySelectorAll<HTMLElement>("[data-view]")) {
      view.hidden = view.dataset["view"] !== current;
    }
    for (const link of document.querySelectorAll<HTMLElement>("[data-view-link]")) {
      if (link.dataset["viewLink"] === current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    onShown(current);
  };
  window.addEventListener("hashchange", show);
  show();
}
