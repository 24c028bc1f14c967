import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { loginAttempts, users, userTokens } from "#db/schema";
import { type Actor } from "~/modules/audit/audit.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { env } from "~/utils/env.server";
import { appOrigin, getClientIp, getUserAgent } from "~/utils/request.server";
import { generateToken, hashToken } from "./tokens";

/** Shared steps of the account modules: limits, context, failures, tokens, throttling. */

const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

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

export const LINK_MESSAGES: Record<LinkProblem, string> = {
  invalid: "auth:errors.linkInvalid",
  expired: "auth:errors.linkExpired",
  used: "auth:errors.linkUsed",
};

export function fail<Code extends string>(code: Code, message: string, field?: string): Failure<Code> {
  return field ? { ok: false, code, message, field } : { ok: false, code, message };
}

export function actorOf(ctx: AccountContext, userId: string | null): Actor {
  return { userId, ip: ctx.ip, userAgent: ctx.userAgent };
}

export type User = typeof users.$inferSelect;
type TokenPurpose = (typeof userTokens.$inferSelect)["purpose"];

// ---------------------------------------------------------------------------------------------
// Emailed single-use tokens (only their SHA-256 is stored)

export async function issueToken(tx: Tx, user: User, purpose: TokenPurpose, ttlMs: number, now: Date) {
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
export async function recentTokenCount(tx: Tx, userId: string, purpose: TokenPurpose, now: Date) {
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
export async function takeToken(
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

export async function sendVerification(tx: Tx, user: User, ctx: AccountContext, now: Date) {
  const token = await issueToken(tx, user, "verify_email", VERIFY_EMAIL_TTL_MS, now);
  await enqueueEmail(tx, user.email, user.locale, {
    template: "verify-email",
    data: { name: user.displayName, verifyUrl: `${ctx.origin}/verify-email?token=${token}` },
  });
}

// ---------------------------------------------------------------------------------------------
// Sign-in and throttling

/**
 * When the throttle lifts, or null when sign-in is open. Sliding window: with n ≥ max failures
 * in the window, the count drops below max once the (max)th most recent failure leaves it.
 * An account's count restarts after a successful sign-in (only the owner can cause one); an IP's
 * does not (one attacker may own an account and interleave successes).
 */
export async function throttledUntil(tx: Tx, email: string, ip: string, now: Date): Promise<Date | null> {
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

export function throttled(until: Date, now: Date): Throttled {
  return {
    ...fail("throttled", "auth:errors.tooManyAttempts"),
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)),
  };
}

/** Attempts on one account run one at a time (PostgreSQL), so parallel guesses cannot overshoot the limit. */
export async function lockAccountAttempts(tx: Tx, email: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login:${email}`}, 0))`);
}

export async function recordAttempt(tx: Tx, email: string, ip: string, succeeded: boolean, now: Date) {
  await tx.insert(loginAttempts).values({ email, ip, succeeded, createdAt: now });
}
