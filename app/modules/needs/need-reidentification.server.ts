/** Re-identification (decision 055): the k-anonymity minimum and which details a published need keeps. */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import { householdMembers, households, memberships, needs, platformSettings, regions } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { OrgRuleError } from "~/modules/organizations/errors";
import { NeedError } from "./errors";
import { DEFAULT_K, HIDEABLE_DETAILS, birthYearsOf, decideHides, type HideableDetail, type ReidentificationDecision } from "./k-anonymity";
import { todayIn } from "./money";
import { orgOf, lockNeed } from "./need-steps.server";

// ---------------------------------------------------------------- re-identification (decision 055)

/** k of the platform (platform_settings, edited on /admin/settings); 5 when never set. */
export async function kAnonymityMin(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ k: platformSettings.kAnonymityMin }).from(platformSettings).limit(1);
  return row?.k ?? DEFAULT_K;
}

export async function setKAnonymityMin(db: Db, actor: Actor, k: number) {
  if (!Number.isInteger(k) || k < 1 || k > 100) throw new OrgRuleError("admin:settings.errors.kRange", "k", 400);
  return db.transaction(async (tx) => {
    const before = await kAnonymityMin(tx);
    await tx
      .insert(platformSettings)
      .values({ id: true, kAnonymityMin: k, updatedBy: actor.userId ?? null, updatedAt: new Date() })
      .onConflictDoUpdate({ target: platformSettings.id, set: { kAnonymityMin: k, updatedBy: actor.userId ?? null, updatedAt: new Date() } });
    await recordAudit(tx, actor, { orgId: null, action: "platform.settings", entityType: "platform", entityId: null, change: { kAnonymityMin: { from: before, to: k } } });
  });
}

/** The regions under a governorate (itself included), from the organisation's region tree. */
async function regionsUnder(tx: DbOrTx, orgId: string, governorateId: string): Promise<string[]> {
  const rows = await tx.select({ id: regions.id, parentId: regions.parentId }).from(regions).where(eq(regions.orgId, orgId));
  const ids = new Set([governorateId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const r of rows) {
      if (r.parentId && ids.has(r.parentId) && !ids.has(r.id)) {
        ids.add(r.id);
        grew = true;
      }
    }
  }
  return [...ids];
}

export interface PublicDetails {
  category: string;
  publicRegionId: string | null;
  ageBand: string | null;
  gender: string | null;
}

/**
 * How many of the organisation's active households share a need's public details: households
 * registered in the governorate (or any region under it), with a need of the same category (not
 * rejected or cancelled; the need's own household always counts), and — for the age band and
 * gender — with a present member of that gender whose age this year (in the organisation's time
 * zone) is in the band. One query.
 */
export async function reidentificationOf(
  tx: DbOrTx,
  orgId: string,
  householdId: string,
  details: PublicDetails,
  kept: readonly HideableDetail[] = [],
): Promise<ReidentificationDecision> {
  const org = await orgOf(tx, orgId);
  const k = await kAnonymityMin(tx);
  const year = Number(todayIn(org.timeZone).slice(0, 4));
  const regionIds = details.publicRegionId ? await regionsUnder(tx, orgId, details.publicRegionId) : null;
  const years = details.ageBand ? birthYearsOf(details.ageBand, year) : null;
  const member = (withAge: boolean) => sql`exists (
    select 1 from ${householdMembers} m
    where m.household_id = ${households.id} and m.status = 'present'
    ${details.gender ? sql`and m.sex = ${details.gender}` : sql``}
    ${withAge && years ? sql`and m.birth_year between ${years.from} and ${years.to}` : sql``}
  )`;
  const sameCategory = sql`(${households.id} = ${householdId} or exists (
    select 1 from ${needs} n
    where n.household_id = ${households.id} and n.org_id = ${orgId} and n.category = ${details.category}
      and n.state not in ('rejected', 'cancelled')
  ))`;
  const [row] = await tx
    .select({
      all: sql<number>`(count(*) filter (where ${details.ageBand || details.gender ? member(true) : sql`true`}))::int`,
      withoutAgeBand: sql<number>`(count(*) filter (where ${details.gender ? member(false) : sql`true`}))::int`,
      regionAndCategory: sql<number>`count(*)::int`,
    })
    .from(households)
    .where(
      and(
        eq(households.orgId, orgId),
        eq(households.status, "active"),
        regionIds ? inArray(households.regionId, regionIds) : undefined,
        sameCategory,
      ),
    );
  return decideHides({
    k,
    hasAgeBand: Boolean(details.ageBand),
    hasGender: Boolean(details.gender),
    counts: { all: Number(row.all), withoutAgeBand: Number(row.withoutAgeBand), regionAndCategory: Number(row.regionAndCategory) },
    kept,
  });
}

/**
 * The verifier keeps public details the re-identification check would drop (or stops keeping
 * them: an empty list), with a reason. Verifiers only, never the author, while the need is
 * submitted, verified or published; audited with the reason.
 */
export async function keepPublicDetails(
  db: Db,
  actor: Actor,
  input: { orgId: string; needId: string; keep: readonly HideableDetail[]; reason: string | null | undefined },
) {
  const userId = actor.userId;
  if (!userId) throw new NeedError("role_not_allowed");
  const reason = input.reason?.trim() || null;
  const keep = HIDEABLE_DETAILS.filter((d) => input.keep.includes(d));
  if (keep.length > 0 && !reason) throw new NeedError("reason_required");
  return db.transaction(async (tx) => {
    const need = await lockNeed(tx, input.orgId, input.needId);
    const roleRows = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, userId)));
    if (!roleRows.some((r) => r.role === "verifier")) throw new NeedError("role_not_allowed");
    if (need.authorId === userId) throw new NeedError("author_cannot_verify");
    if (!["submitted", "verified", "published"].includes(need.state)) throw new NeedError("invalid_transition");
    const decision = await reidentificationOf(tx, input.orgId, need.householdId, need, keep);
    const [updated] = await tx
      .update(needs)
      .set({ keptDetails: keep, keptReason: keep.length > 0 ? reason : null, publicHides: decision.hides, updatedAt: new Date() })
      .where(eq(needs.id, need.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "need.keep_details",
      entityType: "need",
      entityId: need.id,
      change: { kept: keep, reason, publicHides: decision.hides, shared: decision.shared, k: decision.k },
    });
    return updated;
  });
}
