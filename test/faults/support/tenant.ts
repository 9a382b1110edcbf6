import { createTenant, issueApiKey } from "../../../src/admin/tenants.js";
import { createOrm } from "../../../src/database.js";
import { clientsFor, PROTOCOLS, type Clients, type Protocol } from "../../support/clients.js";
import { createCustomerId } from "../../support/fixtures.js";

export interface FaultTenant {
  tenantId: string;
  key: string;
}

/** A fresh tenant with an editor key, written straight to the database the scenario's service uses. */
export async function provisionTenant(databaseUrl: string, name: string): Promise<FaultTenant> {
  const orm = await createOrm({ databaseUrl, poolMax: 1 });
  try {
    const em = orm.em.fork();
    const tenant = await createTenant(em, `faults: ${name}`);
    const issued = await issueApiKey(em, tenant.id, { role: "editor", mode: "live" });
    return { tenantId: tenant.id, key: issued.key };
  } finally {
    await orm.close();
  }
}

/** Another key of a tenant, e.g. an admin key for imports (channel CHANNEL_IMPORT). */
export async function issueKey(
  databaseUrl: string,
  tenantId: string,
  role: "viewer" | "editor" | "admin",
): Promise<string> {
  const orm = await createOrm({ databaseUrl, poolMax: 1 });
  try {
    return (await issueApiKey(orm.em.fork(), tenantId, { role, mode: "live" })).key;
  } finally {
    await orm.close();
  }
}

/** One client set per wire protocol for one service URL; load workers take turns over them. */
export class ProtocolClients {
  readonly #byProtocol: Map<Protocol, Clients>;

  constructor(baseUrl: string, key: string) {
    this.#byProtocol = new Map(PROTOCOLS.map((protocol) => [protocol, clientsFor(protocol, baseUrl, key)]));
  }

  /** Worker n speaks PROTOCOLS[n % 4], so every protocol carries a share of the load. */
  forWorker(worker: number): Clients {
    return this.of(PROTOCOLS[worker % PROTOCOLS.length] ?? "grpc-http2");
  }

  of(protocol: Protocol): Clients {
    const clients = this.#byProtocol.get(protocol);
    if (!clients) throw new Error(`no clients for ${protocol}`);
    return clients;
  }

  async newCustomer(): Promise<string> {
    return createCustomerId(this.of("grpc-http2"));
  }
}
