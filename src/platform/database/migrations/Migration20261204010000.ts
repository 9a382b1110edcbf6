import { Migration } from "@mikro-orm/migrations";

/**
 * Issue 16 §2, traces through the outbox (docs/tracing.md): the W3C `traceparent` of the call that wrote an outbox
 * row, which the relay's publish span continues and sends on as the NATS `traceparent` header and the CloudEvents
 * `ce-traceparent` extension; and the `traceparent` of the published message with each webhook delivery queued for
 * it, which the delivery's span continues and sends to the receiver. Null where the writer traced nothing.
 */
export class Migration20261204010000 extends Migration {
  override name = "Migration20261204010000";

  override up(): void {
    this.addSql(`alter table "outbox_events" add column "traceparent" text null`);
    this.addSql(`alter table "webhook_deliveries" add column "traceparent" text null`);
  }

  override down(): void {
    this.addSql(`alter table "webhook_deliveries" drop column "traceparent"`);
    this.addSql(`alter table "outbox_events" drop column "traceparent"`);
  }
}
