/**
 * Reading needs: the staff list and counts, the verification queue, the staff need page, a household's
 * needs.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "#db/client.server";
import { duplicateMatches, households, needs, needTransitions, payees, regions, users } from "#db/schema";
import { blockingHits } from "~/modules/anonymization/guard";
import { toPublicNeed, type PublicNeed } from "~/modules/anonymization/public-need";
import { OrgNotFoundError } from "~/modules/organizations/errors";
import type { HouseholdNeedSummary } from "./types";
import { NEED_STATES, type NeedState } from "./lifecycle";
import { UUID, itemsOf, orgOf, publicFieldsOf, guardHitsOf, keptOf, householdOf, type Need } from "./need-steps.server";
import { reidentificationOf } from "./need-reidentification.server";
import { inRunningEmergency } from "~/modules/giving/emergency.server";

export const PAGE_SIZE = 20;

// ---------------------------------------------------------------- reading

export interface NeedListRow {
  id: string;
  publicId: string;
  category: string;
  state: NeedState;
  titleAr: string | null;
  titleEn: string | null;
  targetMinor: number;
  currency: string;
  deadline: string;
  urgency: string;
  householdId: string;
  householdReference: string;
  authorId: string;
  authorName: string;
  createdAt: Date;
  submittedAt: Date | null;
}

const author = alias(users, "author");

const listColumns = {
  id: needs.id,
  publicId: needs.publicId,
  category: needs.category,
  state: needs.state,
  titleAr: needs.titleAr,
  titleEn: needs.titleEn,
  targetMinor: needs.targetMinor,
  currency: needs.currency,
  deadline: needs.deadline,
  urgency: needs.urgency,
  householdId: needs.householdId,
  householdReference: households.reference,
  authorId: needs.authorId,
  authorName: author.displayName,
  createdAt: needs.createdAt,
  submittedAt: needs.submittedAt,
};

export async function listNeeds(
  db: DbOrTx,
  orgId: string,
  filters: { state?: string | null; category?: string | null; page?: number },
): Promise<{ rows: NeedListRow[]; total: number; page: number; pages: number }> {
  const state = NEED_STATES.find((s) => s === filters.state);
  const where = and(
    eq(needs.orgId, orgId),
    state ? eq(needs.state, state) : undefined,
    filters.category ? eq(needs.category, filters.category as Need["category"]) : undefined,
  );
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(needs).where(where);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, filters.page ?? 1), pages);
  const rows = await db
    .select(listColumns)
    .from(needs)
    .innerJoin(households, eq(households.id, needs.householdId))
    .innerJoin(author, eq(author.id, needs.authorId))
    .where(where)
    .orderBy(desc(needs.createdAt), desc(needs.id))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
  return { rows, total, page, pages };
}

/** How many needs the organisation has in each state (every state present, zero when none). */
export async function needCountsByState(db: DbOrTx, orgId: string): Promise<Record<NeedState, number>> {
  const rows = await db
    .select({ state: needs.state, n: sql<number>`count(*)::int` })
    .from(needs)
    .where(eq(needs.orgId, orgId))
    .groupBy(needs.state);
  const counts = Object.fromEntries(NEED_STATES.map((s) => [s, 0])) as Record<NeedState, number>;
  for (const row of rows) counts[row.state] = Number(row.n);
  return counts;
}

/**
 * The verifier's queue: submitted needs, those the person did not write first (they are the ones
 * they may verify); a running emergency appeal's needs first (its fast track, decisions 068 and 072 — still
 * verified by a second person); then oldest submission first; plus the counts per state.
 */
export async function verificationQueue(db: DbOrTx, orgId: string, userId: string) {
  const emergency = inRunningEmergency();
  const [rows, counts] = await Promise.all([
    db
      .select({ ...listColumns, emergency })
      .from(needs)
      .innerJoin(households, eq(households.id, needs.householdId))
      .innerJoin(author, eq(author.id, needs.authorId))
      .where(and(eq(needs.orgId, orgId), eq(needs.state, "submitted")))
      .orderBy(
        sql`case when ${needs.authorId} = ${userId} then 1 else 0 end`,
        sql`case when ${emergency} then 0 else 1 end`,
        asc(sql`coalesce(${needs.submittedAt}, ${needs.createdAt})`),
        asc(needs.id),
      ),
    needCountsByState(db, orgId),
  ]);
  return { rows: rows.map((r) => ({ ...r, mine: r.authorId === userId })), counts };
}

/** Pending cross-organisation duplicate matches of a household (decision not yet recorded). */
export async function pendingDuplicateCount(db: DbOrTx, orgId: string, householdId: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(duplicateMatches)
    .where(
      and(
        eq(duplicateMatches.orgId, orgId),
        eq(duplicateMatches.householdId, householdId),
        eq(duplicateMatches.decision, "pending"),
      ),
    );
  return Number(n);
}

/** One need with everything staff see (private payee included), or 404 outside the organisation. */
export async function getNeedForStaff(db: DbOrTx, orgId: string, needId: string) {
  if (!UUID.test(needId)) throw new OrgNotFoundError("need");
  const verifier = alias(users, "verifier");
  const [row] = await db
    .select({
      need: needs,
      householdReference: households.reference,
      consentPublish: households.consentPublish,
      authorName: author.displayName,
      verifierName: verifier.displayName,
      // The payee record (private, staff only): never part of the public projection.
      payeeRecordId: payees.id,
      payeeRecordName: payees.name,
    })
    .from(needs)
    .innerJoin(households, eq(households.id, needs.householdId))
    .innerJoin(author, eq(author.id, needs.authorId))
    .leftJoin(verifier, eq(verifier.id, needs.verifierId))
    .leftJoin(payees, and(eq(payees.id, needs.payeeId), eq(payees.orgId, needs.orgId)))
    .where(and(eq(needs.id, needId), eq(needs.orgId, orgId)))
    .limit(1);
  if (!row) throw new OrgNotFoundError("need");
  const actor = alias(users, "actor");
  const [items, transitions, org, governorate] = await Promise.all([
    itemsOf(db, orgId, needId),
    db
      .select({
        id: needTransitions.id,
        action: needTransitions.action,
        fromState: needTransitions.fromState,
        toState: needTransitions.toState,
        reason: needTransitions.reason,
        createdAt: needTransitions.createdAt,
        // null: the system did it (a job, a webhook): the page says "the system", never a person.
        actorId: needTransitions.actorId,
        actorName: actor.displayName,
      })
      .from(needTransitions)
      .leftJoin(actor, eq(actor.id, needTransitions.actorId))
      .where(and(eq(needTransitions.needId, needId), eq(needTransitions.orgId, orgId)))
      .orderBy(asc(needTransitions.createdAt), asc(needTransitions.id)),
    orgOf(db, orgId),
    row.need.publicRegionId
      ? db
          .select({ nameAr: regions.nameAr, nameEn: regions.nameEn })
          .from(regions)
          .where(and(eq(regions.id, row.need.publicRegionId), eq(regions.orgId, orgId)))
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
  ]);
  const publicNeed: PublicNeed = toPublicNeed(row.need, items, org, governorate);
  return { ...row, items, transitions, governorate, publicNeed };
}

/**
 * What the staff need page shows about the public text: every guard hit of the stored need (with
 * the author's confirmations) and the re-identification check as it stands now.
 */
export async function needReview(db: DbOrTx, orgId: string, need: Need, items: { labelAr: string | null; labelEn: string | null }[]) {
  const fields = publicFieldsOf(need, items);
  const hits = await guardHitsOf(db, orgId, need.householdId, fields, need.publicRegionId);
  const reid = await reidentificationOf(db, orgId, need.householdId, need, keptOf(need));
  return { fields, hits, blocking: blockingHits(hits, need.guardConfirmations), confirmed: need.guardConfirmations, reid };
}

/** The organisation's governorates (the only regions a need may show publicly). */
export async function listGovernorates(db: DbOrTx, orgId: string) {
  return db
    .select({ id: regions.id, nameAr: regions.nameAr, nameEn: regions.nameEn })
    .from(regions)
    .where(and(eq(regions.orgId, orgId), eq(regions.level, "governorate")))
    .orderBy(asc(regions.sortOrder), asc(regions.nameEn));
}

/** A household of this organisation for the editor's header (reference only), or 404. */
export async function householdForNeed(db: DbOrTx, orgId: string, householdId: string) {
  const household = await householdOf(db, orgId, householdId);
  return { id: household.id, reference: household.reference, consentPublish: household.consentPublish };
}

/** The needs of one household, scoped by organisation, newest first. */
export async function listHouseholdNeeds(db: DbOrTx, orgId: string, householdId: string): Promise<HouseholdNeedSummary[]> {
  if (!UUID.test(householdId)) return [];
  return db
    .select({
      id: needs.id,
      publicId: needs.publicId,
      category: needs.category,
      state: needs.state,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      targetMinor: needs.targetMinor,
      currency: needs.currency,
      deadline: needs.deadline,
      urgency: needs.urgency,
    })
    .from(needs)
    .where(and(eq(needs.orgId, orgId), eq(needs.householdId, householdId)))
    .orderBy(desc(needs.createdAt));
}
