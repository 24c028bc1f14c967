import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { users, userTokens } from "#db/schema";
import { recordAudit } from "~/modules/audit/audit.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { kickOutbox } from "~/utils/outbox-kick.server";
import { hashPassword, verifyPassword } from "./password.server";
import { invalidateAllSessions, invalidateOtherSessions } from "./session.server";
import { hashToken, normalizeEmail } from "./tokens";
import { recentTokenCount, MAX_EMAILS_PER_WINDOW, issueToken, RESET_PASSWORD_TTL_MS, actorOf, fail, LINK_MESSAGES, takeToken, recordAttempt, lockAccountAttempts, throttledUntil, throttled, type AccountContext, type Failure, type LinkProblem, type Throttled } from "./account-steps.server";

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
