import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { needs, organizations } from "#db/schema";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { deadlinePassed } from "./lifecycle";
import { applySystemTransition, releaseAndTell } from "./needs.server";

/**
 * The need-expiry job (pg-boss queue `need-expiry`, every 15 minutes and at start-up): a published
 * need whose deadline day has ended in its organisation's time zone moves to `expired`, acting as
 * the system (need_transitions.actor_id and the audit actor null); its live pledges are released
 * and their donors told, as when staff cancel it. Money already in its fund stays there for
 * finance. One short transaction per need (the need's row lock, then its state and deadline read
 * again), so it is idempotent: a second run, or two runs at once, changes nothing more.
 * Returns the ids of the needs it expired. `orgId` narrows a run to one organisation (tests on a
 * shared database); the job runs over all of them.
 */
export async function expireNeeds(db: Db, now: Date = new Date(), options: { limit?: number; orgId?: string } = {}): Promise<string[]> {
  const due = await db
    .select({ id: needs.id })
    .from(needs)
    .innerJoin(organizations, eq(organizations.id, needs.orgId))
    .where(
      and(
        eq(needs.state, "published"),
        options.orgId ? eq(needs.orgId, options.orgId) : undefined,
        // The organisation's calendar day at this instant is after the deadline day.
        sql`${needs.deadline} < (${now.toISOString()}::timestamptz at time zone ${organizations.timeZone})::date`,
      ),
    )
    .orderBy(asc(needs.deadline), asc(needs.id))
    .limit(options.limit ?? 200);
  const expired: string[] = [];
  for (const { id } of due) {
    const done = await db.transaction(async (tx) => {
      const [need] = await tx.select().from(needs).where(eq(needs.id, id)).for("update");
      if (!need || need.state !== "published") return false;
      const [org] = await tx.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, need.orgId));
      if (!org || !deadlinePassed(need.deadline, org.timeZone, now)) return false;
      const moved = await applySystemTransition(tx, SYSTEM_ACTOR, need, "expire", { now, change: { deadline: need.deadline } });
      if (!moved) return false;
      await releaseAndTell(tx, SYSTEM_ACTOR, moved, "expired", now);
      return true;
    });
    if (done) expired.push(id);
  }
  return expired;
}
