/**
 * Written updates for a need's donors and its kafala sponsor (issue 12 item 4, decision 070):
 * "the school year started", "the operation went well". The same privacy rules as the need's own
 * public text: the anonymization guard with the household's private strings, confirmations for
 * ordinary words that are also a member's name, and a second person — a verifier who did not write
 * it — publishes it. Only then is it emailed to the need's donors and sponsor and shown on the
 * public need page.
 */
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { memberships, monthlyGifts, needs, needUpdates, organizations, pledges, users } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { blockingHits } from "~/modules/anonymization/guard";
import { normalizeEmail } from "~/modules/identity/tokens";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { OrgNotFoundError } from "~/modules/organizations/errors";
import type { Role } from "~/modules/organizations/roles";
import { guardHitsOf, keptConfirmations } from "./need-steps.server";
import { NeedUpdateError, UPDATABLE_STATES, type UpdateView } from "./updates";
import { publicTitleIn } from "./titles";
import { formatDate } from "~/utils/format";


export { NeedUpdateError, NeedUpdateFormSchema, NeedUpdateReviewSchema, UPDATABLE_STATES, UPDATE_MAX_LENGTH, type NeedUpdateErrorCode } from "./updates";
const WRITERS: readonly Role[] = ["caseworker", "org_admin"];

async function rolesOf(tx: DbOrTx, orgId: string, userId: string | null): Promise<Role[]> {
  if (!userId) return [];
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return rows.map((r) => r.role);
}

async function needOf(tx: DbOrTx, orgId: string, needId: string) {
  const [need] = await tx
    .select()
    .from(needs)
    .where(and(eq(needs.id, needId), eq(needs.orgId, orgId)))
    .limit(1);
  if (!need) throw new OrgNotFoundError("need");
  return need;
}

const fieldsOf = (u: { bodyAr?: string | null; bodyEn?: string | null }) => ({ updateAr: u.bodyAr ?? null, updateEn: u.bodyEn ?? null });

/**
 * The guard over an update's text (fields `updateAr`, `updateEn`) with the need's household's
 * private strings and its governorate as public context: every hit, and those that still block.
 */
export async function updateGuard(tx: DbOrTx, need: { orgId: string; householdId: string; publicRegionId: string | null }, text: { bodyAr?: string | null; bodyEn?: string | null }, confirmed: readonly string[]) {
  const hits = await guardHitsOf(tx, need.orgId, need.householdId, fieldsOf(text), need.publicRegionId);
  const kept = keptConfirmations(hits, confirmed);
  return { hits, confirmed: kept, blocking: blockingHits(hits, kept) };
}

/**
 * A caseworker or org admin writes an update for a published (or funded, or disbursed) need. It
 * is refused while the guard finds anything not confirmed; otherwise it waits for a verifier.
 */
export async function writeNeedUpdate(
  db: Db,
  actor: Actor,
  input: { orgId: string; needId: string; bodyAr?: string | null; bodyEn?: string | null; confirmed?: readonly string[] },
) {
  return db.transaction(async (tx) => {
    const roles = await rolesOf(tx, input.orgId, actor.userId);
    if (!roles.some((r) => WRITERS.includes(r))) throw new NeedUpdateError("role_not_allowed");
    const need = await needOf(tx, input.orgId, input.needId);
    if (!(UPDATABLE_STATES as readonly string[]).includes(need.state)) throw new NeedUpdateError("not_open");
    const guard = await updateGuard(tx, need, input, input.confirmed ?? []);
    if (guard.blocking.length > 0) throw new NeedUpdateError("guard", guard.hits);
    const [row] = await tx
      .insert(needUpdates)
      .values({ orgId: input.orgId, needId: need.id, bodyAr: input.bodyAr || null, bodyEn: input.bodyEn || null, confirmed: guard.confirmed, authorId: actor.userId! })
      .returning();
    await recordAudit(tx, actor, { orgId: input.orgId, action: "need_update.written", entityType: "need", entityId: need.id, change: { updateId: row.id, confirmed: guard.confirmed.length } });
    return row;
  });
}

/**
 * A verifier who did not write the update publishes or rejects it (a reason is required to
 * reject). Publishing checks the guard again (the household's facts may have changed since), then
 * emails every donor with money in the need and its live sponsor, once per address, in the
 * language of their gift. Deciding twice is refused (`not_pending`).
 */
export async function reviewNeedUpdate(
  db: Db,
  actor: Actor,
  input: { orgId: string; updateId: string; decision: "publish" | "reject"; reason?: string | null; origin: string; now?: Date },
) {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [update] = await tx
      .select()
      .from(needUpdates)
      .where(and(eq(needUpdates.id, input.updateId), eq(needUpdates.orgId, input.orgId)))
      .for("update")
      .limit(1);
    if (!update) throw new NeedUpdateError("not_found");
    const roles = await rolesOf(tx, input.orgId, actor.userId);
    if (!roles.includes("verifier")) throw new NeedUpdateError("role_not_allowed");
    if (update.authorId === actor.userId) throw new NeedUpdateError("author_cannot_review");
    if (update.state !== "pending") throw new NeedUpdateError("not_pending");
    const need = await needOf(tx, input.orgId, update.needId);
    const reason = input.reason?.trim() || null;
    if (input.decision === "reject") {
      if (!reason) throw new NeedUpdateError("reason_required");
    } else {
      if (!(UPDATABLE_STATES as readonly string[]).includes(need.state)) throw new NeedUpdateError("not_open");
      const guard = await updateGuard(tx, need, update, update.confirmed);
      if (guard.blocking.length > 0) throw new NeedUpdateError("guard", guard.hits);
    }
    const [row] = await tx
      .update(needUpdates)
      .set({ state: input.decision === "publish" ? "published" : "rejected", reviewerId: actor.userId, reviewedAt: now, rejectReason: input.decision === "reject" ? reason : null })
      .where(eq(needUpdates.id, update.id))
      .returning();
    const emailsQueued = input.decision === "publish" ? await tellDonorsOfUpdate(tx, need, row, input.origin) : 0;
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: input.decision === "publish" ? "need_update.published" : "need_update.rejected",
      entityType: "need",
      entityId: need.id,
      change: { updateId: row.id, reason, emailsQueued },
    });
    return { update: row, emailsQueued };
  });
}

/** Each donor with money in the need and its live sponsor: one email per address. */
async function tellDonorsOfUpdate(tx: DbOrTx, need: typeof needs.$inferSelect, update: typeof needUpdates.$inferSelect, origin: string): Promise<number> {
  const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, need.orgId)).limit(1);
  const donors = await tx
    .select({ email: pledges.email, name: pledges.displayName, locale: pledges.locale })
    .from(pledges)
    .where(and(eq(pledges.needId, need.id), sql`${pledges.paidMinor} > 0`))
    .orderBy(asc(pledges.createdAt), asc(pledges.id));
  const sponsors = await tx
    .select({ email: monthlyGifts.email, name: monthlyGifts.displayName, locale: monthlyGifts.locale })
    .from(monthlyGifts)
    .where(and(eq(monthlyGifts.needId, need.id), inArray(monthlyGifts.status, ["active", "past_due", "completed"])))
    .orderBy(asc(monthlyGifts.createdAt));
  const seen = new Set<string>();
  let sent = 0;
  for (const d of [...sponsors, ...donors]) {
    const email = normalizeEmail(d.email ?? "");
    if (!email || seen.has(email)) continue;
    seen.add(email);
    const locale = d.locale === "en" ? "en" : "ar";
    await enqueueEmail(tx, email, locale, {
      template: "need-update",
      data: {
        name: d.name ?? "",
        needTitle: publicTitleIn(need, locale),
        orgName: locale === "ar" ? org.nameAr : org.nameEn,
        body: (locale === "ar" ? (update.bodyAr ?? update.bodyEn) : (update.bodyEn ?? update.bodyAr)) ?? "",
        needUrl: `${origin}/needs/${need.publicId}`,
      },
    });
    sent += 1;
  }
  return sent;
}

/** A need's updates for its staff page, newest first, with who wrote and who decided. */
export async function needUpdatesForStaff(db: DbOrTx, orgId: string, needId: string) {
  const author = sql<string>`(select coalesce(nullif(${users.displayName}, ''), ${users.email}) from ${users} where ${users.id} = ${needUpdates.authorId})`;
  const reviewer = sql<string | null>`(select coalesce(nullif(${users.displayName}, ''), ${users.email}) from ${users} where ${users.id} = ${needUpdates.reviewerId})`;
  return db
    .select({
      id: needUpdates.id,
      bodyAr: needUpdates.bodyAr,
      bodyEn: needUpdates.bodyEn,
      state: needUpdates.state,
      confirmed: needUpdates.confirmed,
      authorId: needUpdates.authorId,
      authorName: author,
      reviewerName: reviewer,
      rejectReason: needUpdates.rejectReason,
      createdAt: needUpdates.createdAt,
      reviewedAt: needUpdates.reviewedAt,
    })
    .from(needUpdates)
    .where(and(eq(needUpdates.orgId, orgId), eq(needUpdates.needId, needId)))
    .orderBy(desc(needUpdates.createdAt), desc(needUpdates.id))
    .limit(100);
}

export type PublicNeedUpdate = { bodyAr: string | null; bodyEn: string | null; publishedAt: Date };

/** A public need's published updates (by its public id), newest first: the text and the day only (nobody's name). */
export async function publishedUpdateViews(db: DbOrTx, publicId: string, locale: "ar" | "en", timeZone = "UTC", limit = 10): Promise<UpdateView[]> {
  const rows = await publishedUpdatesOf(db, publicId, limit);
  return rows.map((u) => {
    const own = locale === "ar" ? u.bodyAr : u.bodyEn;
    return { text: (own ?? (locale === "ar" ? u.bodyEn : u.bodyAr)) ?? "", lang: own ? locale : locale === "ar" ? "en" : "ar", date: formatDate(u.publishedAt, locale, timeZone) };
  });
}

/** The rows behind publishedUpdateViews. */
export async function publishedUpdatesOf(db: DbOrTx, publicId: string, limit = 20): Promise<PublicNeedUpdate[]> {
  const rows = await db
    .select({ bodyAr: needUpdates.bodyAr, bodyEn: needUpdates.bodyEn, publishedAt: needUpdates.reviewedAt })
    .from(needUpdates)
    .innerJoin(needs, eq(needs.id, needUpdates.needId))
    .where(and(eq(needs.publicId, publicId), eq(needUpdates.state, "published")))
    .orderBy(desc(needUpdates.reviewedAt), desc(needUpdates.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, publishedAt: r.publishedAt! }));
}

/** The organisation's updates waiting for a verifier, oldest first, with whether this user wrote them (the verification queue). */
export async function pendingUpdates(db: DbOrTx, orgId: string, userId: string, limit = 50) {
  const rows = await db
    .select({ id: needUpdates.id, needId: needs.id, publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, authorId: needUpdates.authorId, createdAt: needUpdates.createdAt })
    .from(needUpdates)
    .innerJoin(needs, eq(needs.id, needUpdates.needId))
    .where(and(eq(needUpdates.orgId, orgId), eq(needUpdates.state, "pending")))
    .orderBy(asc(needUpdates.createdAt), asc(needUpdates.id))
    .limit(limit);
  return rows.map(({ authorId, ...r }) => ({ ...r, mine: authorId === userId }));
}
