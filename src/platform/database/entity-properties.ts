import { randomUUID } from "node:crypto";
import { p } from "@mikro-orm/core";

// Columns shared by several tables, spread into each entity's `properties` (composition, as the
// defineEntity docs recommend) instead of a mapped superclass: every table stays readable on its own.

/** `id uuid primary key`, generated in the application so it is known before the row is flushed. */
export const uuidPrimaryKey = {
  id: p
    .uuid()
    .primary()
    .onCreate(() => randomUUID()),
};

/** `created_at timestamptz not null default now()`, set by the ORM on create. */
export const createdAt = {
  createdAt: p
    .datetime()
    .defaultRaw("now()")
    .onCreate(() => new Date()),
};

/** `created_at` plus `updated_at`, the latter refreshed by the ORM on every update. */
export const timestamps = {
  ...createdAt,
  updatedAt: p
    .datetime()
    .defaultRaw("now()")
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
};

/** A money column: `numeric(19,4)`, mapped to a decimal string so no JS number ever holds money. */
export function money() {
  return p.decimal("string").precision(19).scale(4);
}
