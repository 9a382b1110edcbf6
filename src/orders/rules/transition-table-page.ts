import { transitionTable } from "./order-lifecycle.js";

const START = "<!-- generated:transitions -->";
const END = "<!-- end:transitions -->";

/** `page` with the generated transition table between its markers (scripts/lifecycle-table.ts writes it). */
export function withTransitionTable(page: string): string {
  const from = page.indexOf(START);
  const to = page.indexOf(END);
  if (from < 0 || to < from) throw new Error(`the page has no ${START} ... ${END} section`);
  return `${page.slice(0, from + START.length)}\n${transitionTable()}\n${page.slice(to)}`;
}
