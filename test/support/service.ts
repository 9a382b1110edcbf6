import { pino, type Logger } from "pino";
import { inject } from "vitest";
import { createTenant, issueApiKey, setOrdersModule } from "../../src/admin/tenants.js";
import { startOrderspine, type Orderspine } from "../../src/app.js";
import { loadConfig, type Config, type WebhookConfig } from "../../src/platform/config/config.js";
import type { KeyMode } from "../../src/platform/auth/api-key.js";
import type { Role } from "../../src/platform/auth/roles.js";

export interface TestService extends Orderspine {
  config: Config;
  /** A fresh tenant with one key of the given role (editor by default), live unless `mode` says test. */
  newTenant(options?: { role?: Role; mode?: KeyMode; ordersEnabled?: boolean }): Promise<TestTenant>;
}

export interface TestTenant {
  tenantId: string;
  key: string;
  keyId: string;
  /** Issues another key for this tenant, live unless `mode` says test (docs/test-mode.md). */
  issueKey(options: { role: Role; mode?: KeyMode; expiresAt?: Date }): Promise<{ key: string; keyId: string }>;
}

/**
 * Webhook settings for a test service: the dispatcher off unless asked for (a service that reads the shared NATS
 * streams would take other runs' events), and, when on, durable consumers named after this run's database (runs
 * sharing the NATS server never take each other's events; the test files of one run share them like replicas),
 * deleted by NATS 5 minutes after the run, starting a minute back rather than an hour.
 */
export function testWebhookConfig(overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  const run = new URL(inject("databaseUrl")).pathname.slice(1);
  return {
    ...loadConfig({}).webhooks,
    dispatcher: false,
    consumerName: `orderspine-webhooks-${run}`,
    consumerLookbackMs: 60_000,
    consumerInactiveMs: 5 * 60_000,
    ...overrides,
  };
}

/**
 * Starts the real service in this process on a free port, against the run's
 * database and the local NATS (or the URLs given).
 */
export async function startTestService(overrides: Partial<Config> = {}, logger?: Logger): Promise<TestService> {
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    host: "127.0.0.1",
    databaseUrl: inject("databaseUrl"),
    natsUrl: inject("natsUrl"),
    databasePoolMax: 5,
    shutdownGraceMs: 5_000,
    webhooks: testWebhookConfig(),
    ...overrides,
  };
  const service = await startOrderspine(
    config,
    config.databaseUrl ?? "",
    logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
  );
  return {
    ...service,
    config,
    async newTenant(options = {}) {
      const em = service.orm.em.fork();
      const tenant = await createTenant(em, `test tenant ${Math.random().toString(36).slice(2, 8)}`);
      const first = await issueApiKey(em, tenant.id, { role: options.role ?? "editor", mode: options.mode ?? "live" });
      if (options.ordersEnabled === false) await setOrdersModule(em, tenant.id, false);
      return {
        tenantId: tenant.id,
        key: first.key,
        keyId: first.id,
        async issueKey({ role, mode = "live", expiresAt }) {
          const issued = await issueApiKey(service.orm.em.fork(), tenant.id, { role, mode, expiresAt });
          return { key: issued.key, keyId: issued.id };
        },
      };
    },
  };
}
