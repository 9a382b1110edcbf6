/**
 * Copies the generated result sections into the pages that show them (scripts/generated-sections.ts lists them):
 * the bench's summary into README.md, the bench's results into docs/performance.md, the fault suite's into
 * docs/reliability.md.
 *
 *   node --import tsx scripts/docs-sections.ts     (npm run docs:sections)
 */
import { writeFile } from "node:fs/promises";
import { PAGES, renderPage } from "./generated-sections.js";

for (const page of PAGES) await writeFile(page, await renderPage(page));
