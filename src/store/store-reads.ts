import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import type { Principal } from "../platform/auth/principal.js";
import { pageSizeOf, pageStart } from "../platform/pagination/page-request.js";
import type { PageTokens } from "../platform/pagination/page-token.js";
import { selectPage, type StoreTable } from "./queries.js";
import { storeResourceNotFound, type StoreResourceKind } from "./store-errors.js";

/** Page sizes of the store's lists (the same as ListOrders'). */
export const PAGE_SIZES = { defaultSize: 50, maxSize: 500 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How one kind of store resource is read: its table, its rows as entities, its message. */
export interface StoreResource<Entity extends { id: string }, Message> {
  kind: StoreResourceKind;
  table: StoreTable;
  /** The tenant's rows with these ids, in any order, with what the message needs loaded. */
  load(em: EntityManager, tenantId: string, ids: readonly string[]): Promise<Entity[]>;
  toMessage(entity: Entity): Message;
}

/** Get and List of every store resource: reads of the caller's tenant only, outside any transaction. */
export class StoreReads {
  /** `pageTokens` signs and reads page tokens, with the key loaded once, at start (page-token-key.ts). */
  constructor(
    private readonly orm: MikroORM,
    private readonly pageTokens: () => Promise<PageTokens>,
  ) {}

  /** One resource of the caller's tenant; NOT_FOUND (MARKET_NOT_FOUND and so on) for any other id. */
  async get<Entity extends { id: string }, Message>(
    principal: Principal,
    resource: StoreResource<Entity, Message>,
    id: string,
  ): Promise<Message> {
    const [entity] = UUID.test(id) ? await resource.load(this.orm.em.fork(), principal.tenantId, [id]) : [];
    if (!entity) throw storeResourceNotFound(resource.kind, id);
    return resource.toMessage(entity);
  }

  /** One page of the tenant's resources, oldest first, and the token of the next page ("" after the last). */
  async list<Entity extends { id: string }, Message>(
    principal: Principal,
    resource: StoreResource<Entity, Message>,
    request: { pageSize: number; pageToken: string },
  ): Promise<{ items: Message[]; nextPageToken: string }> {
    const pageTokens = await this.pageTokens();
    const fingerprint = pageTokens.fingerprint({ tenant: principal.tenantId, list: resource.table });
    const cursor = pageStart(pageTokens, request.pageToken, fingerprint);
    const pageSize = pageSizeOf(request.pageSize, PAGE_SIZES.defaultSize, PAGE_SIZES.maxSize);
    const em = this.orm.em.fork();
    // One row more than the page tells whether another page follows.
    const rows = await selectPage(em, resource.table, principal.tenantId, cursor, pageSize + 1);
    const page = rows.slice(0, pageSize);
    const byId = new Map(
      (
        await resource.load(
          em,
          principal.tenantId,
          page.map((row) => row.id),
        )
      ).map((entity) => [entity.id, entity]),
    );
    const last = page.at(-1);
    return {
      items: page.flatMap((row) => {
        const entity = byId.get(row.id);
        return entity ? [resource.toMessage(entity)] : [];
      }),
      nextPageToken:
        rows.length > pageSize && last
          ? pageTokens.encode({ createTime: last.cursorTime, id: last.id }, fingerprint)
          : "",
    };
  }
}
