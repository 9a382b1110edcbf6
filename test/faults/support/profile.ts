/**
 * How hard the fault suite pushes. `full` (the default) is what the issue asks for and what
 * test/faults/last-run.md records; `short` (FAULTS_PROFILE=short) keeps every scenario and every
 * assertion but runs for fewer seconds and fewer fuzz cases, for CI; `long` (FAULTS_PROFILE=long) is
 * `full` with 1,000,000 fuzz inputs and the service's heap sampled after a full GC and snapshotted over
 * the run, to show whether its memory levels off.
 */
export type ProfileName = "full" | "short" | "long";
const PROFILE_NAMES: readonly ProfileName[] = ["full", "short", "long"];

export interface FaultProfile {
  name: ProfileName;
  /** Seed of every random choice (fuzz inputs, order sizes); FAULTS_SEED reproduces a run. */
  seed: number;
  natsOutage: { concurrency: number; beforeMs: number; outageMs: number; afterMs: number };
  postgresRestart: {
    concurrency: number;
    beforeMs: number;
    outageMs: number;
    afterMs: number;
    restarts: ("fast" | "immediate")[];
  };
  serviceKill: { concurrency: number; loadMs: number; kills: number };
  sigterm: { concurrency: number; loadMs: number; graceMs: number };
  replicas: { concurrency: number; loadMs: number };
  idempotencyStorm: { callers: number; rounds: number };
  hotTenant: { creators: number; loadMs: number };
  /** Load before the receiver's outage, after it (split by the secret rotation and the replica kill) and the outage. */
  webhooks: { concurrency: number; phaseMs: number; outageMs: number };
  /** Load through three replicas before the NATS node's kill, between the kills, and after both came back. */
  natsCluster: { concurrency: number; phaseMs: number };
  fuzz: {
    requests: number;
    concurrency: number;
    /**
     * Sample the service's V8 heap after a forced full GC every 5% of the run and write heap snapshots at
     * 10%, 50% and 100% (test/faults/support/heap-probe.mjs, preloaded with node flags of this profile only).
     */
    heapProbe: boolean;
  };
}

const FULL: Omit<FaultProfile, "seed"> = {
  name: "full",
  natsOutage: { concurrency: 16, beforeMs: 5_000, outageMs: 10_000, afterMs: 5_000 },
  postgresRestart: {
    concurrency: 16,
    beforeMs: 3_000,
    outageMs: 5_000,
    afterMs: 5_000,
    restarts: ["fast", "immediate"],
  },
  serviceKill: { concurrency: 16, loadMs: 4_000, kills: 3 },
  sigterm: { concurrency: 32, loadMs: 3_000, graceMs: 10_000 },
  replicas: { concurrency: 32, loadMs: 15_000 },
  idempotencyStorm: { callers: 200, rounds: 10 },
  hotTenant: { creators: 64, loadMs: 15_000 },
  webhooks: { concurrency: 16, phaseMs: 4_000, outageMs: 8_000 },
  natsCluster: { concurrency: 24, phaseMs: 5_000 },
  fuzz: { requests: 100_000, concurrency: 32, heapProbe: false },
};

const LONG: Omit<FaultProfile, "seed"> = {
  ...FULL,
  name: "long",
  fuzz: { requests: 1_000_000, concurrency: 32, heapProbe: true },
};

const SHORT: Omit<FaultProfile, "seed"> = {
  name: "short",
  natsOutage: { concurrency: 8, beforeMs: 1_500, outageMs: 3_000, afterMs: 1_500 },
  postgresRestart: {
    concurrency: 8,
    beforeMs: 1_500,
    outageMs: 2_000,
    afterMs: 2_000,
    restarts: ["fast", "immediate"],
  },
  serviceKill: { concurrency: 8, loadMs: 2_000, kills: 1 },
  sigterm: { concurrency: 16, loadMs: 1_500, graceMs: 10_000 },
  replicas: { concurrency: 16, loadMs: 4_000 },
  idempotencyStorm: { callers: 200, rounds: 2 },
  hotTenant: { creators: 64, loadMs: 4_000 },
  webhooks: { concurrency: 8, phaseMs: 2_000, outageMs: 3_000 },
  natsCluster: { concurrency: 9, phaseMs: 1_500 },
  // Fewer than 20,000 would end inside V8's heap warm-up, where the memory check cannot tell growth from a leak.
  fuzz: { requests: 20_000, concurrency: 32, heapProbe: false },
};

export function faultProfile(env: NodeJS.ProcessEnv = process.env): FaultProfile {
  const name = env.FAULTS_PROFILE ?? "full";
  if (!PROFILE_NAMES.includes(name as ProfileName))
    throw new Error(`FAULTS_PROFILE must be one of ${PROFILE_NAMES.join(", ")}, got "${name}"`);
  const seed = env.FAULTS_SEED === undefined || env.FAULTS_SEED === "" ? 20261122 : Number(env.FAULTS_SEED);
  if (!Number.isSafeInteger(seed)) throw new Error(`FAULTS_SEED must be an integer, got "${env.FAULTS_SEED}"`);
  const base = name === "short" ? SHORT : name === "long" ? LONG : FULL;
  // FAULTS_FUZZ_REQUESTS overrides the fuzz count alone, e.g. to chase a failure with more inputs.
  const fuzzRequests = env.FAULTS_FUZZ_REQUESTS ? Number(env.FAULTS_FUZZ_REQUESTS) : base.fuzz.requests;
  if (!Number.isSafeInteger(fuzzRequests) || fuzzRequests < 1)
    throw new Error(`FAULTS_FUZZ_REQUESTS must be a positive integer`);
  return { ...base, fuzz: { ...base.fuzz, requests: fuzzRequests }, seed };
}
