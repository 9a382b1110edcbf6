import type { EntityManager } from "@mikro-orm/postgresql";
import { SalesChannel } from "../entities/sales-channel.js";
import { lockSalesChannels } from "../queries.js";

/**
 * The tenant's primary channel, read after taking the tenant's sales-channel lock (held until the
 * transaction ends), so no other write can change which channel is primary meanwhile.
 */
export async function currentPrimary(tx: EntityManager, tenantId: string): Promise<SalesChannel | null> {
  await lockSalesChannels(tx, tenantId);
  return tx.findOne(SalesChannel, { tenant: tenantId, primary: true });
}

/**
 * The old primary channel stops being primary, written before the new one becomes primary: the partial
 * unique index is checked row by row, so the other order would collide with it.
 */
export async function demote(tx: EntityManager, channel: SalesChannel, now: Date): Promise<void> {
  channel.primary = false;
  channel.updatedAt = now;
  await tx.flush();
}
