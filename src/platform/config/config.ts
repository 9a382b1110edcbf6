import { availableParallelism } from "node:os";

/**
 * Configuration from the environment. Every setting has a default that runs
 * on a fresh machine (see docs/configuration.md).
 */
export interface Config {
  /** WORKERS: processes serving the one port (node:cluster); 1 serves from this process, "auto" one per core. */
  workers: number;
  port: number;
  host: string;
  /** METRICS_PORT: a plain HTTP listener serving /metrics alone; unset: /metrics is served on `port`. */
  metricsPort: number | undefined;
  /** Unset: an embedded PostgreSQL is started with its data in embeddedPostgresDir. */
  databaseUrl: string | undefined;
  embeddedPostgresDir: string;
  embeddedPostgresPort: number;
  /**
   * NATS_URL: one NATS server, or a cluster's seed list, comma-separated
   * ("nats://n1:4222,nats://n2:4222"); the client learns the cluster's other servers from the one it reaches and
   * moves to another when its server goes. Checked here (natsServers), kept as written.
   */
  natsUrl: string;
  /**
   * STREAM_REPLICAS: how many copies JetStream keeps of each stream the service creates (ORDERS, CATALOG),
   * 1 to 5: 1 on a single server, 3 on a cluster (a stream of 3 survives the loss of one server). A stream that
   * has fewer is raised to it; one with more is left alone (see ensureStream).
   */
  streamReplicas: number;
  databasePoolMax: number;
  /** Largest request body accepted, in bytes (Connect readMaxBytes). */
  maxRequestBytes: number;
  /** Largest request header block (metadata) accepted, in bytes. */
  maxHeaderBytes: number;
  /** Largest deadline a client may ask for; longer ones are refused. */
  maxTimeoutMs: number;
  /** How long SIGTERM waits for in-flight calls before closing connections. */
  shutdownGraceMs: number;
  /** CORS_ORIGINS: origins whose pages may call the API from a browser; none by default, "*" for any. */
  corsOrigins: string[] | "*";
  /** CONSOLE_API_ORIGINS: other API origins the console served here may send keys to (`?api=`); none by default. */
  consoleApiOrigins: string[];
  eventSource: string;
  logLevel: string;
  /**
   * PAGE_TOKEN_SECRET: key ListOrders signs page tokens with (HMAC-SHA256), at least 32 bytes, the same on
   * every replica. Unset: a key generated once and kept in the database (platform/pagination/page-token-key.ts).
   */
  pageTokenSecret: string | undefined;
  /** CART_TTL: how long a cart lives after its last change before it reads as missing and is purged. */
  cartTtlMs: number;
  /** Webhook delivery (docs/webhooks.md). */
  webhooks: WebhookConfig;
  /**
   * Whether traces are exported (docs/tracing.md): OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
   * is set, and neither OTEL_SDK_DISABLED nor OTEL_TRACES_EXPORTER=none turns it off. The OpenTelemetry SDK reads
   * the rest of the OTEL_* variables itself.
   */
  tracing: boolean;
  /** Group commit of CreateOrder's one-statement writes (docs/performance.md). */
  createOrderBatch: BatchConfig;
}

/** How a replica batches writes (platform/database/group-commit.ts): on by default. */
export interface BatchConfig {
  /** CREATE_ORDER_BATCH: off writes every order in its own statement and commit. */
  enabled: boolean;
  /** CREATE_ORDER_BATCH_MAX_ORDERS: most orders in one batch (at least 1). */
  maxItems: number;
  /** CREATE_ORDER_BATCH_MAX_BYTES: most bytes of bound parameters in one batch (estimated per order). */
  maxBytes: number;
}

/** How this replica delivers webhooks (src/webhooks); every value has a production default. */
export interface WebhookConfig {
  /** WEBHOOK_ALLOW_HTTP: endpoints may be plain http:// URLs (local development, tests); https only by default. */
  allowHttp: boolean;
  /**
   * WEBHOOK_ALLOW_PRIVATE: endpoints may be (and resolve to) addresses that are not public: private, loopback,
   * link-local (cloud metadata), unique-local, CGNAT, ... Refused by default, at create/update and before every
   * delivery, so a tenant cannot make the service call into its own network.
   */
  allowPrivate: boolean;
  /** WEBHOOK_DISPATCHER: whether this replica reads the streams and delivers (on by default). */
  dispatcher: boolean;
  /** WEBHOOK_CONSUMER: name of the JetStream durable consumers every replica shares (one per stream). */
  consumerName: string;
  /**
   * WEBHOOK_CONSUMER_LOOKBACK_MS: when the consumers do not exist yet (first start), they begin with the events
   * published this long before, so events of the first replica's start-up are not missed.
   */
  consumerLookbackMs: number;
  /** WEBHOOK_CONSUMER_INACTIVE_MS: NATS deletes the consumers after this long without any replica; 0: never. */
  consumerInactiveMs: number;
  /** WEBHOOK_TIMEOUT_MS: how long one attempt may take, the answer's body included. */
  timeoutMs: number;
  /** WEBHOOK_RETRY_BASE_MS: the cap of the first retry's delay, doubled per failure (full jitter below it). */
  retryBaseMs: number;
  /** WEBHOOK_RETRY_MAX_DELAY_MS: the cap of any retry delay. */
  retryMaxDelayMs: number;
  /** WEBHOOK_CONCURRENCY: attempts this replica makes at once, over every endpoint. */
  concurrency: number;
  /** WEBHOOK_ENDPOINT_CONCURRENCY: attempts this replica makes at once to one endpoint. */
  perEndpointConcurrency: number;
  /** WEBHOOK_POLL_INTERVAL_MS: how often the delivery worker looks for due retries (new events wake it at once). */
  pollIntervalMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    workers: workers(env.WORKERS),
    port: integer(env, "PORT", 8080),
    host: env.HOST ?? "0.0.0.0",
    metricsPort: env.METRICS_PORT ? integer(env, "METRICS_PORT", 0) : undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPostgresDir: env.ORDERSPINE_EMBEDDED_PG_DIR ?? ".data/postgres",
    embeddedPostgresPort: integer(env, "ORDERSPINE_EMBEDDED_PG_PORT", 54329),
    natsUrl: natsUrl(env.NATS_URL),
    streamReplicas: streamReplicas(env),
    databasePoolMax: integer(env, "DATABASE_POOL_MAX", 10),
    maxRequestBytes: integer(env, "MAX_REQUEST_BYTES", 4 * 1024 * 1024),
    maxHeaderBytes: integer(env, "MAX_HEADER_BYTES", 16 * 1024),
    maxTimeoutMs: integer(env, "MAX_TIMEOUT_MS", 60_000),
    shutdownGraceMs: integer(env, "SHUTDOWN_GRACE_MS", 20_000),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    consoleApiOrigins: originList("CONSOLE_API_ORIGINS", env.CONSOLE_API_ORIGINS),
    eventSource: env.EVENT_SOURCE ?? "orderspine",
    logLevel: env.LOG_LEVEL ?? "info",
    pageTokenSecret: secret(env, "PAGE_TOKEN_SECRET", 32),
    cartTtlMs: duration(env, "CART_TTL", 30 * DAY_MS),
    webhooks: {
      allowHttp: flag(env, "WEBHOOK_ALLOW_HTTP", false),
      allowPrivate: flag(env, "WEBHOOK_ALLOW_PRIVATE", false),
      dispatcher: flag(env, "WEBHOOK_DISPATCHER", true),
      consumerName: env.WEBHOOK_CONSUMER || "orderspine-webhooks",
      consumerLookbackMs: integer(env, "WEBHOOK_CONSUMER_LOOKBACK_MS", 60 * 60 * 1000),
      consumerInactiveMs: integer(env, "WEBHOOK_CONSUMER_INACTIVE_MS", 0),
      timeoutMs: integer(env, "WEBHOOK_TIMEOUT_MS", 10_000),
      retryBaseMs: integer(env, "WEBHOOK_RETRY_BASE_MS", 60_000),
      retryMaxDelayMs: integer(env, "WEBHOOK_RETRY_MAX_DELAY_MS", 4 * 60 * 60 * 1000),
      concurrency: integer(env, "WEBHOOK_CONCURRENCY", 32),
      perEndpointConcurrency: integer(env, "WEBHOOK_ENDPOINT_CONCURRENCY", 4),
      pollIntervalMs: integer(env, "WEBHOOK_POLL_INTERVAL_MS", 1000),
    },
    tracing: tracingEnabled(env),
    createOrderBatch: {
      enabled: flag(env, "CREATE_ORDER_BATCH", true),
      maxItems: atLeastOne(env, "CREATE_ORDER_BATCH_MAX_ORDERS", 64),
      maxBytes: atLeastOne(env, "CREATE_ORDER_BATCH_MAX_BYTES", 2 * 1024 * 1024),
    },
  };
}

/**
 * Tracing is on when an OTLP endpoint is configured, as the OpenTelemetry SDK would read it, unless the SDK is
 * disabled or no trace exporter is wanted (OTEL_TRACES_EXPORTER=none). Without it the SDK is never even loaded (src/main.ts).
 */
export function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  const endpoint = (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "").trim();
  if (endpoint === "" || flag(env, "OTEL_SDK_DISABLED", false)) return false;
  // As the SDK reads it: "none" first means no trace exporter; "none" among others is ignored.
  return listEntries(env.OTEL_TRACES_EXPORTER)[0] !== "none";
}

const DEFAULT_NATS_URL = "nats://127.0.0.1:4222";

/** NATS_URL checked: unset or empty is the local server; otherwise every entry must be a server natsServers accepts. */
function natsUrl(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === "") return DEFAULT_NATS_URL;
  natsServers(raw);
  return raw;
}

/**
 * The servers of a NATS_URL: its comma-separated entries, each `nats://host:port`, `tls://host:port` or
 * `host:port` (nats:// is meant), as the NATS client takes them. Throws, naming the entry, on anything else.
 */
export function natsServers(raw: string): string[] {
  const entries = listEntries(raw);
  if (entries.length === 0) throw new Error(`NATS_URL must name at least one server, got "${raw}"`);
  for (const entry of entries) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(entry.includes("://") ? entry : `nats://${entry}`);
    } catch {
      parsed = undefined;
    }
    if (
      parsed === undefined ||
      !["nats:", "tls:"].includes(parsed.protocol) ||
      parsed.hostname === "" ||
      !["", "/"].includes(parsed.pathname) ||
      parsed.search !== "" ||
      parsed.hash !== ""
    )
      throw new Error(
        `NATS_URL entries must be servers like nats://127.0.0.1:4222 (comma-separated for a cluster), got "${entry}"`,
      );
  }
  return entries;
}

/** JetStream keeps at most 5 copies of a stream. */
const MAX_STREAM_REPLICAS = 5;

function streamReplicas(env: NodeJS.ProcessEnv): number {
  const replicas = integer(env, "STREAM_REPLICAS", 1);
  if (replicas < 1 || replicas > MAX_STREAM_REPLICAS)
    throw new Error(`STREAM_REPLICAS must be 1 to ${MAX_STREAM_REPLICAS}, got "${env.STREAM_REPLICAS ?? ""}"`);
  return replicas;
}

/** A yes/no setting: true/1/yes/on or false/0/no/off (any case); unset or empty is the default. */
function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["true", "1", "yes", "on"].includes(raw)) return true;
  if (["false", "0", "no", "off"].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got "${env[name] ?? ""}"`);
}

/** A secret setting: unset or empty is undefined; a set one must have at least `minBytes` UTF-8 bytes. */
function secret(env: NodeJS.ProcessEnv, name: string, minBytes: number): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === "") return undefined;
  // The message never echoes the value: it is a secret.
  if (Buffer.byteLength(raw, "utf8") < minBytes) throw new Error(`${name} must be at least ${minBytes} bytes long`);
  return raw;
}

/**
 * Unset or empty: no cross-origin browser access (a service holding bearer keys opens it deliberately);
 * "*" anywhere in the list: any origin. Every other entry must be an origin exactly as browsers send it
 * ("https://shop.example", "http://localhost:5173"): one with a path or a trailing slash would never match.
 */
export function corsOrigins(raw: string | undefined): string[] | "*" {
  if (listEntries(raw).includes("*")) return "*";
  return originList("CORS_ORIGINS", raw);
}

/** A comma-separated list of origins; unset or empty is none. "*" is not an origin. */
export function originList(name: string, raw: string | undefined): string[] {
  return listEntries(raw).map((entry) => origin(name, entry));
}

function listEntries(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** An entry of an origin list, checked: http(s) scheme, host and port only, written as browsers write it. */
function origin(name: string, entry: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(entry);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || !/^https?:$/.test(parsed.protocol) || parsed.origin !== entry)
    throw new Error(
      `${name} entries must be origins like https://shop.example (no path or trailing slash), got "${entry}"`,
    );
  return entry;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const UNIT_MS: Readonly<Record<string, number>> = { d: DAY_MS, h: 60 * 60 * 1000, m: 60 * 1000, s: 1000 };

/** A duration written as a whole number with a unit, "30d", "12h", "90m" or "45s"; more than 0. */
function duration(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallbackMs;
  const match = /^([1-9][0-9]{0,8})([dhms])$/.exec(raw);
  const unit = match?.[2] === undefined ? undefined : UNIT_MS[match[2]];
  if (!match || unit === undefined) {
    throw new Error(
      `${name} must be a whole number of days, hours, minutes or seconds like "30d" or "12h", got "${raw}"`,
    );
  }
  return Number(match[1]) * unit;
}

function atLeastOne(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = integer(env, name, fallback);
  if (value < 1) throw new Error(`${name} must be at least 1, got "${env[name] ?? ""}"`);
  return value;
}

/** WORKERS: a whole number from 1, or "auto" for os.availableParallelism(); unset or empty is 1. */
export function workers(raw: string | undefined, cores: number = availableParallelism()): number {
  if (raw === undefined || raw.trim() === "") return 1;
  if (raw.trim().toLowerCase() === "auto") return cores;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1 || value > 1024)
    throw new Error(`WORKERS must be a whole number from 1 to 1024 or "auto", got "${raw}"`);
  return value;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}
