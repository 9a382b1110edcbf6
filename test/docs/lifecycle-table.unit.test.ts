import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { withTransitionTable } from "../../src/orders/rules/transition-table-page.js";

it("docs/lifecycle.md shows exactly the status transitions of the code (node --import tsx scripts/lifecycle-table.ts)", () => {
  const page = readFileSync("docs/lifecycle.md", "utf8");
  expect(page).toBe(withTransitionTable(page));
});

it("a page whose table lacks a row is told apart", () => {
  const page = readFileSync("docs/lifecycle.md", "utf8");
  const drifted = page.replace(/^\| `ON_HOLD` \| `PLACED` .*\n/m, "");
  expect(drifted).not.toBe(page);
  expect(withTransitionTable(drifted)).toBe(page);
});
