/**
 * The generated result sections the reference pages show between markers such as
 * `<!-- generated:bench/results/README-performance.md -->` and `<!-- end:bench/results/README-performance.md -->`,
 * so README.md, docs/performance.md and docs/reliability.md show the last runs' own output rather than hand-typed
 * figures. `npm run docs:sections` (scripts/docs-sections.ts) writes them; test/scripts/docs-sections.unit.test.ts
 * checks that every page shows its sources as they are.
 */
import { readFile } from "node:fs/promises";
import { dirname, posix, relative } from "node:path";

/** Each generated file, the page that shows it and the heading level its top heading takes there. */
export const SECTIONS = [
  { source: "bench/results/README-summary.md", page: "README.md", top: 3 },
  { source: "bench/results/reads-summary.md", page: "README.md", top: 3 },
  { source: "bench/results/README-performance.md", page: "docs/performance.md", top: 3 },
  { source: "bench/results/reads-last-run.md", page: "docs/performance.md", top: 3 },
  { source: "bench/results/write-statement.md", page: "docs/performance.md", top: 3 },
  { source: "bench/results/sweep.md", page: "docs/performance.md", top: 3 },
  { source: "test/faults/last-run.md", page: "docs/reliability.md", top: 2 },
  { source: "test/faults/last-run-long.md", page: "docs/reliability.md", top: 2 },
];

/** The pages that show generated sections. */
export const PAGES = [...new Set(SECTIONS.map((s) => s.page))];

/** `page` as it should read: each of its marked sections replaced by its source's current text. */
export async function renderPage(page: string): Promise<string> {
  let text = await readFile(page, "utf8");
  for (const { source, top } of SECTIONS.filter((s) => s.page === page)) {
    const start = `<!-- generated:${source} -->`;
    const end = `<!-- end:${source} -->`;
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from < 0 || to < from) continue;
    const generated = await readFile(source, "utf8").catch(
      () => `_No run recorded yet: ${source} is written by its command._\n`,
    );
    const shown = demoteHeadings(rebaseLinks(generated.trim(), dirname(page)), top);
    text = `${text.slice(0, from + start.length)}\n${shown}\n${text.slice(to)}`;
  }
  return text;
}

/** Nests a generated document under the page's own headings: its top heading becomes level `top`. */
function demoteHeadings(text: string, top: number): string {
  const levels = [...text.matchAll(/^(#+) /gm)].map((m) => (m[1] ?? "").length);
  if (levels.length === 0) return text;
  const shift = top - Math.min(...levels);
  return text.replace(/^(#+) /gm, (_match, hashes: string) => `${"#".repeat(Math.min(6, hashes.length + shift))} `);
}

/** Links the generated files write relative to the repository root, made relative to the page that shows them. */
function rebaseLinks(text: string, pageDir: string): string {
  return text.replace(/(!?\[[^\]]*\])\(([^)\s]+)\)/g, (match, label: string, target: string) =>
    /^([a-z]+:|#|\/)/i.test(target) ? match : `${label}(${posix.normalize(relative(pageDir, target))})`,
  );
}
