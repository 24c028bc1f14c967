/**
 * Where a person lands after signing in. Pure: the login action gives it the person's
 * memberships and the (already same-origin-checked) page they came from.
 *
 * - A platform admin → /admin/organizations.
 * - Staff → their staff home: /staff/:slug for one organisation (/finance/:slug when finance is
 *   their only role there), /staff (the chooser) for several.
 * - Staff sent to sign in by a page that needs it (staff, finance, admin, account, invitation,
 *   pledge or receipt pages) go back there; a public page they signed in from does not keep them
 *   from their home.
 * - Donors (no membership) → the page they came from, else the home page.
 */
export interface HomeInput {
  isPlatformAdmin: boolean;
  memberships: { slug: string; roles: readonly string[] }[];
  /** A same-origin path (`safeRedirect` output) or null. */
  from: string | null;
}

const PRIVATE_PREFIXES = ["/staff", "/finance", "/admin", "/account", "/invites/", "/pledges/", "/receipts/"];

export function isPrivatePath(path: string): boolean {
  const pathname = path.split(/[?#]/)[0];
  return PRIVATE_PREFIXES.some((p) => pathname === p || pathname.startsWith(p.endsWith("/") ? p : `${p}/`));
}

export function homeAfterSignIn(input: HomeInput): string {
  const from = input.from && input.from !== "/" ? input.from : null;
  const staff = input.isPlatformAdmin || input.memberships.length > 0;
  if (!staff) return from ?? "/";
  if (from && isPrivatePath(from)) return from;
  if (input.isPlatformAdmin && input.memberships.length === 0) return "/admin/organizations";
  if (input.memberships.length === 1) {
    const [only] = input.memberships;
    const financeOnly = only.roles.length > 0 && only.roles.every((r) => r === "finance");
    return financeOnly ? `/finance/${only.slug}` : `/staff/${only.slug}`;
  }
  return "/staff";
}
