import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { FIGURES_FILE, formatFigures, type ScenarioRecord } from "./figures.js";
import { faultProfile } from "./profile.js";

/** The scenarios of issue 3 §2, in its order; last-run.md is written only when all of them ran. */
export const SCENARIOS = [
  "nats-outage",
  "postgres-restart",
  "service-kill",
  "sigterm",
  "replicas",
  "idempotency-storm",
  "hot-tenant",
  "fuzz",
] as const;

const LAST_RUN = "test/faults/last-run.md";

/**
 * Gives the scenarios a directory to record their figures in and, after the run, prints them as one
 * table and (for a complete run of the full profile) writes test/faults/last-run.md, which the
 * README's "Reliability" section shows.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = await mkdtemp(join(tmpdir(), "orderspine-faults-"));
  project.provide("faultsRunDir", runDir);
  const started = new Date();
  return async () => {
    const path = join(runDir, FIGURES_FILE);
    const records: ScenarioRecord[] = existsSync(path)
      ? readFileSync(path, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => JSON.parse(line) as ScenarioRecord)
      : [];
    await rm(runDir, { recursive: true, force: true });
    if (records.length === 0) return;
    const profile = faultProfile();
    const markdown = render(records, profile.name, profile.seed, started, new Date());
    console.log(`\n${markdown}`);
    const complete = SCENARIOS.every((id) => records.some((r) => r.scenario === id));
    if (profile.name === "full" && complete) {
      writeFileSync(LAST_RUN, markdown);
      console.log(`[faults] wrote ${LAST_RUN}`);
    } else {
      console.log(`[faults] ${LAST_RUN} not updated: only a complete run of the full profile writes it`);
    }
  };
}

function render(records: ScenarioRecord[], profile: string, seed: number, started: Date, ended: Date): string {
  const order = (r: ScenarioRecord) => SCENARIOS.indexOf(r.scenario as (typeof SCENARIOS)[number]);
  const rows = [...records].sort((a, b) => order(a) - order(b));
  const cpu = cpus();
  const passed = rows.filter((r) => r.state === "pass").length;
  const minutes = ((ended.getTime() - started.getTime()) / 60_000).toFixed(1);
  return [
    `# Fault suite: last run`,
    ``,
    `Written by \`npm run test:faults\` (profile \`${profile}\`, seed ${seed}) on ${ended.toISOString()}, ` +
      `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ` +
      `Node ${process.version}, PostgreSQL and NATS on the same machine. ${passed} of ${rows.length} scenarios ` +
      `passed in ${minutes} min.`,
    ``,
    `| # | Scenario | Result | Time | Figures |`,
    `|---|---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${order(r) + 1} | ${r.title} | ${r.state === "pass" ? "pass" : "**FAIL**"} | ` +
        `${(r.durationMs / 1000).toFixed(1)} s | ${formatFigures(r.figures).replaceAll("|", "\\|")} |`,
    ),
    ``,
  ].join("\n");
}
