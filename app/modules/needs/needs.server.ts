import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import {
  duplicateMatches,
  householdIdentifiers,
  householdMembers,
  households,
  memberships,
  needItems,
  needs,
  needTransitions,
  organizations,
  payees,
  platformSettings,
  type pledges,
  regions,
  users,
} from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { blockingHits, checkPublicText, type GuardHit, type PrivateStrings } from "~/modules/anonymization/guard";
import { toPublicNeed, type PublicNeed } from "~/modules/anonymization/public-need";
import { searchTextOf } from "~/modules/marketplace/search-text.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { releaseNeedPledges } from "~/modules/payments/payments.server";
import { findOrCreatePayeeForNeed, payeeForNeed } from "~/modules/payees/payees.server";
import { formatMoney } from "~/utils/format";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import type { HouseholdNeedSummary } from "~/components/household-needs";
import {
  EDITABLE_STATES,
  NEED_STATES,
  PLEDGEABLE_STATES,
  decideSystemTransition,
  decideTransition,
  mayEditContent,
  type NeedAction,
  type NeedState,
  type SystemNeedAction,
} from "./lifecycle";
import { NeedError } from "./errors";
import { DEFAULT_K, HIDEABLE_DETAILS, birthYearsOf, decideHides, type HideableDetail, type ReidentificationDecision } from "./k-anonymity";
import { MAX_MINOR, todayIn } from "./money";
import type { NeedFields, NeedItemInput } from "./schemas";

type Need = typeof needs.$inferSelect;
type Pledge = typeof pledges.$inferSelect;
type Role = (typeof memberships.$inferSelect)["role"];
export type TransitionAction = Exclude<NeedAction, "edit">;

export const PAGE_SIZE = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// ---------------------------------------------------------------- public ids

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** 12 characters of Crockford base32 from the system's random source (60 bits): never sequential. */
export function newPublicId(length = 12): string {
  const bytes = randomBytes(length);
  let out = "";
  for (let i = 0; i < length; i += 1) out += CROCKFORD[bytes[i] & 31];
  return out;
}

// ---------------------------------------------------------------- helpers

async function householdOf(tx: DbOrTx, orgId: string, householdId: string) {
  if (!UUID.test(householdId)) throw new OrgNotFoundError("household");
  const [row] = await tx
    .select()
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  if (!row) throw new OrgNotFoundError("household");
  return row;
}

async function orgOf(tx: DbOrTx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new OrgNotFoundError("organisation");
  return org;
}

/** The public region must be a governorate of this organisation. */
async function checkPublicRegion(tx: DbOrTx, orgId: string, regionId: string | null) {
  if (!regionId) return;
  const [region] = await tx
    .select({ id: regions.id })
    .from(regions)
    .where(and(eq(regions.id, regionId), eq(regions.orgId, orgId), eq(regions.level, "governorate")))
    .limit(1);
  if (!region) throw new OrgRuleError("needs:errors.regionInvalid", "publicRegionId", 400);
}

async function lockNeed(tx: DbOrTx, orgId: string, needId: string): Promise<Need> {
  if (!UUID.test(needId)) throw new OrgNotFoundError("need");
  const [need] = await tx
    .select()
    .from(needs)
    .where(and(eq(needs.id, needId), eq(needs.orgId, orgId)))
    .for("update");
  if (!need) throw new OrgNotFoundError("need");
  return need;
}

/** The household's own private strings, for the anonymization guard. */
export async function privateStringsOf(tx: DbOrTx, orgId: string, householdId: string): Promise<PrivateStrings> {
  // One after another: inside a transaction the queries share one connection.
  const household = await householdOf(tx, orgId, householdId);
  const members = await tx
    .select({ fullName: householdMembers.fullName })
    .from(householdMembers)
    .where(and(eq(householdMembers.householdId, householdId), eq(householdMembers.orgId, orgId)));
  const identifiers = await tx
    .select({ kind: householdIdentifiers.kind, value: householdIdentifiers.value })
    .from(householdIdentifiers)
    .where(and(eq(householdIdentifiers.householdId, householdId), eq(householdIdentifiers.orgId, orgId)));
  const addresses = household.address ? [household.address] : [];
  if (household.regionId) {
    // A camp or neighbourhood name locates a family too well; the governorate is public anyway.
    const [region] = await tx
      .select({ level: regions.level, nameAr: regions.nameAr, nameEn: regions.nameEn })
      .from(regions)
      .where(and(eq(regions.id, household.regionId), eq(regions.orgId, orgId)))
      .limit(1);
    if (region?.level === "locality") addresses.push(region.nameAr, region.nameEn);
  }
  return {
    names: members.map((m) => m.fullName),
    phones: identifiers.filter((i) => i.kind === "phone").map((i) => i.value),
    idNumbers: identifiers.filter((i) => i.kind !== "phone").map((i) => i.value),
    addresses,
  };
}

/** The public fields the guard reads (field names match the editor's inputs). */
export function publicFieldsOf(need: Pick<Need, "titleAr" | "titleEn" | "storyAr" | "storyEn">, items: { labelAr: string | null; labelEn: string | null }[]) {
  const fields: Record<string, string | null> = {
    titleAr: need.titleAr,
    titleEn: need.titleEn,
    storyAr: need.storyAr,
    storyEn: need.storyEn,
  };
  items.forEach((item, i) => {
    fields[`items[${i}].labelAr`] = item.labelAr;
    fields[`items[${i}].labelEn`] = item.labelEn;
  });
  return fields;
}

/** The names of a governorate of this organisation (public by design: never a guard hit). */
async function governorateNamesOf(tx: DbOrTx, orgId: string, regionId: string | null): Promise<string[]> {
  if (!regionId || !UUID.test(regionId)) return [];
  const [region] = await tx
    .select({ nameAr: regions.nameAr, nameEn: regions.nameEn })
    .from(regions)
    .where(and(eq(regions.id, regionId), eq(regions.orgId, orgId)))
    .limit(1);
  return region ? [region.nameAr, region.nameEn] : [];
}

/**
 * The guard over a need's public fields (as stored, or as the editor has them now), with the
 * household's private strings and the need's governorate as public context. Every hit, confirmed
 * or not: callers decide with blockingHits.
 */
export async function guardHitsOf(
  tx: DbOrTx,
  orgId: string,
  householdId: string,
  fields: Record<string, string | null | undefined>,
  publicRegionId: string | null,
): Promise<GuardHit[]> {
  const secrets = await privateStringsOf(tx, orgId, householdId);
  const publicPlaces = await governorateNamesOf(tx, orgId, publicRegionId);
  return checkPublicText(fields, secrets, { publicPlaces });
}

/** The confirmations worth keeping: only ids of a current "confirm" hit (a stale or forged id is dropped). */
export function keptConfirmations(hits: readonly GuardHit[], requested: readonly string[]): string[] {
  const open = new Set(hits.filter((h) => h.severity === "confirm").map((h) => h.occurrence));
  return [...new Set(requested.filter((id) => open.has(id)))].sort();
}

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

const keptOf = (need: Pick<Need, "keptDetails">) => need.keptDetails.filter((d): d is HideableDetail => (HIDEABLE_DETAILS as readonly string[]).includes(d));

async function itemsOf(tx: DbOrTx, orgId: string, needId: string) {
  return tx
    .select({
      id: needItems.id,
      position: needItems.position,
      labelAr: needItems.labelAr,
      labelEn: needItems.labelEn,
      quantity: needItems.quantity,
      unitCostMinor: needItems.unitCostMinor,
    })
    .from(needItems)
    .where(and(eq(needItems.needId, needId), eq(needItems.orgId, orgId)))
    .orderBy(asc(needItems.position));
}

async function writeItems(tx: DbOrTx, orgId: string, needId: string, items: NeedItemInput[]) {
  await tx.delete(needItems).where(and(eq(needItems.needId, needId), eq(needItems.orgId, orgId)));
  if (items.length === 0) return;
  await tx.insert(needItems).values(items.map((item, position) => ({ ...item, needId, orgId, position })));
}

/**
 * The rules the form checks, checked again where they count: the target (for in-kind needs the
 * items' total, computed here whatever the form said) is a positive integer of minor units, and
 * the deadline is today or later in the organisation's time zone.
 */
function checkedTarget(fields: NeedFields, items: NeedItemInput[], timeZone: string): number {
  if (fields.deadline < todayIn(timeZone)) throw new OrgRuleError("needs:errors.deadlinePast", "deadline", 400);
  if (fields.category === "in_kind_item" && items.length === 0) throw new OrgRuleError("needs:errors.itemsRequired", "items", 400);
  for (const item of items) {
    if (!Number.isSafeInteger(item.unitCostMinor) || item.unitCostMinor <= 0 || !Number.isInteger(item.quantity) || item.quantity < 1) {
      throw new OrgRuleError("needs:errors.amountPositive", "items", 400);
    }
  }
  const target =
    fields.category === "in_kind_item"
      ? items.reduce((sum, item) => sum + item.quantity * item.unitCostMinor, 0)
      : fields.targetMinor;
  if (!Number.isSafeInteger(target) || target <= 0) throw new OrgRuleError("needs:errors.amountPositive", "target", 400);
  if (target > MAX_MINOR) throw new OrgRuleError("needs:errors.amountTooLarge", "target", 400);
  return target;
}

// ---------------------------------------------------------------- create and update

/**
 * The need's payee record (issue 10): the one the editor picked (of this organisation, active, of
 * the need's kind, for a household kind the need's own household), or the one found or created
 * from the kind and the typed name. The fields without `payeeId`, ready to store, and the payee's id.
 */
async function resolvePayee(tx: Tx, actor: Actor, orgId: string, householdId: string, fields: NeedFields) {
  const { payeeId: chosen, ...rest } = fields;
  const payee = chosen
    ? await payeeForNeed(tx, { orgId, payeeId: chosen, kind: fields.payeeKind, householdId })
    : await findOrCreatePayeeForNeed(tx, actor, {
        orgId,
        kind: fields.payeeKind,
        name: fields.payeeName,
        householdId: fields.payeeKind === "household" ? householdId : null,
      });
  return { fields: rest, payeeId: payee.id };
}

/** What the editor says about publishing besides the fields: one language only, and the author's guard confirmations. */
export interface PublicationChoices {
  onlyLanguage?: "ar" | "en" | null;
  confirmations?: readonly string[];
}

export async function createNeed(
  db: Db,
  input: {
    orgId: string;
    actor: Actor;
    authorId: string;
    householdId: string;
    fields: NeedFields;
    items: NeedItemInput[];
  } & PublicationChoices,
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId);
    const org = await orgOf(tx, input.orgId);
    await checkPublicRegion(tx, input.orgId, input.fields.publicRegionId);
    const items = input.fields.category === "in_kind_item" ? input.items : [];
    const targetMinor = checkedTarget(input.fields, items, org.timeZone);
    // The guard runs on every save: the draft is kept whatever it finds; confirmations only for current confirm-hits.
    const hits = await guardHitsOf(tx, input.orgId, household.id, publicFieldsOf(input.fields, items), input.fields.publicRegionId);
    const guardConfirmations = keptConfirmations(hits, input.confirmations ?? []);
    const payee = await resolvePayee(tx, input.actor, input.orgId, household.id, input.fields);
    const [need] = await tx
      .insert(needs)
      .values({
        ...payee.fields,
        payeeId: payee.payeeId,
        onlyLanguage: input.onlyLanguage ?? null,
        guardConfirmations,
        targetMinor,
        publicId: newPublicId(),
        searchText: await searchTextOf(tx, input.orgId, input.fields, items),
        orgId: input.orgId,
        householdId: household.id,
        currency: org.defaultCurrency,
        authorId: input.authorId,
      })
      .returning();
    await writeItems(tx, input.orgId, need.id, items);
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "need.create",
      entityType: "need",
      entityId: need.id,
      change: {
        householdId: household.id,
        category: need.category,
        targetMinor,
        currency: need.currency,
        items: items.length,
        payeeId: payee.payeeId,
        ...(need.onlyLanguage ? { onlyLanguage: need.onlyLanguage } : {}),
        ...(guardConfirmations.length > 0 ? { guardConfirmations } : {}),
      },
    });
    return Object.assign(need, { guardHits: hits });
  });
}

export async function updateNeed(
  db: Db,
  input: {
    orgId: string;
    actor: Actor;
    userId: string;
    roles: readonly Role[];
    needId: string;
    fields: NeedFields;
    items: NeedItemInput[];
  } & PublicationChoices,
) {
  return db.transaction(async (tx) => {
    const need = await lockNeed(tx, input.orgId, input.needId);
    if (!EDITABLE_STATES.includes(need.state)) throw new NeedError("not_editable");
    if (!mayEditContent(need.authorId, input.userId, input.roles)) throw new NeedError("not_author");
    await checkPublicRegion(tx, input.orgId, input.fields.publicRegionId);
    const items = input.fields.category === "in_kind_item" ? input.items : [];
    const targetMinor = checkedTarget(input.fields, items, (await orgOf(tx, input.orgId)).timeZone);
    const hits = await guardHitsOf(tx, input.orgId, need.householdId, publicFieldsOf(input.fields, items), input.fields.publicRegionId);
    const guardConfirmations = keptConfirmations(hits, input.confirmations ?? need.guardConfirmations);
    const payee = await resolvePayee(tx, input.actor, input.orgId, need.householdId, input.fields);
    const next = {
      ...payee.fields,
      payeeId: payee.payeeId,
      targetMinor,
      onlyLanguage: input.onlyLanguage === undefined ? need.onlyLanguage : input.onlyLanguage,
    };
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => need[k] !== next[k]);
    const confirmed = guardConfirmations.filter((id) => !need.guardConfirmations.includes(id));
    const unconfirmed = need.guardConfirmations.filter((id) => !guardConfirmations.includes(id));
    const [updated] = await tx
      .update(needs)
      .set({ ...next, guardConfirmations, searchText: await searchTextOf(tx, input.orgId, input.fields, items), updatedAt: new Date() })
      .where(eq(needs.id, need.id))
      .returning();
    await writeItems(tx, input.orgId, need.id, items);
    // Field names only: payee details are private even in the audit view.
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "need.update",
      entityType: "need",
      entityId: need.id,
      change: {
        changed,
        items: items.length,
        // The author's "not the person's name" confirmations are part of the record (decision 055).
        ...(confirmed.length > 0 ? { guardConfirmed: confirmed } : {}),
        ...(unconfirmed.length > 0 ? { guardUnconfirmed: unconfirmed } : {}),
      },
    });
    return Object.assign(updated, { guardHits: hits });
  });
}

// ---------------------------------------------------------------- life cycle

/**
 * Moves a need along its life cycle: the rule of lifecycle.ts with the actor's roles in this
 * organisation, the anonymization guard, consent, then the state, the transitions and the audit,
 * in one transaction under a row lock.
 */
export async function transitionNeed(
  db: Db,
  actor: Actor,
  input: { orgId: string; needId: string; action: TransitionAction; reason?: string | null },
) {
  const userId = actor.userId;
  if (!userId) throw new NeedError("role_not_allowed");
  return db.transaction(async (tx) => {
    const need = await lockNeed(tx, input.orgId, input.needId);
    const roleRows = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, userId)));
    const decision = decideTransition({
      action: input.action,
      state: need.state,
      actorId: userId,
      actorRoles: roleRows.map((r) => r.role),
      authorId: need.authorId,
      reason: input.reason,
    });
    if (!decision.ok) throw new NeedError(decision.refusal);

    const org = await orgOf(tx, input.orgId);
    const publishing = input.action === "publish" || (input.action === "verify" && org.publishOnVerify);
    if (input.action === "verify" && !languagesComplete(need)) throw new NeedError("language_missing");
    let publicHides: HideableDetail[] | null = null;
    if (decision.guarded) {
      const items = await itemsOf(tx, input.orgId, need.id);
      const hits = await guardHitsOf(tx, input.orgId, need.householdId, publicFieldsOf(need, items), need.publicRegionId);
      // A confirmed common word passes; every other hit (an unconfirmed one too) blocks.
      const blocking = blockingHits(hits, need.guardConfirmations);
      if (blocking.length > 0) throw new NeedError("guard", blocking);
      // Re-identification: counted again at every guarded step; the verifier's kept details stay.
      publicHides = (await reidentificationOf(tx, input.orgId, need.householdId, need, keptOf(need))).hides;
    }
    if (publishing) {
      const household = await householdOf(tx, input.orgId, need.householdId);
      if (!household.consentPublish) throw new NeedError("no_consent");
    }

    const now = new Date();
    const reason = input.reason?.trim() || null;
    const steps: { action: TransitionAction; from: NeedState; to: NeedState }[] = [
      { action: input.action, from: need.state, to: decision.to },
    ];
    if (input.action === "verify" && org.publishOnVerify) steps.push({ action: "publish", from: "verified", to: "published" });
    const finalState = steps[steps.length - 1].to;

    const set: Partial<typeof needs.$inferInsert> = { state: finalState, updatedAt: now };
    if (publicHides) set.publicHides = publicHides;
    if (input.action === "submit") set.submittedAt = now;
    if (input.action === "verify") Object.assign(set, { verifierId: userId, verifiedAt: now });
    if (finalState === "published") set.publishedAt = now;
    if (reason && ["return", "reject", "cancel"].includes(input.action)) set.lastReason = reason;

    let [updated] = await tx.update(needs).set(set).where(eq(needs.id, need.id)).returning();
    if (input.action === "cancel" && PLEDGEABLE_STATES.includes(need.state)) {
      // Its live pledges go with it, in this transaction; money already in its fund stays there for finance.
      const released = await releaseAndTell(tx, actor, updated, "cancelled", now);
      if (released.length > 0) [updated] = await tx.select().from(needs).where(eq(needs.id, need.id));
    }
    for (const step of steps) {
      await tx.insert(needTransitions).values({
        needId: need.id,
        orgId: input.orgId,
        action: step.action,
        fromState: step.from,
        toState: step.to,
        actorId: userId,
        reason: step.action === input.action ? reason : null,
        createdAt: now,
      });
      await recordAudit(tx, actor, {
        orgId: input.orgId,
        action: `need.${step.action}`,
        entityType: "need",
        entityId: need.id,
        change: {
          from: step.from,
          to: step.to,
          ...(reason && step.action === input.action ? { reason } : {}),
          ...(publicHides && publicHides.length > 0 && step.action === input.action ? { publicHides } : {}),
        },
      });
    }
    return updated;
  });
}

/**
 * A transition only the system makes (expire, fund, unfund: lifecycle.ts), inside the caller's
 * transaction with the need already locked: the state, a need_transitions row and the audit row.
 * The actor is the system (SYSTEM_ACTOR: actor null in both) or the person whose payment, refund
 * or reallocation caused it. Returns the updated need, or null (nothing written) when the
 * transition does not apply to the need's current state, so a repeated call changes nothing.
 */
export async function applySystemTransition(
  tx: Tx,
  actor: Actor,
  need: Need,
  action: SystemNeedAction,
  options: { now: Date; reason?: string | null; change?: Record<string, unknown> },
): Promise<Need | null> {
  const decision = decideSystemTransition(action, need.state);
  if (!decision.ok) return null;
  const { now } = options;
  const [updated] = await tx
    .update(needs)
    .set({ state: decision.to, updatedAt: now })
    .where(and(eq(needs.id, need.id), eq(needs.state, need.state)))
    .returning();
  if (!updated) return null;
  await tx.insert(needTransitions).values({
    needId: need.id,
    orgId: need.orgId,
    action,
    fromState: need.state,
    toState: decision.to,
    actorId: actor.userId,
    reason: options.reason ?? null,
    createdAt: now,
  });
  await recordAudit(tx, actor, {
    orgId: need.orgId,
    action: `need.${action}`,
    entityType: "need",
    entityId: need.id,
    change: { from: need.state, to: decision.to, ...(options.change ?? {}) },
  });
  return updated;
}

/** The need's public title in a language (the other language when it has only one). */
function publicTitleIn(need: Pick<Need, "titleAr" | "titleEn">, locale: "ar" | "en"): string {
  return (locale === "ar" ? (need.titleAr ?? need.titleEn) : (need.titleEn ?? need.titleAr)) ?? "";
}

/**
 * Releases a cancelled or expired need's live pledges (pending, awaiting payment, offered) in the
 * caller's transaction (payments module: counters, statuses, audit) and writes each donor an
 * email in the pledge's language: the need's public title, the reference, that nothing more is
 * expected and, when part was already paid, that finance will move or refund that money. Only
 * what the donor already knows and public text: nothing of the household, not the staff's reason.
 */
export async function releaseAndTell(tx: Tx, actor: Actor, need: Need, status: "cancelled" | "expired", now: Date): Promise<Pledge[]> {
  const released = await releaseNeedPledges(tx, actor, need.id, status, now);
  if (released.length === 0) return released;
  const org = await orgOf(tx, need.orgId);
  for (const pledge of released) {
    const locale = pledge.locale;
    await enqueueEmail(tx, pledge.email, locale, {
      template: "pledge-released",
      data: {
        name: pledge.displayName ?? "",
        reference: pledge.reference,
        needTitle: publicTitleIn(need, locale),
        orgName: locale === "ar" ? org.nameAr : org.nameEn,
        reason: status,
        amount: pledge.amountMinor > 0 ? formatMoney(pledge.amountMinor, pledge.currency, locale) : "",
        paid: pledge.paidMinor > 0 ? formatMoney(pledge.paidMinor, pledge.currency, locale) : null,
      },
    });
  }
  return released;
}

/** Both languages written (title and story), or the need is explicitly told in one language. */
export function languagesComplete(need: Pick<Need, "titleAr" | "titleEn" | "storyAr" | "storyEn" | "onlyLanguage">): boolean {
  const has = (v: string | null) => Boolean(v?.trim());
  if (need.onlyLanguage === "ar") return has(need.titleAr) && has(need.storyAr);
  if (need.onlyLanguage === "en") return has(need.titleEn) && has(need.storyEn);
  return has(need.titleAr) && has(need.storyAr) && has(need.titleEn) && has(need.storyEn);
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
 * they may verify), oldest submission first; plus the counts per state.
 */
export async function verificationQueue(db: DbOrTx, orgId: string, userId: string) {
  const [rows, counts] = await Promise.all([
    db
      .select(listColumns)
      .from(needs)
      .innerJoin(households, eq(households.id, needs.householdId))
      .innerJoin(author, eq(author.id, needs.authorId))
      .where(and(eq(needs.orgId, orgId), eq(needs.state, "submitted")))
      .orderBy(
        sql`case when ${needs.authorId} = ${userId} then 1 else 0 end`,
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

