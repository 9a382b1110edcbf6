import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import type { ProvidedContext } from "vitest";
import type { TestProject } from "vitest/node";
import { FIGURES_FILE, formatFigures, type ScenarioRecord } from "./figures.js";
import { faultProfile, type ProfileName } from "./profile.js";
import type { RunLoad } from "./slowness.js";
import { measureLoad, startCpuBurners, stressRequested, type CpuBurners } from "./stress.js";

/**
 * The scenarios of issue 3 §2, in its order, then issue 13's webhooks and issue 16's NATS cluster; last-run.md is
 * written only when all of them ran.
 */
export const SCENARIOS = [
  "nats-outage",
  "postgres-restart",
  "service-kill",
  "sigterm",
  "replicas",
  "idempotency-storm",
  "hot-tenant",
  "fuzz",
  "webhooks",
  "nats-cluster",
] as const;

/** Where a complete run of a profile is recorded; docs/reliability.md shows them (npm run docs:sections). */
const LAST_RUN: Partial<Record<ProfileName, string>> = {
  full: "test/faults/last-run.md",
  long: "test/faults/last-run-long.md",
};

/**
 * Gives the scenarios a directory to record their figures in and the run's load (FAULTS_STRESS=1 starts
 * the CPU burners here, for the whole run; the slowness every scenario scales its timeouts by is measured
 * here, once the burners run). After the run it stops the burners, prints the figures as one table and,
 * for a complete run of the full (or long) profile, records them in test/faults/last-run.md (or
 * last-run-long.md): one section for a run with FAULTS_STRESS=1, one for a run without, each replaced
 * only by a run of its kind.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = await mkdtemp(join(tmpdir(), "orderspine-faults-"));
  project.provide("faultsRunDir", runDir);
  const started = new Date();
  const burners: CpuBurners | undefined = stressRequested() ? startCpuBurners() : undefined;
  let load: RunLoad;
  try {
    // Only what the global setups before this one provided (test/support/global-setup.ts's databaseUrl, if it ran).
    const provided: Partial<ProvidedContext> = project.getProvidedContext();
    const databaseUrl = provided.databaseUrl ?? "postgres://postgres@127.0.0.1:5432/postgres";
    load = await measureLoad(databaseUrl, burners);
  } catch (error) {
    burners?.stop();
    throw error;
  }
  project.provide("faultsLoad", load);
  console.log(`[faults] ${describeLoad(load)}`);
  return async () => {
    burners?.stop();
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
    const section = render(records, profile.name, profile.seed, load, started, new Date());
    console.log(`\n${section.heading}\n\n${section.body}`);
    const complete = SCENARIOS.every((id) => records.some((r) => r.scenario === id));
    const file = LAST_RUN[profile.name];
    if (file !== undefined && complete) {
      writeFileSync(file, withSection(existsSync(file) ? readFileSync(file, "utf8") : "", section));
      console.log(`[faults] wrote the ${load.stressed ? "stressed" : "unstressed"} run's section of ${file}`);
    } else {
      console.log(
        `[faults] ${file ?? LAST_RUN.full} not updated: only a complete run of the full or long profile writes it`,
      );
    }
  };
}

/** The heading of each kind of run's section in last-run.md. */
const UNSTRESSED = "## Without FAULTS_STRESS";
const STRESSED = "## With FAULTS_STRESS=1";
const TITLE = "# Fault suite: last runs";

export function describeLoad(load: RunLoad): string {
  const burners = load.stressed ? `FAULTS_STRESS=1: ${load.burners} CPU burners at nice 19` : "no FAULTS_STRESS";
  return (
    `${burners}; slowness ${load.slowness} (CPU ${load.cpuFactor}, PostgreSQL ${load.databaseFactor || "not measured"}, ` +
    `load average ${load.loadAverage}), every scenario timeout scaled by it`
  );
}

/**
 * last-run.md with this run's section in place of the previous run of its kind; the other kind's section
 * is kept. A file from before the sections existed was an unstressed run: its table becomes that section.
 */
export function withSection(existing: string, section: { heading: string; body: string }): string {
  const sections = new Map<string, string>();
  const text = existing.trim();
  if (text !== "") {
    const parts = text.split(/^(?=## )/m);
    const head = parts[0] ?? "";
    if (parts.length === 1 && head.startsWith("# Fault suite: last run\n")) {
      sections.set(UNSTRESSED, head.slice(head.indexOf("\n") + 1).trim());
    }
    for (const part of parts.slice(1)) {
      const newline = part.indexOf("\n");
      sections.set(part.slice(0, newline).trim(), part.slice(newline + 1).trim());
    }
  }
  sections.set(section.heading, section.body);
  const ordered = [UNSTRESSED, STRESSED].filter((h) => sections.has(h));
  return [
    TITLE,
    "",
    "A complete run replaces the section of its kind: run on the machine as it is, or with",
    "`FAULTS_STRESS=1` (a busy loop at nice 19 on every core for the whole run). Each states the slowness it",
    "measured at its start, by which it scaled every scenario timeout; no check is relaxed by it.",
    "",
    ...ordered.flatMap((h) => [h, "", sections.get(h) ?? "", ""]),
  ].join("\n");
}

function render(
  records: ScenarioRecord[],
  profile: string,
  seed: number,
  load: RunLoad,
  started: Date,
  ended: Date,
): { heading: string; body: string } {
  const order = (r: ScenarioRecord) => SCENARIOS.indexOf(r.scenario as (typeof SCENARIOS)[number]);
  const rows = [...records].sort((a, b) => order(a) - order(b));
  const cpu = cpus();
  const passed = rows.filter((r) => r.state === "pass").length;
  const minutes = ((ended.getTime() - started.getTime()) / 60_000).toFixed(1);
  const body = [
    `Written by \`${load.stressed ? "FAULTS_STRESS=1 " : ""}npm run test:faults\` (profile \`${profile}\`, seed ${seed}) ` +
      `on ${ended.toISOString()}, ` +
      `${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ` +
      `Node ${process.version}, PostgreSQL and NATS on the same machine. ${passed} of ${rows.length} scenarios ` +
      `passed in ${minutes} min. Load: ${describeLoad(load)}.`,
    ``,
    `| # | Scenario | Result | Time | Figures |`,
    `|---|---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${order(r) + 1} | ${r.title} | ${r.state === "pass" ? "pass" : "**FAIL**"} | ` +
        `${(r.durationMs / 1000).toFixed(1)} s | ${formatFigures(r.figures).replaceAll("|", "\\|")} |`,
    ),
  ].join("\n");
  return { heading: load.stressed ? STRESSED : UNSTRESSED, body };
}
