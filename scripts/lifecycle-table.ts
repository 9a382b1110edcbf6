/**
 * Writes the table of every order status transition (STATUS_TRANSITIONS in src/orders/rules/order-lifecycle.ts) into
 * docs/lifecycle.md between `<!-- generated:transitions -->` and `<!-- end:transitions -->`.
 * test/docs/lifecycle-table.test.ts fails when the page and the code differ.
 *
 *   node --import tsx scripts/lifecycle-table.ts
 */
import { readFile, writeFile } from "node:fs/promises";
import { withTransitionTable } from "../src/orders/rules/transition-table-page.js";

const PAGE = "docs/lifecycle.md";
await writeFile(PAGE, withTransitionTable(await readFile(PAGE, "utf8")));
