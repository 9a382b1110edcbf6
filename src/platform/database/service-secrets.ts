import { randomBytes } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { query } from "./query.js";

/**
 * The secret named `name` (`service_secrets`), generated (`bytes` from Node's CSPRNG) and stored by
 * whoever asks first. Two statements on purpose: when replicas start together, the losing insert waits
 * for the winner's commit and does nothing, and the select that follows, a new snapshot, reads the
 * winner's row.
 */
export async function storedSecret(em: EntityManager, name: string, bytes: number): Promise<Buffer> {
  await query(em, "insert into service_secrets (name, secret) values ($1, $2) on conflict (name) do nothing", [
    name,
    randomBytes(bytes).toString("base64"),
  ]);
  const { rows } = await query<{ secret: string }>(em, "select secret from service_secrets where name = $1", [name]);
  const secret = rows[0]?.secret;
  if (secret === undefined) throw new Error(`service secret ${name} was neither stored nor found`);
  return Buffer.from(secret, "base64");
}
