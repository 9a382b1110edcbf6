import { parseArgs } from "node:util";
import { isRole, type Role } from "../platform/auth/roles.js";
import { createOrm } from "../database.js";
import { migrateUnderLock } from "../platform/database/migrate.js";
import { loadConfig } from "../platform/config/config.js";
import { embeddedDatabaseUrl } from "../platform/config/database.js";
import { selectKeys, selectTenants } from "../platform/auth/tenant-listing.js";
import { countBacklog } from "../platform/outbox/outbox-store.js";
import { redriveFailedEvents, selectFailedEvents } from "../platform/outbox/outbox-operations.js";
import { reenableEndpoint, selectEndpointFailureStates } from "../webhooks/public.js";
import { createTenant, issueApiKey, revokeApiKey, setOrdersModule } from "./tenants.js";

const USAGE = `Usage: npm run admin -- <command> [options]

  tenant create --name NAME [--role admin|editor|viewer] [--mode live|test] [--orders-disabled] [--json]
      Creates a tenant and its first API key (role admin by default).
  tenant set-orders --tenant ID --enabled true|false [--json]
      Switches the tenant's orders module on or off.
  key create --tenant ID [--role editor] [--mode live|test] [--name NAME] [--expires-in-days N] [--json]
      Issues an API key. The key is printed once and stored only as a hash.
  key revoke --id KEY_ID [--json]
      Revokes a key; calls with it fail with UNAUTHENTICATED from then on.
  tenant list [--json]
      Every tenant: id, name, orders module, active keys.
  key list [--tenant ID] [--json]
      API keys (of one tenant or all): id, role, mode, public lookup id, expiry, revocation. Never the secret.
  outbox show [--limit N] [--json]
      Events waiting to be published, the oldest one's age, and the failed ones (published not yet, failed at least
      once; the relay retries them later and later), oldest first (50 by default).
  outbox redrive [--id EVENT_ID] [--json]
      Makes the failed events (or one) due now and wakes the relays.
  webhook list [--tenant ID] [--json]
      Webhook endpoints with their failure state: enabled, failing since, auto-disabled at, pending deliveries.
  webhook enable --id ENDPOINT_ID [--json]
      Enables an endpoint again and clears its failure state (as UpdateWebhookEndpoint with enabled does).

Connects to DATABASE_URL, or to the embedded PostgreSQL that 'npm start' runs.`;

const OPTIONS = {
  name: { type: "string" },
  role: { type: "string" },
  mode: { type: "string" },
  tenant: { type: "string" },
  id: { type: "string" },
  enabled: { type: "string" },
  "expires-in-days": { type: "string" },
  limit: { type: "string" },
  "orders-disabled": { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>["values"];

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const command = positionals.join(" ");
  if (values.help || command === "") {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig();
  const databaseUrl = config.databaseUrl ?? embeddedDatabaseUrl(config);
  const orm = await createOrm({ databaseUrl, poolMax: 2 });
  try {
    await migrateUnderLock(orm, databaseUrl);
    const result = await run(orm.em.fork(), command, values);
    console.log(values.json ? JSON.stringify(result) : humanReadable(result));
    return 0;
  } finally {
    await orm.close();
  }
}

async function run(
  em: Parameters<typeof createTenant>[0],
  command: string,
  values: Values,
): Promise<Record<string, unknown>> {
  switch (command) {
    case "tenant create": {
      const tenant = await createTenant(em, required(values.name, "--name"), {
        ordersEnabled: !values["orders-disabled"],
      });
      const apiKey = await issueApiKey(em, tenant.id, {
        role: role(values.role ?? "admin"),
        mode: mode(values.mode),
        name: "first key",
      });
      return { tenantId: tenant.id, tenantName: tenant.name, ordersEnabled: tenant.ordersEnabled, apiKey };
    }
    case "tenant set-orders": {
      const tenantId = required(values.tenant, "--tenant");
      const enabled = required(values.enabled, "--enabled") === "true";
      if (!(await setOrdersModule(em, tenantId, enabled))) throw new UsageError(`no tenant ${tenantId}`);
      return { tenantId, ordersEnabled: enabled };
    }
    case "key create": {
      const days = values["expires-in-days"];
      const expiresAt =
        days === undefined ? null : new Date(Date.now() + positiveNumber(days, "--expires-in-days") * 86_400_000);
      const apiKey = await issueApiKey(em, required(values.tenant, "--tenant"), {
        role: role(values.role ?? "editor"),
        mode: mode(values.mode),
        name: values.name,
        expiresAt,
      });
      return { tenantId: apiKey.tenantId, apiKey };
    }
    case "key revoke": {
      const id = required(values.id, "--id");
      if (!(await revokeApiKey(em, id))) throw new UsageError(`no API key ${id}`);
      return { apiKeyId: id, revoked: true };
    }
    case "tenant list":
      return { tenants: await selectTenants(em) };
    case "key list":
      return { keys: await selectKeys(em, uuid(values.tenant, "--tenant")) };
    case "outbox show": {
      const limit = values.limit === undefined ? 50 : positiveNumber(values.limit, "--limit");
      const { backlog, oldestAgeSeconds } = await countBacklog(em);
      return { backlog, oldestAgeSeconds, failed: await selectFailedEvents(em, Math.trunc(limit)) };
    }
    case "outbox redrive": {
      const redriven = await redriveFailedEvents(em, uuid(values.id, "--id"));
      return { redriven: redriven.length, eventIds: redriven };
    }
    case "webhook list":
      return { endpoints: await selectEndpointFailureStates(em, uuid(values.tenant, "--tenant")) };
    case "webhook enable": {
      const id = uuid(required(values.id, "--id"), "--id") ?? "";
      if (!(await reenableEndpoint(em, id))) throw new UsageError(`no webhook endpoint ${id}`);
      return { endpointId: id, enabled: true };
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
  return value;
}

/** An id flag: absent stays undefined; anything but a UUID is the operator's mistake, not a database error. */
function uuid(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
    throw new UsageError(`${flag} must be a UUID`);
  return value;
}

function role(value: string): Role {
  if (!isRole(value)) throw new UsageError(`--role must be viewer, editor or admin`);
  return value;
}

function mode(value: string | undefined): "live" | "test" {
  if (value === undefined || value === "live" || value === "test") return value ?? "live";
  throw new UsageError(`--mode must be live or test`);
}

function positiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new UsageError(`${flag} must be a positive number`);
  return n;
}

function humanReadable(result: Record<string, unknown>): string {
  return Object.entries(result)
    .map(([k, v]) => {
      // A list (tenants, keys, failed events, endpoints): one line per entry, its fields as name=value.
      if (Array.isArray(v)) return [`${k}: ${v.length}`, ...v.map((entry) => `  ${line(entry)}`)].join("\n");
      return `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v, null, 2) : String(v)}`;
    })
    .join("\n");
}

function line(entry: unknown): string {
  if (typeof entry !== "object" || entry === null) return String(entry);
  return Object.entries(entry)
    .map(([k, v]) => `${k}=${v === null ? "-" : typeof v === "string" ? v : JSON.stringify(v)}`)
    .join(" ");
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(
      error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error instanceof Error ? error.message : error,
    );
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
