import { Code, ConnectError } from "@connectrpc/connect";
import { createTenant, issueApiKey } from "../../src/admin/tenants.js";
import { createOrm } from "../../src/database.js";
import { testDatabaseUrl } from "./database.js";

/**
 * For tests of the service as an OS process (ServiceProcess), which has no TestService.newTenant: a tenant and an
 * editor key written straight into the test run's database.
 */
export async function newEditorKey(name: string): Promise<{ tenantId: string; key: string }> {
  const orm = await createOrm({ databaseUrl: testDatabaseUrl(), poolMax: 1 });
  try {
    const em = orm.em.fork();
    const tenant = await createTenant(em, name);
    return { tenantId: tenant.id, key: (await issueApiKey(em, tenant.id, { role: "editor" })).key };
  } finally {
    await orm.close();
  }
}

/**
 * A call refused during shutdown is UNAVAILABLE, or a stream the server refused unprocessed with
 * RST_STREAM(REFUSED_STREAM) as it sent GOAWAY — which gRPC maps to UNAVAILABLE but connect-node's
 * client reports as INTERNAL with that reason in the message. Anything else fails the test.
 */
export function shutdownRefusal(error: unknown): Code | "refused_stream" {
  const e = ConnectError.from(error);
  return e.code === Code.Internal && e.rawMessage.includes("REFUSED_STREAM") ? "refused_stream" : e.code;
}
