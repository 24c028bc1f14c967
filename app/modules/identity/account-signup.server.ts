import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { users } from "#db/schema";
import { recordAudit } from "~/modules/audit/audit.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { attachGuestPledges } from "~/modules/pledging/pledges.server";
import { checkLimits, recordHits, type LimitRule } from "~/modules/rate-limits/rate-limits.server";
import { SIGNUP_LIMITS } from "~/modules/rate-limits/rules";
import { kickOutbox } from "~/utils/outbox-kick.server";
import type { Locale } from "~/utils/i18n";
import { hashPassword } from "./password.server";
import { normalizeEmail } from "./tokens";
import { throttled, actorOf, sendVerification, takeToken, recentTokenCount, MAX_EMAILS_PER_WINDOW, type Throttled, type AccountContext, type Failure, type LinkProblem } from "./account-steps.server";

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
