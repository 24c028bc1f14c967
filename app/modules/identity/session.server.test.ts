import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { sessions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createUser } from "../../../tests/fixtures/db";
import { createSession, deleteExpiredSessions, validateSessionToken, invalidateOtherSessions } from "./session.server";
import { hashToken } from "./tokens";

describe("sessions (Lucia's design)", () => {
  it("stores only the SHA-256 of the token and validates the token", async () => {
    const db = await getDb();
    const user = await createUser();
    const { token, session } = await createSession(db, user.id);
    expect(session.id).toBe(hashToken(token));
    expect(session.id).not.toContain(token);
    const stored = await db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(stored.map((s) => s.id)).toEqual([hashToken(token)]);
    const result = await validateSessionToken(db, token);
    expect(result.user?.id).toBe(user.id);
    expect((await validateSessionToken(db, token + "x")).session).toBeNull();
  });

  it("extends a session in its second half and deletes an expired one", async () => {
    const db = await getDb();
    const user = await createUser();
    const { token, session } = await createSession(db, user.id);
    const day = 86_400_000;
    await db.update(sessions).set({ expiresAt: new Date(Date.now() + 10 * day) }).where(eq(sessions.id, session.id));
    const refreshed = await validateSessionToken(db, token);
    expect(refreshed.fresh).toBe(true);
    expect(refreshed.session!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * day);

    await db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, session.id));
    expect((await validateSessionToken(db, token)).session).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.id, session.id))).toHaveLength(0);
  });

  it("housekeeping deletes sessions past their expiry and keeps live ones", async () => {
    const db = await getDb();
    const user = await createUser();
    const live = await createSession(db, user.id);
    const dead = await createSession(db, user.id);
    await db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, dead.session.id));
    expect(await deleteExpiredSessions(db)).toBeGreaterThanOrEqual(1);
    const left = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
    expect(left.map((s) => s.id)).toEqual([live.session.id]);
  });

  it("invalidates every other session of the user", async () => {
    const db = await getDb();
    const user = await createUser();
    const a = await createSession(db, user.id);
    const b = await createSession(db, user.id);
    await invalidateOtherSessions(db, user.id, a.session.id);
    expect((await validateSessionToken(db, a.token)).session).not.toBeNull();
    expect((await validateSessionToken(db, b.token)).session).toBeNull();
  });
});
