import { randomUUID } from "node:crypto";
import type { PromotionCandidate } from "../../domain/pricing/checkout.js";
import { Parameters, query, type Queryable } from "../../platform/database/query.js";
import { isRefusal, refuseUnless } from "../../platform/database/refusal.js";
import { PROMOTION_COLUMNS, viewOfRow, type PromotionRow } from "../promotion-view.js";
import { customerKey, type Buyer } from "../rules/buyer.js";
import { codeKey } from "../rules/codes.js";

// What orders do with promotions, in the order's own transaction (see public.ts): find the promotions of
// the codes a buyer gave, with their usage counts, under the promotions' row locks; record the uses of those
// applied; give them back when the order is canceled. Every change of a promotion's redemptions updates its
// row (usage_count) in the same transaction: that is what makes the lock and the staleness check below work.

/** How often findPromotionsForCodes reads again because a promotion changed while it waited for its lock. */
const MAX_READS = 10;

/**
 * The promotions of the tenant that `codes` name (compared without regard to case), as the pricing engine
 * takes them, keyed by the code in lower case; codes no promotion has are absent. `customerUsageCount` is the
 * buyer's unreleased uses (by customer id, else guest e-mail in any case; 0 for a buyer with neither).
 *
 * One statement. With `lock`, it takes the promotions' row locks (FOR UPDATE, in id order so that orders
 * giving the same codes never deadlock) and keeps them to the end of the caller's transaction: a concurrent
 * order with one of these promotions waits here until this one commits or rolls back, then reads the counts
 * this one left. Under READ COMMITTED a statement that waited for a lock sees the locked row as it is now but
 * everything else (the buyer's redemptions) as it was when the statement began, so when a promotion changed
 * meanwhile (its row version differs from the one the statement's snapshot holds) the statement runs again,
 * now holding the locks, and reads everything afresh.
 */
export async function findPromotionsForCodes(
  db: Queryable,
  tenantId: string,
  codes: readonly string[],
  buyer: Buyer,
  options: { lock: boolean },
): Promise<Map<string, PromotionCandidate>> {
  const keys = [...new Set(codes.map(codeKey))];
  if (keys.length === 0) return new Map();
  const sql = `select ${PROMOTION_COLUMNS}, c.code as code,
      (select count(*)::int from promotion_redemptions r
        where r.tenant_id = $1 and r.promotion_id = p.id and r.customer_key = $3 and r.released_at is null) as "customerUsageCount",
      p.xmin::text as "lockedVersion", (select s.xmin::text from promotions s where s.id = p.id) as "readVersion"
    from promotion_codes c join promotions p on p.id = c.promotion_id and p.tenant_id = c.tenant_id
    where c.tenant_id = $1 and lower(c.code) = any($2::text[])
    order by p.id${options.lock ? " for update of p" : ""}`;
  for (let read = 1; read <= MAX_READS; read++) {
    const { rows } = await query<CandidateRow>(db, sql, [tenantId, keys, customerKey(buyer) ?? null]);
    if (options.lock && rows.some((row) => row.lockedVersion !== row.readVersion)) continue;
    return new Map(rows.map((row) => [codeKey(row.code), candidateOf(row)]));
  }
  throw new Error(`promotions of codes ${keys.join(", ")} kept changing under their row locks`);
}

/**
 * findPromotionsForCodes without `lock`, as an expression of a caller's statement (CreateOrder's one lookup
 * statement): the candidates as one json array (null when no code matched); promotionCandidatesFromJson reads it.
 * `tenant` (a uuid), `keys` (text[]) and `customer` (text) are SQL: columns, or parameters bound to
 * promotionLookupValues' values.
 */
export function promotionCandidatesSql(tenant: string, keys: string, customer: string): string {
  return `(select json_agg(candidate order by candidate.id) from (select ${PROMOTION_COLUMNS}, c.code as code,
      (select count(*)::int from promotion_redemptions r
        where r.tenant_id = ${tenant} and r.promotion_id = p.id and r.customer_key = ${customer}
          and r.released_at is null) as "customerUsageCount"
    from promotion_codes c join promotions p on p.id = c.promotion_id and p.tenant_id = c.tenant_id
    where c.tenant_id = ${tenant} and lower(c.code) = any(${keys})) candidate)`;
}

/** The values of promotionCandidatesSql's `keys` and `customer` for a buyer's codes. */
export function promotionLookupValues(
  codes: readonly string[],
  buyer: Buyer,
): { keys: string[]; customer: string | null } {
  return { keys: [...new Set(codes.map(codeKey))], customer: customerKey(buyer) ?? null };
}

/** The candidates promotionCandidatesSql selected, keyed by the code in lower case as findPromotionsForCodes. */
export function promotionCandidatesFromJson(json: unknown): Map<string, PromotionCandidate> {
  const rows = (json ?? []) as CandidateJson[];
  return new Map(rows.map((row) => [codeKey(row.code), candidateOf(row)]));
}

type CandidateJson = Omit<CandidateRow, "lockedVersion" | "readVersion">;

interface CandidateRow extends PromotionRow {
  /** The code that matched, as stored. */
  code: string;
  customerUsageCount: number;
  /** xmin of the promotion row locked (its latest version) and of the one the statement's snapshot sees. */
  lockedVersion: string;
  readVersion: string;
}

function candidateOf(row: CandidateJson): PromotionCandidate {
  const view = viewOfRow(row);
  return {
    id: view.id,
    name: view.displayName,
    code: row.code,
    kind: view.kind,
    value: view.value,
    skus: view.skus,
    productIds: view.productIds,
    currency: view.currency,
    minimumSubtotal: view.minimumSubtotal,
    startTime: view.startTime,
    endTime: view.endTime,
    active: view.active,
    usageLimit: view.usageLimit,
    usageCount: view.usageCount,
    perCustomerLimit: view.perCustomerLimit,
    customerUsageCount: row.customerUsageCount,
  };
}

/** One promotion an order applied: the promotion, the code the buyer gave (as stored) and the discount. */
export interface Redemption {
  promotionId: string;
  code: string;
  /** The discount the order got, a canonical decimal amount. */
  amount: string;
}

/**
 * Records order `orderId`'s uses of promotions in the caller's transaction: a redemption row each and one
 * more usage_count per row, in one statement. Call it after findPromotionsForCodes with `lock: true` in the
 * same transaction (the locks are what keep a usage limit), never for test orders (issue 12: they do not
 * count). The buyer must have a customer id or an e-mail address (throws otherwise: the caller's bug).
 */
export async function recordRedemptions(
  db: Queryable,
  tenantId: string,
  orderId: string,
  buyer: Buyer,
  redemptions: readonly Redemption[],
): Promise<void> {
  if (redemptions.length === 0) return;
  const params = new Parameters();
  const ctes = redemptionCtes(params, [{ tenantId, orderId, buyer, redemptions }], { unlimitedOnly: false });
  const { rows } = await query<{ promotions: number }>(
    db,
    `with ${ctes.join(",\n")}\nselect count(*)::int as promotions from promotion_uses_counted`,
    params.values,
  );
  if (rows[0]?.promotions !== new Set(redemptions.map((redemption) => redemption.promotionId)).size) {
    throw new Error(`order ${orderId} redeems promotions that are not the tenant's`);
  }
}

/**
 * Records order `orderId`'s uses as recordRedemptions does, without findPromotionsForCodes' locks: for
 * promotions that have no usage limit, in total or per customer, there is no count to keep under a lock, and
 * orders using the same promotion need not wait for one another's commits. Records them only if every one of
 * them is, as it is now, active and without any limit, and answers whether it did: on false it wrote nothing.
 * The same SQL as unlimitedRedemptionsPart (which CreateOrder runs in its order's statement), as a statement of
 * its own.
 */
export async function recordUnlimitedRedemptions(
  db: Queryable,
  tenantId: string,
  orderId: string,
  buyer: Buyer,
  redemptions: readonly Redemption[],
): Promise<boolean> {
  if (redemptions.length === 0) return true;
  const params = new Parameters();
  const part = unlimitedRedemptionsPart(params, [{ tenantId, orderId, buyer, redemptions }]);
  try {
    await query(db, `with ${part.ctes.join(",\n")}\nselect ${part.condition}`, params.values);
    return true;
  } catch (error) {
    if (isRefusal(error, PROMOTION_LIMITED)) return false;
    throw error;
  }
}

/** The reason a statement with unlimitedRedemptionsPart is refused (platform/database/refusal.ts). */
export const PROMOTION_LIMITED = "PROMOTION_LIMITED";

/** CTEs for a caller's statement, and a condition its main query must meet (see unlimitedRedemptionsPart). */
export interface StatementPart {
  ctes: string[];
  condition: string;
}

/**
 * For CreateOrder's one statement of orders whose codes are all of promotions without limits (one order, or a
 * batch's: group commit): CTEs that count the uses of each promotion, all the orders' together, and write a
 * redemption row per use, without the promotions' locks (see recordUnlimitedRedemptions), and a condition for the
 * statement's main query that refuses the whole statement (isRefusal(error, PROMOTION_LIMITED): nothing of it, the
 * orders included, is written) unless every promotion is, as it is now, its order's tenant's, active and without
 * any limit: the update waits for a concurrent change of a promotion's row and sees its result. The row lock the
 * update takes lasts only until the statement commits. Never for test orders (their uses do not count). Each
 * buyer must have a customer id or an e-mail address.
 */
export function unlimitedRedemptionsPart(params: Parameters, orders: readonly RedemptionsOfOrder[]): StatementPart {
  const ctes = redemptionCtes(params, orders, { unlimitedOnly: true });
  const promotions = new Set(
    orders.flatMap((uses) => uses.redemptions.map((redemption) => `${uses.tenantId}/${redemption.promotionId}`)),
  ).size;
  return {
    ctes,
    condition: refuseUnless(`(select count(*) from promotion_uses_counted) = ${promotions}`, PROMOTION_LIMITED),
  };
}

/** An order's uses of promotions, as the statements that record them take them. */
export interface RedemptionsOfOrder {
  tenantId: string;
  orderId: string;
  buyer: Buyer;
  redemptions: readonly Redemption[];
}

/**
 * The CTEs that count the uses of each promotion of `orders`, in one update per promotion however many orders use
 * it (a statement may update a row only once; promotion_uses_counted returns the promotions counted: only those
 * without limits with `unlimitedOnly`) and write a redemption row for each use of a promotion counted.
 */
function redemptionCtes(
  params: Parameters,
  orders: readonly RedemptionsOfOrder[],
  options: { unlimitedOnly: boolean },
): string[] {
  const uses = orders.flatMap(({ tenantId, orderId, buyer, redemptions }) => {
    const key = customerKey(buyer);
    if (key === undefined) throw new Error(`order ${orderId} redeems promotions without a customer or e-mail`);
    return redemptions.map((redemption) => ({ ...redemption, tenantId, orderId, key }));
  });
  const unlimited = options.unlimitedOnly
    ? " and p.active and p.usage_limit is null and p.per_customer_limit is null"
    : "";
  // One array per column of promotion_uses_given, in its order.
  const given = (
    [
      [uses.map(() => randomUUID()), "uuid"],
      [uses.map((use) => use.tenantId), "uuid"],
      [uses.map((use) => use.promotionId), "uuid"],
      [uses.map((use) => use.orderId), "uuid"],
      [uses.map((use) => use.code), "text"],
      [uses.map((use) => use.key), "text"],
      [uses.map((use) => use.amount), "numeric"],
    ] satisfies [string[], string][]
  ).map(([values, type]) => `${params.bind(values)}::${type}[]`);
  // The count first, and a redemption row only for a promotion it counted.
  return [
    `promotion_uses_given as (
       select * from unnest(${given.join(", ")})
         as given(id, tenant_id, promotion_id, order_id, code, customer_key, amount))`,
    // Rows locked in id order (as findPromotionsForCodes and releaseRedemptions lock them): two statements counting
    // uses of the same promotions, a batch's and another replica's, never deadlock whatever plan the update gets.
    `promotion_uses_locked as materialized (
       select p.id, p.tenant_id from promotions p
        where (p.tenant_id, p.id) in (select tenant_id, promotion_id from promotion_uses_given)
        order by p.id for update)`,
    `promotion_uses_counted as (
       update promotions p set usage_count = p.usage_count + uses.count
         from (select tenant_id, promotion_id, count(*)::int as count from promotion_uses_given
                group by tenant_id, promotion_id) as uses
         join promotion_uses_locked locked on locked.id = uses.promotion_id and locked.tenant_id = uses.tenant_id
         where p.id = uses.promotion_id and p.tenant_id = uses.tenant_id${unlimited}
         returning p.id, p.tenant_id)`,
    `promotion_uses_redeemed as (
       insert into promotion_redemptions (id, tenant_id, promotion_id, order_id, code, customer_key, amount)
         select given.id, given.tenant_id, given.promotion_id, given.order_id, given.code, given.customer_key,
                given.amount
           from promotion_uses_given given
          where (given.tenant_id, given.promotion_id) in (select tenant_id, id from promotion_uses_counted)
         returning promotion_id)`,
  ];
}

/**
 * Gives back order `orderId`'s uses (the order was canceled), in the caller's transaction: marks its
 * unreleased redemptions released and takes them off usage_count. Idempotent: a second call finds nothing
 * left to release. The promotions are locked first, in id order as findPromotionsForCodes locks them, so a
 * release and a new order with the same promotions never deadlock.
 */
export async function releaseRedemptions(db: Queryable, tenantId: string, orderId: string): Promise<void> {
  await query(
    db,
    `select p.id from promotions p
      where p.tenant_id = $1 and p.id in (select r.promotion_id from promotion_redemptions r
        where r.tenant_id = $1 and r.order_id = $2 and r.released_at is null)
      order by p.id for update of p`,
    [tenantId, orderId],
  );
  await query(
    db,
    `with released as (
       update promotion_redemptions set released_at = now()
         where tenant_id = $1 and order_id = $2 and released_at is null
         returning promotion_id)
     update promotions p set usage_count = p.usage_count - uses.count
       from (select promotion_id, count(*)::int as count from released group by promotion_id) as uses
       where p.id = uses.promotion_id and p.tenant_id = $1`,
    [tenantId, orderId],
  );
}
