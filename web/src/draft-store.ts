/**
 * Where the console keeps the order being composed so a reload finds it: the cart's id (the cart itself, with its
 * lines, buyer, codes and shipping method, is the service's: GetCart reads it back) and the order's fields a cart
 * does not hold (company, PO number, channel), which CreateOrder takes beside cart_id. Kept in the tab's
 * sessionStorage like the key, per API origin (main.ts names the entry): a reload keeps the draft, another tab
 * composes its own.
 *
 * Pure but for the Storage given, so it is unit-tested (test/web/draft-store.unit.test.ts) apart from the browser.
 */
export interface Draft {
  cartId: string;
  companyId: string;
  poNumber: string;
  /** Channel enum number as the form's select holds it ("0" for the default). */
  channel: string;
}

export interface DraftStore {
  /** The draft kept, or undefined when none is (or what is kept is not a draft this console wrote). */
  read(): Draft | undefined;
  write(draft: Draft): void;
  /** Forgets the draft: it was placed, or its cart is gone. */
  clear(): void;
}

const FIELDS = ["cartId", "companyId", "poNumber", "channel"] as const;

export function draftStore(storage: Pick<Storage, "getItem" | "setItem" | "removeItem">, key: string): DraftStore {
  return {
    read() {
      let kept: unknown;
      try {
        kept = JSON.parse(storage.getItem(key) ?? "null");
      } catch {
        return undefined;
      }
      if (typeof kept !== "object" || kept === null) return undefined;
      const fields = kept as Record<string, unknown>;
      const draft: Draft = { cartId: "", companyId: "", poNumber: "", channel: "0" };
      for (const field of FIELDS) {
        const value = fields[field];
        if (typeof value === "string") draft[field] = value;
      }
      return draft.cartId === "" ? undefined : draft;
    },
    write(draft) {
      storage.setItem(key, JSON.stringify(draft));
    },
    clear() {
      storage.removeItem(key);
    },
  };
}
