import { create } from "@bufbuild/protobuf";
import { LockMode, type EntityManager, type MikroORM } from "@mikro-orm/postgresql";
import {
  StoreService,
  UpdateMarketResponseSchema,
  type UpdateMarketRequest,
  type UpdateMarketResponse,
} from "../../../gen/orders/v1/store_service_pb.js";
import type { Principal } from "../../platform/auth/principal.js";
import { ServiceError } from "../../platform/transport/service-error.js";
import { resourceIdViolations, updateMaskPaths } from "../../platform/transport/update-mask.js";
import { Market } from "../entities/market.js";
import { MarketCountry } from "../entities/market-country.js";
import { checkMarket, countryChanges, MARKET_FIELDS, type MarketFields } from "../rules/market-rules.js";
import { marketToMessage } from "../store-mapper.js";
import type { StoreWrites } from "../store-writes.js";
import { fieldsOf } from "./create-market.js";
import { racingForCountries, refuseTakenCountries } from "./market-countries.js";

/** UpdateMarket (AIP-134): sets the fields the mask names; a country moves between markets in two updates. */
export class UpdateMarket {
  constructor(
    private readonly orm: MikroORM,
    private readonly writes: StoreWrites,
  ) {}

  execute(principal: Principal, request: UpdateMarketRequest): Promise<UpdateMarketResponse> {
    const id = request.market?.id ?? "";
    const mask = updateMaskPaths(request.updateMask?.paths ?? [], MARKET_FIELDS);
    // The values are checked only once the mask is right: what to check is what it names.
    const checked = mask.ok ? checkMarket("market", fieldsOf(request.market), mask.paths) : undefined;
    const violations = [
      ...resourceIdViolations("market.id", id),
      ...(mask.ok ? [] : mask.violations),
      ...(checked && !checked.ok ? checked.violations : []),
    ];
    if (violations.length > 0 || !mask.ok || !checked?.ok) throw ServiceError.invalidArgument(violations);
    const { paths } = mask;
    const values = checked.values;
    const countries = paths.includes("countries") ? values.countries : [];

    const call = { method: StoreService.method.updateMarket, request };
    const target = {
      kind: "market" as const,
      id,
      etag: request.market?.etag ?? "",
      load: async (tx: EntityManager) => {
        const market = await tx.findOne(
          Market,
          { id, tenant: principal.tenantId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        // Loaded after the lock, separately: FOR UPDATE cannot lock the outer-joined side of a populate.
        if (market) await tx.populate(market, ["countries"]);
        return market;
      },
    };
    return racingForCountries(this.orm, principal.tenantId, countries, id, () =>
      this.writes.update(
        principal,
        call,
        target,
        async (tx, market) => {
          for (const path of paths) await apply(tx, principal.tenantId, market, path, values);
        },
        (market) => create(UpdateMarketResponseSchema, { market: marketToMessage(market) }),
      ),
    );
  }
}

async function apply(
  tx: EntityManager,
  tenantId: string,
  market: Market,
  path: (typeof MARKET_FIELDS)[number],
  values: MarketFields,
): Promise<void> {
  switch (path) {
    case "name":
      market.name = values.name;
      return;
    case "currency":
      market.currency = values.currency;
      return;
    case "default_locale":
      market.defaultLocale = values.defaultLocale;
      return;
    case "countries": {
      const rows = market.countries.getItems();
      const { added, removed } = countryChanges(
        rows.map((row) => row.country),
        values.countries,
      );
      await refuseTakenCountries(tx, tenantId, added, market.id);
      market.countries.remove(rows.filter((row) => removed.includes(row.country)));
      for (const country of added) {
        market.countries.add(tx.create(MarketCountry, { tenant: tenantId, country, market }));
      }
      return;
    }
  }
}
