import { and, eq, lt, ne } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { sessions, users } from "#db/schema";
import { generateToken, hashToken } from "./tokens";

/** Lucia's session design: 30 days, extended when fewer than 15 remain (sliding expiry). */
export const SESSION_DAYS = 30;
const DAY = 24 * 60 * 60 * 1000;

export type SessionUser = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;

export async function createSession(
  db: DbOrTx,
  userId: string,
  meta: { ip?: string | null; userAgent?: string | null; activeOrgId?: string | null } = {},
): Promise<{ token: string; session: Session }> {
  const token = generateToken();
  const [session] = await db
    .insert(sessions)
    .values({
      id: hashToken(token),
      userId,
      expiresAt: new Date(Date.now() + SESSION_DAYS * DAY),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 400) ?? null,
      activeOrgId: meta.activeOrgId ?? null,
    })
    .returning();
  return { token, session };
}

export type SessionValidation =
  | { session: Session; user: SessionUser; fresh: boolean }
  | { session: null; user: null; fresh: false };

export async function validateSessionToken(db: DbOrTx, token: string): Promise<SessionValidation> {
  const id = hashToken(token);
  const rows = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .limit(1);
  const row = rows[0];
  if (!row) return { session: null, user: null, fresh: false };
  const now = Date.now();
  if (now >= row.session.expiresAt.getTime()) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return { session: null, user: null, fresh: false };
  }
  if (now >= row.session.expiresAt.getTime() - (SESSION_DAYS / 2) * DAY) {
    const expiresAt = new Date(now + SESSION_DAYS * DAY);
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
    return { session: { ...row.session, expiresAt }, user: row.user, fresh: true };
  }
  return { session: row.session, user: row.user, fresh: false };
}

export async function invalidateSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateAllSessions(db: DbOrTx, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function invalidateOtherSessions(db: DbOrTx, userId: string, keepSessionId: string) {
  await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
}

export async function setActiveOrg(db: DbOrTx, sessionId: string, orgId: string | null) {
  await db.update(sessions).set({ activeOrgId: orgId }).where(eq(sessions.id, sessionId));
}

/** Housekeeping: sessions past their expiry can never be used again (validation refuses them). */
export async function deleteExpiredSessions(db: DbOrTx, now: Date = new Date()): Promise<number> {
  const gone = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  return gone.length;
}
