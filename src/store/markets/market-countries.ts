import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { isUniqueViolation } from "../../platform/database/errors.js";
import { countryHolders } from "../queries.js";
import { countryTaken } from "../store-errors.js";

/** The primary key of market_countries, (tenant_id, country): one market per country and tenant. */
export const MARKET_COUNTRY_CONSTRAINT = "market_countries_pkey";

/**
 * In a write's transaction, before it gives `countries` to a market (`marketId` undefined: the market
 * being created): ALREADY_EXISTS, reason COUNTRY_TAKEN, naming a country another market of the tenant
 * holds and that market.
 */
export async function refuseTakenCountries(
  tx: EntityManager,
  tenantId: string,
  countries: readonly string[],
  marketId: string | undefined,
): Promise<void> {
  if (countries.length === 0) return;
  const [holder] = await countryHolders(tx, tenantId, countries, marketId);
  if (holder) throw countryTaken(holder.country, holder.marketId);
}

/**
 * Runs a write that gives `countries` to a market. Two writes that race for a country both pass
 * refuseTakenCountries, but the primary key lets only one commit; the other is answered COUNTRY_TAKEN
 * too, naming the market that won (read after it committed).
 */
export async function racingForCountries<T>(
  orm: MikroORM,
  tenantId: string,
  countries: readonly string[],
  marketId: string | undefined,
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error, MARKET_COUNTRY_CONSTRAINT)) throw error;
    const [holder] = await countryHolders(orm.em.fork(), tenantId, countries, marketId);
    // The winner may have let the country go again since; the answer is the same, without its name.
    throw holder ? countryTaken(holder.country, holder.marketId) : countryTaken(countries.join(", "), undefined);
  }
}
