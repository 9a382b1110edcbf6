import { createRouterTransport, type Interceptor } from "@connectrpc/connect";
import { pino } from "pino";
import { inject } from "vitest";
import { createTenant, issueApiKey } from "../../src/admin/tenants.js";
import { build, type OrderspineApp } from "../../src/app.js";
import type { KeyMode } from "../../src/platform/auth/api-key.js";
import type { Role } from "../../src/platform/auth/roles.js";
import { loadConfig } from "../../src/platform/config/config.js";
import { clientsOver, type Clients } from "./clients.js";

export interface InMemoryService {
  app: OrderspineApp;
  /** Typed clients over the routes in memory: no socket, no HTTP; the same interceptors as the server's. */
  clients(key: string | undefined): Clients;
  /** A fresh tenant and one key of the given role (editor by default), a live key unless `mode` says test. */
  newTenant(role?: Role, mode?: KeyMode): Promise<{ tenantId: string; key: string }>;
  /** Another key of an existing tenant, live unless `mode` says test (docs/test-mode.md). */
  newKey(tenantId: string, role: Role, mode?: KeyMode): Promise<string>;
  close(): Promise<void>;
}

/**
 * The service as build() wires it, reached through createRouterTransport: the run's (migrated)
 * database, nothing listening, no relay, housekeeping or key-store listener running.
 */
export async function buildInMemoryService(): Promise<InMemoryService> {
  const config = { ...loadConfig({}), databaseUrl: inject("databaseUrl"), databasePoolMax: 5 };
  const app = await build(config, config.databaseUrl, pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }));
  return {
    app,
    clients(key) {
      const bearer: Interceptor = (next) => (req) => {
        if (key !== undefined) req.header.set("Authorization", `Bearer ${key}`);
        return next(req);
      };
      const transport = createRouterTransport(app.routes, {
        router: { interceptors: app.interceptors },
        transport: { interceptors: [bearer] },
      });
      return clientsOver(transport);
    },
    async newTenant(role = "editor", mode = "live") {
      const em = app.orm.em.fork();
      const tenant = await createTenant(em, `in-memory tenant ${Math.random().toString(36).slice(2, 8)}`);
      const issued = await issueApiKey(em, tenant.id, { role, mode });
      return { tenantId: tenant.id, key: issued.key };
    },
    async newKey(tenantId, role, mode = "live") {
      return (await issueApiKey(app.orm.em.fork(), tenantId, { role, mode })).key;
    },
    async close() {
      await app.relay.stop();
      await app.orm.close();
    },
  };
}
