import { asc, eq, lt } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { loginAttempts, memberships, organizations, users } from "#db/schema";
import { recordAudit } from "~/modules/audit/audit.server";
import { pruneRateLimitHits } from "~/modules/rate-limits/rate-limits.server";
import { getDummyHash, verifyPassword } from "./password.server";
import { createSession, invalidateSession, type Session } from "./session.server";
import { normalizeEmail } from "./tokens";
import { lockAccountAttempts, throttledUntil, throttled, recordAttempt, actorOf, fail, HOUR, type User, type Throttled, type Failure, type AccountContext } from "./account-steps.server";

/** The organisation a new session starts in: the first of the person's organisations, in the order the navigation lists them. */
async function firstOrganizationId(tx: Tx, userId: string): Promise<string | null> {
  const [row] = await tx
    .select({ id: organizations.id })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.slug))
    .limit(1);
  return row?.id ?? null;
}

export type SignInResult =
  | { ok: true; token: string; session: Session; user: Pick<User, "id" | "displayName" | "locale"> }
  | Throttled
  | Failure<"invalidCredentials" | "emailNotVerified">;

export async function signIn(
  db: Db,
  input: { email: string; password: string },
  ctx: AccountContext
): Promise<SignInResult> {
  const email = normalizeEmail(input.email);
  const dummyHash = await getDummyHash();
  return db.transaction(async (tx): Promise<SignInResult> => {
    await lockAccountAttempts(tx, email);
    const now = new Date();
    const until = await throttledUntil(tx, email, ctx.ip, now);
    // Locked: refused even with the right password, and the password is not even checked.
    if (until) return throttled(until, now);

    const [user] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
    // Same work whether or not the account exists, so timing does not reveal it.
    const valid = await verifyPassword(user?.passwordHash ?? dummyHash, input.password);
    if (!user || !valid) {
      await recordAttempt(tx, email, ctx.ip, false, now);
      if (user) {
        await recordAudit(tx, actorOf(ctx, user.id), {
          action: "auth.sign_in_failed",
          entityType: "user",
          entityId: user.id,
        });
      }
      return fail("invalidCredentials", "auth:errors.invalidCredentials");
    }
    // Only said once the password is right, so it reveals nothing to a stranger.
    if (!user.emailVerifiedAt) return fail("emailNotVerified", "auth:errors.emailNotVerified");

    await recordAttempt(tx, email, ctx.ip, true, now);
    const { token, session } = await createSession(tx, user.id, {
      ip: ctx.ip,
      userAgent: ctx.userAgent,
      activeOrgId: await firstOrganizationId(tx, user.id),
    });
    await recordAudit(tx, actorOf(ctx, user.id), { action: "auth.sign_in", entityType: "user", entityId: user.id });
    return {
      ok: true,
      token,
      session,
      user: { id: user.id, displayName: user.displayName, locale: user.locale },
    };
  });
}

export async function signOut(db: Db, session: { id: string; userId: string }, ctx: AccountContext): Promise<void> {
  await db.transaction(async (tx) => {
    await invalidateSession(tx, session.id);
    await recordAudit(tx, actorOf(ctx, session.userId), {
      action: "auth.sign_out",
      entityType: "user",
      entityId: session.userId,
    });
  });
}

/** Sign-in attempts are only needed for the throttle window; a periodic job may call this. */
export async function pruneLoginAttempts(db: Db, olderThan = new Date(Date.now() - 24 * HOUR)): Promise<void> {
  await db.delete(loginAttempts).where(lt(loginAttempts.createdAt, olderThan));
}

/** Daily housekeeping of the rate-limit counts (sign-up, pledges): nothing looks back over a day. */
export async function pruneRateLimits(db: Db, now: Date = new Date()): Promise<number> {
  return pruneRateLimitHits(db, new Date(now.getTime() - 24 * HOUR));
}
