import { parseArgs } from "node:util";
import { isRole, type Role } from "../platform/auth/roles.js";
import { createOrm } from "../database.js";
import { migrateUnderLock } from "../platform/database/migrate.js";
import { loadConfig } from "../platform/config/config.js";
import { embeddedDatabaseUrl } from "../platform/config/database.js";
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

Connects to DATABASE_URL, or to the embedded PostgreSQL that 'npm start' runs.`;

const OPTIONS = {
  name: { type: "string" },
  role: { type: "string" },
  mode: { type: "string" },
  tenant: { type: "string" },
  id: { type: "string" },
  enabled: { type: "string" },
  "expires-in-days": { type: "string" },
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
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`${flag} is required`);
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
    .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v, null, 2) : String(v)}`)
    .join("\n");
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
