import { create, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate, type FieldMask } from "@bufbuild/protobuf/wkt";
import { randomUUID } from "node:crypto";
import {
  ProductArchivedSchema,
  ProductCreatedSchema,
  ProductUpdatedSchema,
} from "../../gen/orders/v1/catalog_events_pb.js";
import type { Product as ProductMessage } from "../../gen/orders/v1/product_pb.js";
import type { Queryable } from "../platform/database/query.js";
import { writeOutboxEvents, type NewOutboxEventRow } from "../platform/outbox/outbox-store.js";
import { streamEventSubject, type StreamDefinition } from "../platform/outbox/stream.js";

/**
 * The catalog's events go to a stream of their own, CATALOG (subjects `catalog.<tenant_id>.<event>`),
 * not to ORDERS: a consumer of ORDERS decodes every message as an order event, and catalog imports
 * (1,000 products a call) would crowd order events out of ORDERS' limits. src/app.ts hands the
 * stream to the relay, which makes sure it exists as it does ORDERS.
 */
export const CATALOG_STREAM: StreamDefinition = { name: "CATALOG", subjects: "catalog.>" };

const SUBJECT_ROOT = "catalog";

/** What happened to the product, with what each kind of event carries besides the product itself. */
export type ProductEvent =
  { type: "product.created" } | { type: "product.updated"; updateMask: FieldMask } | { type: "product.archived" };

/**
 * Where every catalog event's outbox row is made: one row per changed product, written in the change's
 * own transaction, so the event exists exactly when the change does. The product's version is its
 * event sequence (product.created is 1): the payload's `sequence`, the row's aggregate_sequence and
 * the `ce-sequence` header all carry it.
 */
export function productEventRow(
  tenantId: string,
  product: ProductMessage,
  event: ProductEvent,
  occurredAt: Date,
): NewOutboxEventRow {
  const eventId = randomUUID();
  const common: CommonFields = {
    eventId,
    tenantId,
    occurTime: timestampFromDate(occurredAt),
    sequence: product.eventSequence,
    product,
  };
  return {
    id: eventId,
    tenantId,
    aggregateType: "product",
    aggregateId: product.id,
    aggregateSequence: product.eventSequence,
    eventType: event.type,
    subject: streamEventSubject(SUBJECT_ROOT, tenantId, event.type),
    payload: payloadOf(event, common),
    occurredAt,
  };
}

/** Writes the events of changed products in the transaction `db` holds; the relay publishes them after commit. */
export async function stageProductEvents(
  db: Queryable,
  tenantId: string,
  products: readonly ProductMessage[],
  event: ProductEvent,
  occurredAt: Date,
): Promise<void> {
  await writeOutboxEvents(
    db,
    products.map((product) => productEventRow(tenantId, product, event, occurredAt)),
  );
}

/** The fields every catalog event's payload has. */
interface CommonFields {
  eventId: string;
  tenantId: string;
  occurTime: ReturnType<typeof timestampFromDate>;
  sequence: number;
  product: ProductMessage;
}

function payloadOf(event: ProductEvent, common: CommonFields): Uint8Array {
  switch (event.type) {
    case "product.created":
      return encode(ProductCreatedSchema, common);
    case "product.updated":
      return encode(ProductUpdatedSchema, { ...common, updateMask: event.updateMask });
    case "product.archived":
      return encode(ProductArchivedSchema, common);
  }
}

function encode<Desc extends DescMessage>(schema: Desc, init: MessageInitShape<Desc>): Uint8Array {
  return toBinary(schema, create(schema, init));
}
