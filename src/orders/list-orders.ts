import { create } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { MikroORM } from "@mikro-orm/postgresql";
import { Channel, OrderStatus, PaymentStatus } from "../../gen/orders/v1/order_pb.js";
import {
  ListOrdersResponseSchema,
  type ListOrdersRequest,
  type ListOrdersResponse,
} from "../../gen/orders/v1/orders_service_pb.js";
import type { Principal } from "../platform/auth/principal.js";
import { fieldViolation } from "../money/field-violation.js";
import { ServiceError } from "../platform/transport/service-error.js";
import { enumToColumn } from "./enum-columns.js";
import { orderToMessage, seesPrivateMetadata } from "./order-mapper.js";
import { isTestCaller } from "./order-mode.js";
import { selectOrderPage, withLinesAndHistory, type OrderFilters } from "./queries/read-orders.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { timestampToSql, timestampViolations } from "./timestamps.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/**
 * ListOrders: a tenant's orders of the caller's key mode (order-mode.ts: a test key lists test orders,
 * a live key live ones), newest first, filtered, by keyset pages (AIP-158). Each page is one index
 * range scan — (tenant_id, is_test | filter column, created_at desc, id desc), see the Order entity —
 * that starts after the previous page's last order, so page 1,000 costs what page 1 costs, and
 * orders created meanwhile (newer than any cursor) never shift the pages still to come.
 */
export class ListOrders {
  /** `pageTokens` signs and reads page tokens, with the key loaded once, at start (platform/pagination/page-token-key.ts). */
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  async execute(principal: Principal, request: ListOrdersRequest): Promise<ListOrdersResponse> {
    const filters = orderFilters(request);
    const pageTokens = await this.pageTokens();
    const test = isTestCaller(principal);
    // A token belongs to one mode's listing; a live listing's fingerprint is the one it had before test mode.
    const fingerprint = pageTokens.fingerprint({
      tenant: principal.tenantId,
      ...filters.identity,
      ...(test ? { mode: "test" } : {}),
    });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);

    const em = this.orm.em.fork();
    // One row more than the page tells whether another page follows.
    const rows = await selectOrderPage(
      em,
      { tenantId: principal.tenantId, test },
      filters.filters,
      cursor,
      pageSize + 1,
    );
    const page = rows.slice(0, pageSize);
    const orders = await withLinesAndHistory(em, principal.tenantId, page);
    const last = page.at(-1);
    const privateMetadata = seesPrivateMetadata(principal.role);
    return create(ListOrdersResponseSchema, {
      orders: orders.map((order) => orderToMessage(order, { privateMetadata })),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    });
  }
}

interface Filters {
  filters: OrderFilters;
  /** The filters as the page token's fingerprint sees them. */
  identity: Record<string, string | undefined>;
}

function orderFilters(request: ListOrdersRequest): Filters {
  // The contract bounds both (timestamp gte/lte); checked here too so no other caller reaches PostgreSQL with them.
  const times = [
    ...timestampViolations("create_time_start", request.createTimeStart),
    ...timestampViolations("create_time_end", request.createTimeEnd),
  ];
  if (times.length > 0) throw ServiceError.invalidArgument(times);
  // To the microsecond PostgreSQL keeps, not a millisecond Date: the filter selects exactly what it says.
  const start = request.createTimeStart && timestampToSql(request.createTimeStart);
  const end = request.createTimeEnd && timestampToSql(request.createTimeEnd);
  if (request.createTimeStart && request.createTimeEnd && !isBefore(request.createTimeStart, request.createTimeEnd)) {
    throw ServiceError.invalidArgument([
      fieldViolation("create_time_end", "BEFORE_START", "must be after create_time_start"),
    ]);
  }
  const equalities: [keyof OrderFilters, string | undefined][] = [
    ["status", request.status === OrderStatus.UNSPECIFIED ? undefined : enumToColumn(OrderStatus, request.status)],
    [
      "payment_status",
      request.paymentStatus === PaymentStatus.UNSPECIFIED
        ? undefined
        : enumToColumn(PaymentStatus, request.paymentStatus),
    ],
    ["customer_id", request.customerId || undefined],
    ["channel", request.channel === Channel.UNSPECIFIED ? undefined : enumToColumn(Channel, request.channel)],
    ["order_number", request.orderNumber || undefined],
    ["email", request.email || undefined],
    ["po_number", request.poNumber || undefined],
    ["company_id", request.companyId || undefined],
  ];
  return {
    filters: { ...Object.fromEntries(equalities), createdFrom: start, createdBefore: end },
    identity: {
      ...Object.fromEntries(equalities),
      // Seconds and nanos, not a Date: a token must not survive a change below the millisecond.
      createTimeStart: request.createTimeStart && exactTime(request.createTimeStart),
      createTimeEnd: request.createTimeEnd && exactTime(request.createTimeEnd),
    },
  };
}

function exactTime(time: Timestamp): string {
  return `${time.seconds}.${String(time.nanos).padStart(9, "0")}`;
}

function isBefore(a: Timestamp, b: Timestamp): boolean {
  return a.seconds < b.seconds || (a.seconds === b.seconds && a.nanos < b.nanos);
}
