/**
 * Roles are ordered: an admin can do what an editor can, an editor what a
 * viewer can.
 */
export type Role = "viewer" | "editor" | "admin";

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

export function isRole(value: string): value is Role {
  return value in RANK;
}

export function roleSatisfies(held: Role, required: Role): boolean {
  return RANK[held] >= RANK[required];
}
