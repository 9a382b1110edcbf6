/**
 * How codes compare: without regard to case. Codes are ASCII letters, digits, `-` and `_` (the contract's
 * rule), so JavaScript's toLowerCase and PostgreSQL's lower() (the unique index on promotion_codes, every
 * lookup) fold them alike; a buyer's text that is no code at all is folded the same way and simply matches
 * nothing.
 */
export function codeKey(code: string): string {
  return code.toLowerCase();
}

/** The first code of `codes` that an earlier one already gives (in any case): its index and the earlier one's. */
export function firstDuplicateCode(codes: readonly string[]): { index: number; first: number } | undefined {
  const seen = new Map<string, number>();
  for (const [index, code] of codes.entries()) {
    const first = seen.get(codeKey(code));
    if (first !== undefined) return { index, first };
    seen.set(codeKey(code), index);
  }
  return undefined;
}
