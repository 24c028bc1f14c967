/** The roles a person may hold in an organisation (db/schema/organizations.ts `member_role`). */
export const ROLES = ["caseworker", "verifier", "finance", "org_admin"] as const;
/** The one role type (db/schema/organizations.ts builds `member_role` from ROLES). */
export type Role = (typeof ROLES)[number];
/** The same type under its older name. */
export type OrgRole = Role;

export function isRole(value: unknown): value is OrgRole {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Roles in the canonical order, without duplicates. */
export function sortRoles(roles: readonly OrgRole[]): OrgRole[] {
  return ROLES.filter((r) => roles.includes(r));
}

/** Who may open which part of an organisation's staff area. */
export const canManageOrg = (roles: readonly OrgRole[]) => roles.includes("org_admin");
export const canSeeFinance = (roles: readonly OrgRole[]) =>
  roles.includes("finance") || roles.includes("org_admin");

/** The organisation's name in the reader's language. */
export function orgName(org: { nameAr: string; nameEn: string }, locale: string): string {
  return locale === "ar" ? org.nameAr : org.nameEn;
}

/** How many days an emailed invitation stays valid. */
export const INVITE_DAYS = 7;
