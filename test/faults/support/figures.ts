import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { inject, onTestFinished } from "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Directory where each scenario appends its figures for the run's summary (figures-setup.ts). */
    faultsRunDir: string;
  }
}

export type Figure = number | string | boolean;
export type Figures = Record<string, Figure>;

export interface ScenarioRecord {
  scenario: string;
  title: string;
  figures: Figures;
  state: "pass" | "fail";
  durationMs: number;
}

export const FIGURES_FILE = "figures.jsonl";

/**
 * Collects one scenario's figures while it runs. They are printed as one line and recorded for
 * last-run.md when the test finishes, whether it passed or not: a failing scenario's figures are
 * exactly what the reader needs.
 */
export function scenarioFigures(scenario: string, title: string): Figures {
  const figures: Figures = {};
  const started = performance.now();
  onTestFinished(({ task }) => {
    const state = task.result?.state === "pass" ? "pass" : "fail";
    const durationMs = Math.round(performance.now() - started);
    console.log(`[faults] ${scenario} ${state.toUpperCase()}: ${formatFigures(figures)}`);
    const record: ScenarioRecord = { scenario, title, figures, state, durationMs };
    appendFileSync(join(inject("faultsRunDir"), FIGURES_FILE), `${JSON.stringify(record)}\n`);
  });
  return figures;
}

export function formatFigures(figures: Figures): string {
  return Object.entries(figures)
    .map(([name, value]) => `${name}=${value}`)
    .join(" ");
}
