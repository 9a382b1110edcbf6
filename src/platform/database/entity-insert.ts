import {
  ReferenceKind,
  type EntityMetadata,
  type EntityName,
  type EntityProperty,
  type RequiredEntityData,
} from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Parameters } from "./query.js";

/**
 * INSERT statements generated from the entities' MikroORM metadata, for the writes that go around the unit
 * of work (CreateOrder's one statement, see orders/queries/insert-order.ts): table and column names, which
 * columns exist, which have a default, and how a value is converted for the driver (jsonb, bytea, numeric)
 * all come from the entity definition, so a property added to an entity is written with no other edit.
 *
 * A row is keyed by entity property names, as `em.create` takes it; a many-to-one property holds the
 * referenced primary key (or the entity). Every column must be accounted for in every row: a value (null
 * only where the column is nullable), or no key at all where the entity gives a value on create (`onCreate`)
 * or the column a default. A column that is neither written nor defaulted throws here, before any SQL is
 * sent; so does a key the entity does not have. The metadata is read once per entity (`planFor`).
 */
export function insertInto<Entity extends object>(
  em: EntityManager,
  entity: EntityName<Entity>,
  rows: readonly RequiredEntityData<Entity>[],
  params: Parameters,
): string {
  const plan = planFor(em, entity);
  if (rows.length === 0) throw new Error(`insertInto(${plan.entityName}): no rows`);
  const values = rows.map((row) => plan.valuesOf(row as Readonly<Record<string, unknown>>, params, em));
  return `insert into ${plan.table} (${plan.columnList}) values ${values.join(", ")}`;
}

/** The columns `insertInto` writes for an entity, in order: every persisted column of its table. */
export function insertedColumns(em: EntityManager, entity: EntityName): readonly string[] {
  return planFor(em, entity).columns.map((column) => column.name);
}

interface InsertColumn {
  /** The column name, unquoted. */
  name: string;
  property: string;
  nullable: boolean;
  /** The column has a default in the database (`default` / `defaultRaw`, or the version's start). */
  defaulted: boolean;
  /** The entity's own value for a new row (`onCreate`), used when the row has none. */
  onCreate?: (entity: never, em: never) => unknown;
  toDatabase: (value: unknown) => unknown;
}

class InsertPlan {
  readonly columnList: string;
  private readonly byProperty: ReadonlyMap<string, InsertColumn>;

  constructor(
    readonly entityName: string,
    readonly table: string,
    readonly columns: readonly InsertColumn[],
  ) {
    this.columnList = columns.map((column) => quote(column.name)).join(", ");
    this.byProperty = new Map(columns.map((column) => [column.property, column]));
  }

  valuesOf(row: Readonly<Record<string, unknown>>, params: Parameters, em: EntityManager): string {
    for (const key in row) {
      if (!this.byProperty.has(key)) throw new Error(`${this.entityName} has no persisted property "${key}"`);
    }
    const placeholders = this.columns.map((column) => {
      let value = row[column.property];
      if (value === undefined && column.onCreate) value = column.onCreate(row as never, em as never);
      if (value === undefined) {
        if (column.defaulted) return "default";
        throw new Error(
          `${this.entityName}.${column.property} (column ${column.name}) is neither written nor defaulted: give it a value${column.nullable ? " or null" : ""}`,
        );
      }
      if (value === null) {
        if (column.nullable) return params.bind(null);
        throw new Error(`${this.entityName}.${column.property} (column ${column.name}) is not nullable`);
      }
      return params.bind(column.toDatabase(value));
    });
    return `(${placeholders.join(", ")})`;
  }
}

const plans = new WeakMap<EntityMetadata, InsertPlan>();

function planFor(em: EntityManager, entity: EntityName): InsertPlan {
  const meta = em.getMetadata().get(entity);
  let plan = plans.get(meta);
  if (!plan) {
    plan = buildPlan(em, meta);
    plans.set(meta, plan);
  }
  return plan;
}

function buildPlan(em: EntityManager, meta: EntityMetadata): InsertPlan {
  const platform = em.getPlatform();
  const columns: InsertColumn[] = [];
  for (const prop of meta.props) {
    if (!isColumn(meta, prop)) continue;
    const [name] = prop.fieldNames;
    if (prop.fieldNames.length !== 1 || name === undefined) {
      throw new Error(`${meta.className}.${prop.name}: only single-column properties are supported`);
    }
    const convert = prop.customType
      ? (value: unknown): unknown => prop.customType?.convertToDatabaseValue(value, platform, { mode: "query" })
      : (value: unknown) => value;
    columns.push({
      name,
      property: prop.name,
      nullable: prop.nullable === true,
      defaulted: prop.default !== undefined || prop.defaultRaw !== undefined,
      onCreate: prop.onCreate as InsertColumn["onCreate"],
      toDatabase: prop.kind === ReferenceKind.SCALAR ? convert : referencedKey(meta, prop),
    });
  }
  return new InsertPlan(meta.className, quote(meta.tableName), columns);
}

/** Properties stored in this table's own columns: scalars and the owning side of references. */
function isColumn(meta: EntityMetadata, prop: EntityProperty): boolean {
  if (prop.persist === false || prop.formula !== undefined || prop.generated !== undefined) return false;
  switch (prop.kind) {
    case ReferenceKind.SCALAR:
    case ReferenceKind.MANY_TO_ONE:
      return true;
    case ReferenceKind.ONE_TO_ONE:
      return prop.owner;
    case ReferenceKind.ONE_TO_MANY:
    case ReferenceKind.MANY_TO_MANY:
      return false;
    default:
      throw new Error(`${meta.className}.${prop.name}: ${prop.kind} properties are not supported by insertInto`);
  }
}

/** A reference is written as the referenced row's primary key: given as the key itself, or read from the entity. */
function referencedKey(meta: EntityMetadata, prop: EntityProperty): (value: unknown) => unknown {
  const [targetKey] = prop.targetMeta?.primaryKeys ?? [];
  if (targetKey === undefined || (prop.targetMeta?.primaryKeys.length ?? 0) !== 1) {
    throw new Error(`${meta.className}.${prop.name}: only references to a single-column primary key are supported`);
  }
  return (value) =>
    typeof value === "object" && value !== null ? (value as Record<string, unknown>)[targetKey] : value;
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
