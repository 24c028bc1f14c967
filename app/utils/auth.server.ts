import { createCookie, redirect } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { memberships, organizations } from "#db/schema";
import {
  validateSessionToken,
  SESSION_DAYS,
  type Session,
  type SessionUser,
} from "~/modules/identity/session.server";
import type { Actor } from "~/modules/audit/audit.server";
import { getDb } from "./db.server";
import { env } from "./env.server";
import { getClientIp, getUserAgent } from "./request.server";
import { UUID_PATTERN } from "~/utils/uuid";

import type { Role } from "~/modules/organizations/roles";
export type { Role };
export type Organization = typeof organizations.$inferSelect;

export const sessionCookie = createCookie("tadamon_session", {
  httpOnly: true,
  sameSite: "lax",
  path: "/",
  get secure() {
    return env().NODE_ENV === "production";
  },
  maxAge: SESSION_DAYS * 24 * 60 * 60,
});

export async function sessionCookieHeader(token: string): Promise<string> {
  return sessionCookie.serialize(token, { maxAge: SESSION_DAYS * 24 * 60 * 60 });
}

export async function clearSessionCookieHeader(): Promise<string> {
  return sessionCookie.serialize("", { maxAge: 0 });
}

export interface Auth {
  user: SessionUser;
  session: Session;
  /** A refreshed cookie to send when the session was extended (sliding expiry). */
  refreshedCookie?: string;
}

const authCache = new WeakMap<Request, Promise<Auth | null>>();

/** The signed-in person, or null. Cached per request, so layouts and pages share one lookup. */
export function getAuth(request: Request): Promise<Auth | null> {
  let pending = authCache.get(request);
  if (!pending) {
    pending = (async () => {
      const token = await sessionCookie.parse(request.headers.get("cookie"));
      if (typeof token !== "string" || token.length === 0 || token.length > 100) return null;
      const db = await getDb();
      const result = await validateSessionToken(db, token);
      if (!result.session) return null;
      return {
        user: result.user,
        session: result.session,
        refreshedCookie: result.fresh ? await sessionCookieHeader(token) : undefined,
      };
    })();
    authCache.set(request, pending);
  }
  return pending;
}

export async function getUser(request: Request): Promise<SessionUser | null> {
  return (await getAuth(request))?.user ?? null;
}

export function loginRedirect(request: Request): never {
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
}

/** Signed in, or a redirect to the sign-in page that comes back here. */
export async function requireAuth(request: Request): Promise<Auth> {
  const auth = await getAuth(request);
  if (!auth) loginRedirect(request);
  return auth;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  return (await requireAuth(request)).user;
}

export async function requireAnonymous(request: Request, to = "/"): Promise<void> {
  if (await getAuth(request)) throw redirect(to);
}

export function actorOf(request: Request, user: { id: string } | null): Actor {
  return { userId: user?.id ?? null, ip: getClientIp(request), userAgent: getUserAgent(request) };
}

export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

export function forbidden(): never {
  throw new Response("Forbidden", { status: 403 });
}

export interface Member {
  user: SessionUser;
  session: Session;
  org: Organization;
  roles: Role[];
  actor: Actor;
}

/**
 * The guard of every staff loader and action. `orgRef` is the organisation's slug (as in
 * `/staff/:orgSlug`) or id. Not signed in → sign-in page; not a member of that organisation
 * (or no such organisation) → 404, so other organisations' records do not reveal themselves;
 * a member without one of `roles` → 403. An empty `roles` admits any member.
 */
export async function requireMember(
  request: Request,
  orgRef: string | undefined,
  roles: readonly Role[] = [],
): Promise<Member> {
  const auth = await requireAuth(request);
  if (!orgRef) notFound();
  const db = await getDb();
  const isUuid = UUID_PATTERN.test(orgRef);
  const [org] = await db
    .select()
    .from(organizations)
    .where(isUuid ? eq(organizations.id, orgRef) : eq(organizations.slug, orgRef))
    .limit(1);
  if (!org) notFound();
  const rows = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, auth.user.id)));
  const held = rows.map((r) => r.role);
  if (held.length === 0) notFound();
  if (roles.length > 0 && !held.some((r) => roles.includes(r))) forbidden();
  return {
    user: auth.user,
    session: auth.session,
    org,
    roles: held,
    actor: actorOf(request, auth.user),
  };
}

export async function requirePlatformAdmin(request: Request) {
  const auth = await requireAuth(request);
  if (!auth.user.isPlatformAdmin) forbidden();
  return { ...auth, actor: actorOf(request, auth.user) };
}

/** Every organisation the person belongs to, with their roles there (for navigation and switching). */
export async function listMyOrganizations(userId: string) {
  const db = await getDb();
  const rows = await db
    .select({ org: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(organizations.slug);
  const byOrg = new Map<string, { org: Organization; roles: Role[] }>();
  for (const row of rows) {
    const entry = byOrg.get(row.org.id) ?? { org: row.org, roles: [] };
    entry.roles.push(row.role);
    byOrg.set(row.org.id, entry);
  }
  return [...byOrg.values()];
}

