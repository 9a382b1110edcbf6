import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PAGES, renderPage } from "../../scripts/generated-sections.js";

describe("generated sections", () => {
  it.each(PAGES)("%s shows its generated files as they are (else run `npm run docs:sections`)", async (page) => {
    expect(readFileSync(page, "utf8")).toBe(await renderPage(page));
  });
});
