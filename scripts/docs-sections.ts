/**
 * Copies the generated result sections into the reference pages, between markers such as
 * `<!-- generated:bench/results/README-performance.md -->` and `<!-- end:bench/results/README-performance.md -->`,
 * so docs/performance.md and docs/reliability.md show the last runs' own output rather than hand-typed figures.
 *
 *   node --import tsx scripts/docs-sections.ts     (npm run docs:sections)
 */
import { readFile, writeFile } from "node:fs/promises";
import { dirname, posix, relative } from "node:path";

/** Each generated file, the page that shows it and the heading level its top heading takes there. */
const SECTIONS = [
  { source: "bench/results/README-performance.md", page: "docs/performance.md", top: 3 },
  { source: "bench/results/reads-last-run.md", page: "docs/performance.md", top: 3 },
  { source: "bench/results/write-statement.md", page: "docs/performance.md", top: 3 },
  { source: "bench/results/sweep.md", page: "docs/performance.md", top: 3 },
  { source: "test/faults/last-run.md", page: "docs/reliability.md", top: 2 },
  { source: "test/faults/last-run-long.md", page: "docs/reliability.md", top: 2 },
];

for (const { source, page, top } of SECTIONS) {
  let text = await readFile(page, "utf8");
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
  await writeFile(page, text);
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
