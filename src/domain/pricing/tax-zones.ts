/**
 * Which of the tenant's tax zones taxes an address. Why its own file: TaxService uses the same matcher to show
 * which zone an address falls in, and the rule must be one. A zone matches when its country is the address's,
 * its region is empty or the address's, and it has no postal prefixes or one of them starts the postal code
 * (spaces removed, any case). Several zones can match (New York State, and New York City by ZIP prefix); the most
 * specific wins: the longest matching postal prefix, then a zone naming the region over one naming only the
 * country; equal zones are decided by id, so the answer never depends on the order the zones were read in.
 */
import type { TaxAddress, TaxZone } from "./checkout.js";

export function matchTaxZone(zones: readonly TaxZone[], address: TaxAddress): TaxZone | undefined {
  const country = address.country.toUpperCase();
  const region = address.region.toUpperCase();
  const postalCode = normalizePostalCode(address.postalCode);
  let best: Match | undefined;
  for (const zone of zones) {
    if (zone.country.toUpperCase() !== country) continue;
    const hasRegion = zone.region !== "";
    if (hasRegion && zone.region.toUpperCase() !== region) continue;
    const prefixLength = matchingPrefixLength(zone.postalCodePrefixes, postalCode);
    if (prefixLength === undefined) continue;
    const candidate = { zone, prefixLength, hasRegion };
    if (best === undefined || moreSpecific(candidate, best)) best = candidate;
  }
  return best?.zone;
}

interface Match {
  zone: TaxZone;
  prefixLength: number;
  hasRegion: boolean;
}

function moreSpecific(a: Match, b: Match): boolean {
  if (a.prefixLength !== b.prefixLength) return a.prefixLength > b.prefixLength;
  if (a.hasRegion !== b.hasRegion) return a.hasRegion;
  return a.zone.id < b.zone.id;
}

/** 0 when the zone has no prefixes (every postal code), undefined when it has some and none matches. */
function matchingPrefixLength(prefixes: readonly string[], postalCode: string): number | undefined {
  let longest: number | undefined;
  let any = false;
  for (const raw of prefixes) {
    const prefix = normalizePostalCode(raw);
    if (prefix === "") continue;
    any = true;
    if (postalCode.startsWith(prefix) && (longest === undefined || prefix.length > longest)) longest = prefix.length;
  }
  return any ? longest : 0;
}

function normalizePostalCode(text: string): string {
  return text.replace(/\s+/g, "").toUpperCase();
}
