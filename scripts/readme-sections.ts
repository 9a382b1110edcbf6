/**
 * Copies the generated result sections into README.md, between markers such as
 * `<!-- generated:bench/README-performance.md -->` and `<!-- end:bench/README-performance.md -->`,
 * so the README shows the last runs' own output rather than hand-typed figures.
 *
 *   node --import tsx scripts/readme-sections.ts     (npm run readme:sections)
 */
import { readFile, writeFile } from "node:fs/promises";

const SECTIONS = ["bench/README-performance.md", "bench/reads-last-run.md", "test/faults/last-run.md"];

let readme = await readFile("README.md", "utf8");
for (const source of SECTIONS) {
  const start = `<!-- generated:${source} -->`;
  const end = `<!-- end:${source} -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) continue;
  const text = await readFile(source, "utf8").catch(
    () => `_No run recorded yet: ${source} is written by its command._\n`,
  );
  readme = `${readme.slice(0, from + start.length)}\n${demoteHeadings(text.trim(), 4)}\n${readme.slice(to)}`;
}
await writeFile("README.md", readme);

/** Nests a generated document under the README's own headings: its top heading becomes level `top`. */
function demoteHeadings(text: string, top: number): string {
  const levels = [...text.matchAll(/^(#+) /gm)].map((m) => (m[1] ?? "").length);
  if (levels.length === 0) return text;
  const shift = top - Math.min(...levels);
  return text.replace(/^(#+) /gm, (_match, hashes: string) => `${"#".repeat(Math.min(6, hashes.length + shift))} `);
}
