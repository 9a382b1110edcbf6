/**
 * The one shape every layer uses to report a bad request field. The transport turns a list of these into a
 * `google.rpc.BadRequest` detail, so validation in the proto layer, the domain and persistence all speak alike.
 */
export interface FieldViolation {
  /** Proto field path as the client wrote it, e.g. "items[3].unit_price" (snake_case, zero-based index). */
  field: string;
  /** Human-readable explanation; may change between releases, so clients must not parse it. */
  description: string;
  /** Stable UPPER_SNAKE machine code, e.g. "TOO_MANY_FRACTION_DIGITS"; this is what clients branch on. */
  reason: string;
}

export function fieldViolation(field: string, reason: string, description: string): FieldViolation {
  return { field, description, reason };
}
