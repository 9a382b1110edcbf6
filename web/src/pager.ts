import { h } from "./dom.js";

export interface Pager {
  /** Previous, Next and the page number, to put under the list. */
  element: HTMLDivElement;
  /** Reads the first page (the filters changed). */
  first: () => void;
  /** Reads the current page again (after a change elsewhere). */
  refresh: () => void;
}

/**
 * AIP-158 pages for a list: `load` reads the page a token names (empty for the first), shows it, and returns the
 * response's next_page_token (empty on the last page or when the call failed). Pages already read are read again
 * with their own tokens, so Previous works without the service keeping anything.
 */
export function pager(pageInfoId: string, load: (pageToken: string) => Promise<string>): Pager {
  const previous = h("button", { type: "button", class: "secondary" }, "Previous");
  const next = h("button", { type: "button", class: "secondary" }, "Next");
  const pageInfo = h("span", { class: "muted", id: pageInfoId });
  // Tokens of the pages read so far: tokens[i] reads page i (page 0 has none).
  let tokens: string[] = [""];
  let page = 0;
  let nextToken = "";

  const read = async () => {
    nextToken = await load(tokens[page] ?? "");
    previous.disabled = page === 0;
    next.disabled = nextToken === "";
    pageInfo.textContent = `Page ${page + 1}`;
  };
  next.addEventListener("click", () => {
    tokens[page + 1] = nextToken;
    page += 1;
    void read();
  });
  previous.addEventListener("click", () => {
    page = Math.max(0, page - 1);
    void read();
  });
  previous.disabled = true;
  next.disabled = true;
  return {
    element: h("div", { class: "pager" }, previous, next, pageInfo),
    first() {
      tokens = [""];
      page = 0;
      void read();
    },
    refresh: () => void read(),
  };
}
