/**
 * Enums are stored as their lower-case names ("placed", "b2b_portal"): readable
 * in SQL and stable when the contract adds values.
 */
export function enumToColumn<V extends number>(enumObject: Readonly<Record<string, string | V>>, value: V): string {
  const name = enumObject[value];
  if (typeof name !== "string") throw new Error(`unknown enum value ${value}`);
  return name.toLowerCase();
}

export function columnToEnum<V extends number>(enumObject: Readonly<Record<string, string | V>>, column: string): V {
  const value = enumObject[column.toUpperCase()];
  if (typeof value !== "number") throw new Error(`unknown stored enum name ${column}`);
  return value;
}
