/**
 * Enums are stored as their lower-case names ("placed", "b2b_portal"): readable
 * in SQL and stable when the contract adds values.
 */
export function enumToColumn<E extends Record<string, string | number>>(enumObject: E, value: number): string {
  const name = enumObject[value];
  if (typeof name !== "string") throw new Error(`unknown enum value ${value}`);
  return name.toLowerCase();
}

export function columnToEnum<E extends Record<string, string | number>>(enumObject: E, column: string): number {
  const value = enumObject[column.toUpperCase()];
  if (typeof value !== "number") throw new Error(`unknown stored enum name ${column}`);
  return value;
}
