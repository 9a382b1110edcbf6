import { create } from "@bufbuild/protobuf";
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import type { Market as MarketMessage } from "../../../gen/orders/v1/store_pb.js";
import {
  CreateMarketResponseSchema,
  StoreService,
  type CreateMarketRequest,
  type CreateMarketResponse,
} from "../../../gen/orders/v1/store_service_pb.js";
import type { Principal } from "../../platform/auth/principal.js";
import { ServiceError } from "../../platform/transport/service-error.js";
import { Market } from "../entities/market.js";
import { MarketCountry } from "../entities/market-country.js";
import { checkMarket, MARKET_FIELDS } from "../rules/market-rules.js";
import { marketToMessage } from "../store-mapper.js";
import type { StoreWrites } from "../store-writes.js";
import { racingForCountries, refuseTakenCountries } from "./market-countries.js";

/** CreateMarket: the market and its countries' rows, in one transaction. */
export class CreateMarket {
  constructor(
    private readonly orm: MikroORM,
    private readonly writes: StoreWrites,
  ) {}

  execute(principal: Principal, request: CreateMarketRequest): Promise<CreateMarketResponse> {
    const checked = checkMarket("market", fieldsOf(request.market), MARKET_FIELDS);
    if (!checked.ok) throw ServiceError.invalidArgument(checked.violations);
    const values = checked.values;
    const call = { method: StoreService.method.createMarket, request };
    return racingForCountries(this.orm, principal.tenantId, values.countries, undefined, () =>
      this.writes.create(principal, call, async (tx: EntityManager, now: Date) => {
        await refuseTakenCountries(tx, principal.tenantId, values.countries, undefined);
        const market = tx.create(Market, {
          tenant: principal.tenantId,
          name: values.name,
          currency: values.currency,
          defaultLocale: values.defaultLocale,
          createdAt: now,
          updatedAt: now,
        });
        for (const country of values.countries) {
          market.countries.add(tx.create(MarketCountry, { tenant: principal.tenantId, country, market }));
        }
        await tx.flush();
        return create(CreateMarketResponseSchema, { market: marketToMessage(market) });
      }),
    );
  }
}

/** The settable fields of a request's market (all empty when it sent none: each is then REQUIRED). */
export function fieldsOf(market: MarketMessage | undefined) {
  return {
    name: market?.name ?? "",
    currency: market?.currency ?? "",
    countries: market?.countries ?? [],
    defaultLocale: market?.defaultLocale ?? "",
  };
}
