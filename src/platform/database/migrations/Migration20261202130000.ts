import { Migration } from "@mikro-orm/migrations";

/**
 * Gift cards (src/gift-cards, issue 12 section 5): `gift_cards`, whose code is kept only as a hash, unique per
 * tenant, with the index ListGiftCards pages through and a check that
 * keeps every balance at 0 or more; and their ledger `gift_card_transactions`, one row per change of a balance
 * (issue, debit, credit; amounts above 0), indexed for a card's ledger in order. The SQL is what MikroORM's schema
 * generator writes for the entities.
 */
export class Migration20261202130000 extends Migration {
  override name = "Migration20261202130000";

  override up(): void {
    this.addSql(
      `create table "gift_cards" ("id" uuid not null, "tenant_id" uuid not null, "code_hash" text not null, "last_characters" text not null, "currency" char(3) not null, "initial_balance" numeric(19,4) not null, "balance" numeric(19,4) not null, "expires_at" timestamptz null, "disabled" boolean not null default false, "note" text null, "version" int not null default 1, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      "create index gift_cards_tenant_id_created_at_id_index on gift_cards (tenant_id, created_at desc, id desc)",
    );
    this.addSql(
      `alter table "gift_cards" add constraint "gift_cards_tenant_id_code_hash_unique" unique ("tenant_id", "code_hash")`,
    );
    this.addSql(
      `alter table "gift_cards" add constraint "gift_cards_tenant_id_foreign" foreign key ("tenant_id") references "tenants" ("id")`,
    );
    this.addSql(`alter table "gift_cards" add constraint "gift_cards_balance_check" check (balance >= 0)`);
    this.addSql(
      `alter table "gift_cards" add constraint "gift_cards_initial_balance_check" check (initial_balance > 0)`,
    );

    this.addSql(
      `create table "gift_card_transactions" ("id" uuid not null, "tenant_id" uuid not null, "gift_card_id" uuid not null, "kind" text not null, "amount" numeric(19,4) not null, "balance_after" numeric(19,4) not null, "order_id" uuid null, "note" text null, "created_at" timestamptz not null default now(), primary key ("id"))`,
    );
    this.addSql(
      `create index "gift_card_transactions_tenant_id_gift_card_id_index" on "gift_card_transactions" ("tenant_id", "gift_card_id", "created_at", "id")`,
    );
    this.addSql(
      `alter table "gift_card_transactions" add constraint "gift_card_transactions_gift_card_id_foreign" foreign key ("gift_card_id") references "gift_cards" ("id")`,
    );
    this.addSql(
      `alter table "gift_card_transactions" add constraint "gift_card_transactions_kind_check" check (kind in ('issue', 'debit', 'credit'))`,
    );
    this.addSql(
      `alter table "gift_card_transactions" add constraint "gift_card_transactions_amount_check" check (amount > 0)`,
    );
    this.addSql(
      `alter table "gift_card_transactions" add constraint "gift_card_transactions_balance_after_check" check (balance_after >= 0)`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "gift_card_transactions" cascade`);
    this.addSql(`drop table if exists "gift_cards" cascade`);
  }
}
