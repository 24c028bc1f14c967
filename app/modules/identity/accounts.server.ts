import { and, asc, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { loginAttempts, memberships, organizations, users, userTokens } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { attachGuestPledges } from "~/modules/pledging/pledges.server";
import { checkLimits, pruneRateLimitHits, recordHits, type LimitRule } from "~/modules/rate-limits/rate-limits.server";
import { SIGNUP_LIMITS } from "~/modules/rate-limits/rules";
import { env } from "~/utils/env.server";
import { kickOutbox } from "~/utils/outbox-kick.server";
import type { Locale } from "~/utils/i18n";
import type { Numerals } from "~/utils/numerals";
import { appOrigin, getClientIp, getUserAgent } from "~/utils/request.server";
import { getDummyHash, hashPassword, verifyPassword } from "./password.server";
import {
  createSession,
  invalidateAllSessions,
  invalidateOtherSessions,
  invalidateSession,
  type Session,
} from "./session.server";
import { generateToken, hashToken, normalizeEmail } from "./tokens";

/**
 * Accounts: sign-up, email verification, sign-in with throttling, password reset and change,
 * profile. Every rule lives here; routes only guard, parse, call one function and reply.
 * Each operation is one transaction (never the outer `db` inside it: PGlite would hang).
 * Failures carry an i18n key (`message`) and, when it belongs to one input, the `field`.
 * An operation that queued an email asks for it to be sent (kickOutbox) once it has committed.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const VERIFY_EMAIL_TTL_MS = 24 * HOUR;
export const RESET_PASSWORD_TTL_MS = HOUR;
/** Sign-in throttling: failures counted over a sliding window, per account and per IP. */
export const THROTTLE_WINDOW_MS = 15 * MINUTE;
export const MAX_FAILURES_PER_ACCOUNT = 10;
export const MAX_FAILURES_PER_IP = 30;
/** At most this many confirmation or reset emails per account and window (no mailbombing). */
export const MAX_EMAILS_PER_WINDOW = 3;

/** Where a request comes from: for throttling, audit rows and absolute links in emails. */
export interface AccountContext {
  ip: string;
  userAgent: string | null;
  /** e.g. https://tadamon.example, no trailing slash */
  origin: string;
}

export function accountContext(request: Request): AccountContext {
  return {
    ip: getClientIp(request),
    userAgent: getUserAgent(request),
    origin: appOrigin(request, env().APP_URL),
  };
}

export interface Failure<Code extends string> {
  ok: false;
  code: Code;
  /** i18n key of the message to show */
  message: string;
  /** the input the message belongs to; absent for a message about the whole form */
  field?: string;
}

export interface Throttled extends Failure<"throttled"> {
  retryAfterSeconds: number;
}

export type LinkProblem = "invalid" | "expired" | "used";

const LINK_MESSAGES: Record<LinkProblem, string> = {
  invalid: "auth:errors.linkInvalid",
  expired: "auth:errors.linkExpired",
  used: "auth:errors.linkUsed",
};

function fail<Code extends string>(code: Code, message: string, field?: string): Failure<Code> {
  return field ? { ok: false, code, message, field } : { ok: false, code, message };
}

function actorOf(ctx: AccountContext, userId: string | null): Actor {
  return { userId, ip: ctx.ip, userAgent: ctx.userAgent };
}

type User = typeof users.$inferSelect;
type TokenPurpose = (typeof userTokens.$inferSelect)["purpose"];

// ---------------------------------------------------------------------------------------------
// Emailed single-use tokens (only their SHA-256 is stored)

async function issueToken(tx: Tx, user: User, purpose: TokenPurpose, ttlMs: number, now: Date) {
  const token = generateToken();
  await tx.insert(userTokens).values({
    id: hashToken(token),
    userId: user.id,
    purpose,
    email: user.email,
    expiresAt: new Date(now.getTime() + ttlMs),
    createdAt: now,
  });
  return token;
}

/** How many tokens of this purpose the account received in the current window. */
async function recentTokenCount(tx: Tx, userId: string, purpose: TokenPurpose, now: Date) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(userTokens)
    .where(
      and(
        eq(userTokens.userId, userId),
        eq(userTokens.purpose, purpose),
        gt(userTokens.createdAt, new Date(now.getTime() - THROTTLE_WINDOW_MS))
      )
    );
  return row?.n ?? 0;
}

/**
 * Locks the token row and checks it; a token of another purpose, for an address the account no
 * longer has, unknown, used or expired is refused.
 */
async function takeToken(
  tx: Tx,
  token: string,
  purpose: TokenPurpose,
  now: Date
): Promise<{ ok: true; user: User } | Failure<LinkProblem>> {
  const [row] = await tx
    .select()
    .from(userTokens)
    .where(and(eq(userTokens.id, hashToken(token)), eq(userTokens.purpose, purpose)))
    .for("update");
  if (!row) return fail("invalid", LINK_MESSAGES.invalid);
  if (row.usedAt) return fail("used", LINK_MESSAGES.used);
  if (row.expiresAt.getTime() <= now.getTime()) return fail("expired", LINK_MESSAGES.expired);
  const [user] = await tx.select().from(users).where(eq(users.id, row.userId)).for("update");
  if (!user || user.email !== row.email) return fail("invalid", LINK_MESSAGES.invalid);
  // Single use: this link and every other outstanding link of the same purpose are spent.
  await tx
    .update(userTokens)
    .set({ usedAt: now })
    .where(and(eq(userTokens.userId, user.id), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt)));
  return { ok: true, user };
}

async function sendVerification(tx: Tx, user: User, ctx: AccountContext, now: Date) {
  const token = await issueToken(tx, user, "verify_email", VERIFY_EMAIL_TTL_MS, now);
  await enqueueEmail(tx, user.email, user.locale, {
    template: "verify-email",
    data: { name: user.displayName, verifyUrl: `${ctx.origin}/verify-email?token=${token}` },
  });
}

// ---------------------------------------------------------------------------------------------
// Sign-up and email verification

export interface SignUpInput {
  displayName: string;
  email: string;
  password: string;
  locale: Locale;
}

export type SignUpResult =
  /** `userId` is the new account's, or null when the address already had one (the caller must not tell). */
  { ok: true; userId: string | null } | Throttled;

/**
 * Creates the account (unverified) and emails the confirmation link, in one transaction.
 *
 * No account enumeration (decision 053): for an address that already has an account the answer is
 * the same `ok` (the route shows the same "check your inbox" page), the password is hashed all the
 * same (similar timing), nothing is created, and the owner gets a "someone tried to register with
 * your address" email with links to sign in and to reset the password.
 *
 * Throttled per IP and per email (SIGNUP_LIMITS, every attempt counts): per email 3 a window, like
 * MAX_EMAILS_PER_WINDOW, so sign-up can never mail an address more often than that.
 */
export async function signUp(db: Db, input: SignUpInput, ctx: AccountContext, now: Date = new Date()): Promise<SignUpResult> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password); // slow: never inside the transaction
  const limits: LimitRule[] = [
    { bucket: "signup_ip", key: ctx.ip, limits: SIGNUP_LIMITS.ip },
    { bucket: "signup_email", key: email, limits: SIGNUP_LIMITS.email },
  ];
  const result = await db.transaction(async (tx): Promise<SignUpResult> => {
    const until = await checkLimits(tx, limits, now);
    if (until) return throttled(until, now);
    await recordHits(tx, limits, now);
    // The unique index decides, so two simultaneous sign-ups cannot both succeed.
    const [user] = await tx
      .insert(users)
      .values({
        email,
        passwordHash,
        displayName: input.displayName.trim(),
        locale: input.locale,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!user) {
      // The address has an account: tell its owner, and answer as if it were new.
      const [owner] = await tx.select().from(users).where(eq(users.email, email)).limit(1);
      if (!owner) return { ok: true as const, userId: null };
      await enqueueEmail(tx, owner.email, owner.locale, {
        template: "signup-attempt",
        data: { name: owner.displayName, loginUrl: `${ctx.origin}/login`, forgotPasswordUrl: `${ctx.origin}/forgot-password` },
      });
      await recordAudit(tx, actorOf(ctx, null), { action: "auth.sign_up_existing", entityType: "user", entityId: owner.id });
      return { ok: true as const, userId: null };
    }
    await sendVerification(tx, user, ctx, now);
    await recordAudit(tx, actorOf(ctx, user.id), { action: "auth.sign_up", entityType: "user", entityId: user.id });
    return { ok: true as const, userId: user.id };
  });
  if (result.ok) kickOutbox();
  return result;
}

/** Confirms the address behind a link from the confirmation email (24 hours, single use). */
export async function verifyEmail(
  db: Db,
  token: string,
  ctx: AccountContext
): Promise<{ ok: true; userId: string } | Failure<LinkProblem>> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const taken = await takeToken(tx, token, "verify_email", now);
    if (!taken.ok) return taken;
    const { user } = taken;
    if (!user.emailVerifiedAt) {
      await tx.update(users).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(users.id, user.id));
    }
    // Pledges made as a guest with this address now belong to the account that proved it.
    await attachGuestPledges(tx, user.id, user.email);
    await recordAudit(tx, actorOf(ctx, user.id), {
      action: "auth.email_verified",
      entityType: "user",
      entityId: user.id,
    });
    return { ok: true as const, userId: user.id };
  });
}

/**
 * Emails a new confirmation link when the address belongs to an account still waiting for one.
 * The answer is the same in every case, so it reveals nothing about which addresses have accounts.
 */
export async function resendVerification(db: Db, rawEmail: string, ctx: AccountContext): Promise<void> {
  const email = normalizeEmail(rawEmail);
  const now = new Date();
  const sent = await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    if (!user || user.emailVerifiedAt) return false;
    if ((await recentTokenCount(tx, user.id, "verify_email", now)) >= MAX_EMAILS_PER_WINDOW) return false;
    await sendVerification(tx, user, ctx, now);
    return true;
  });
  if (sent) kickOutbox();
}

// ---------------------------------------------------------------------------------------------
// Sign-in and throttling

/**
 * When the throttle lifts, or null when sign-in is open. Sliding window: with n ≥ max failures
 * in the window, the count drops below max once the (max)th most recent failure leaves it.
 * An account's count restarts after a successful sign-in (only the owner can cause one); an IP's
 * does not (one attacker may own an account and interleave successes).
 */
async function throttledUntil(tx: Tx, email: string, ip: string, now: Date): Promise<Date | null> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const [lastSuccess] = await tx
    .select({ at: loginAttempts.createdAt })
    .from(loginAttempts)
    .where(
      and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, true), gt(loginAttempts.createdAt, windowStart))
    )
    .orderBy(desc(loginAttempts.createdAt))
    .limit(1);
  const accountStart = lastSuccess ? lastSuccess.at : windowStart;
  const [accountEdge] = await tx
    .select({ at: loginAttempts.createdAt })
    .from(loginAttempts)
    .where(
      and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, accountStart))
    )
    .orderBy(desc(loginAttempts.createdAt))
    .limit(1)
    .offset(MAX_FAILURES_PER_ACCOUNT - 1);
  const [ipEdge] = await tx
    .select({ at: loginAttempts.createdAt })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.ip, ip), eq(loginAttempts.succeeded, false), gt(loginAttempts.createdAt, windowStart)))
    .orderBy(desc(loginAttempts.createdAt))
    .limit(1)
    .offset(MAX_FAILURES_PER_IP - 1);
  const until = [accountEdge, ipEdge]
    .filter((row): row is { at: Date } => Boolean(row))
    .map((row) => row.at.getTime() + THROTTLE_WINDOW_MS)
    .filter((t) => t > now.getTime());
  return until.length ? new Date(Math.max(...until)) : null;
}

function throttled(until: Date, now: Date): Throttled {
  return {
    ...fail("throttled", "auth:errors.tooManyAttempts"),
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
  };
}

/** Attempts on one account run one at a time (PostgreSQL), so parallel guesses cannot overshoot the limit. */
async function lockAccountAttempts(tx: Tx, email: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login:${email}`}, 0))`);
}

async function recordAttempt(tx: Tx, email: string, ip: string, succeeded: boolean, now: Date) {
  await tx.insert(loginAttempts).values({ email, ip, succeeded, createdAt: now });
}

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

// ---------------------------------------------------------------------------------------------
// Password reset and change

/**
 * Emails a reset link (1 hour, single use) when the address has an account. The caller answers
 * the same whether or not it does.
 */
export async function requestPasswordReset(db: Db, rawEmail: string, ctx: AccountContext): Promise<void> {
  const email = normalizeEmail(rawEmail);
  const now = new Date();
  const sent = await db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, email)).for("update");
    if (!user) return false;
    if ((await recentTokenCount(tx, user.id, "reset_password", now)) >= MAX_EMAILS_PER_WINDOW) return false;
    const token = await issueToken(tx, user, "reset_password", RESET_PASSWORD_TTL_MS, now);
    await enqueueEmail(tx, user.email, user.locale, {
      template: "reset-password",
      data: { name: user.displayName, resetUrl: `${ctx.origin}/reset-password?token=${token}` },
    });
    await recordAudit(tx, actorOf(ctx, null), {
      action: "auth.password_reset_requested",
      entityType: "user",
      entityId: user.id,
    });
    return true;
  });
  // In the background, so the answer takes as long for an unknown address as for a known one.
  if (sent) kickOutbox();
}

/** Whether a reset link can still be used (for showing the form); changes nothing. */
export async function checkResetToken(db: Db, token: string): Promise<{ ok: true } | Failure<LinkProblem>> {
  const [row] = await db
    .select({
      usedAt: userTokens.usedAt,
      expiresAt: userTokens.expiresAt,
      email: userTokens.email,
      userEmail: users.email,
    })
    .from(userTokens)
    .innerJoin(users, eq(users.id, userTokens.userId))
    .where(and(eq(userTokens.id, hashToken(token)), eq(userTokens.purpose, "reset_password")))
    .limit(1);
  if (!row || row.email !== row.userEmail) return fail("invalid", LINK_MESSAGES.invalid);
  if (row.usedAt) return fail("used", LINK_MESSAGES.used);
  if (row.expiresAt.getTime() <= Date.now()) return fail("expired", LINK_MESSAGES.expired);
  return { ok: true };
}

/**
 * Sets a new password from an emailed link: the link is spent, the address counts as confirmed
 * (the person just read mail sent to it), every session ends and the sign-in lock on the account
 * lifts (its owner has proved who they are).
 */
export async function resetPassword(
  db: Db,
  input: { token: string; password: string },
  ctx: AccountContext
): Promise<{ ok: true; userId: string } | Failure<LinkProblem>> {
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  return db.transaction(async (tx) => {
    const taken = await takeToken(tx, input.token, "reset_password", now);
    if (!taken.ok) return taken;
    const { user } = taken;
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now, updatedAt: now })
      .where(eq(users.id, user.id));
    await invalidateAllSessions(tx, user.id);
    await recordAttempt(tx, user.email, ctx.ip, true, now);
    await recordAudit(tx, actorOf(ctx, user.id), {
      action: "auth.password_reset",
      entityType: "user",
      entityId: user.id,
    });
    return { ok: true as const, userId: user.id };
  });
}

export type ChangePasswordResult = { ok: true } | Throttled | Failure<"currentPasswordWrong" | "noAccount">;

/**
 * Changes the password of a signed-in person who knows the current one. Their other sessions end
 * (a thief's included); this one stays. A wrong current password counts as a failed sign-in, so
 * a stolen session cannot be used to guess it.
 */
export async function changePassword(
  db: Db,
  input: { userId: string; sessionId: string; currentPassword: string; newPassword: string },
  ctx: AccountContext
): Promise<ChangePasswordResult> {
  const passwordHash = await hashPassword(input.newPassword);
  const result = await db.transaction(async (tx): Promise<ChangePasswordResult> => {
    const [user] = await tx.select().from(users).where(eq(users.id, input.userId)).limit(1);
    if (!user) return fail("noAccount", "errors:invalid");
    await lockAccountAttempts(tx, user.email);
    const now = new Date();
    const until = await throttledUntil(tx, user.email, ctx.ip, now);
    if (until) return throttled(until, now);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      await recordAttempt(tx, user.email, ctx.ip, false, now);
      return fail("currentPasswordWrong", "auth:errors.currentPasswordWrong", "currentPassword");
    }
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id));
    await invalidateOtherSessions(tx, user.id, input.sessionId);
    await enqueueEmail(tx, user.email, user.locale, { template: "password-changed", data: { name: user.displayName } });
    await recordAudit(tx, actorOf(ctx, user.id), {
      action: "auth.password_change",
      entityType: "user",
      entityId: user.id,
    });
    return { ok: true as const };
  });
  if (result.ok) kickOutbox();
  return result;
}

// ---------------------------------------------------------------------------------------------
// Profile

export async function updateProfile(
  db: Db,
  userId: string,
  input: { displayName: string; locale: Locale; numerals?: Numerals }
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        displayName: input.displayName.trim(),
        locale: input.locale,
        ...(input.numerals ? { numerals: input.numerals } : {}),
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
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
