/**
 * Request field paths as the service names them in violations ("product.variants[0].alternate_skus[1]",
 * 'product.variants[0].prices["USD"]'). Pure: no DOM, so it is unit-tested (test/web/field-paths.unit.test.ts).
 */

/** Drops `prefix` ("order." for PreviewOrder, "company." for UpdateCompany) from the start of a path. */
export function withoutPrefix(field: string, prefix: string | undefined): string {
  return prefix && field.startsWith(prefix) ? field.slice(prefix.length) : field;
}

/**
 * The list or map a path names an item of, and the item as a person reads it: `alternate_skus[1]` →
 * `alternate_skus` and "#2"; `prices["USD"]` → `prices` and "USD". Undefined for a path that names no item.
 */
export function parentOf(field: string): { parent: string; item: string } | undefined {
  const match = /^(.+)\[(?:(\d+)|"((?:[^"\\]|\\.)*)")\]$/.exec(field);
  if (!match?.[1]) return undefined;
  const [, parent, index, key] = match;
  return { parent, item: index === undefined ? (JSON.parse(`"${key ?? ""}"`) as string) : `#${Number(index) + 1}` };
}
