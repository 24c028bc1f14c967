/**
 * The steps need operations share: public ids, the household and organisation checks, locking, the
 * private strings the guard checks against, the need's items and target.
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import {
  householdIdentifiers,
  householdMembers,
  households,
  needItems,
  needs,
  organizations,
  type pledges,
  regions,
} from "#db/schema";
import { checkPublicText, type GuardHit, type PrivateStrings } from "~/modules/anonymization/guard";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import { HIDEABLE_DETAILS, type HideableDetail } from "./k-anonymity";
import { MAX_MINOR, todayIn } from "./money";
import { MAX_KAFALA_MONTHS, MIN_KAFALA_MONTHS, type NeedFields, type NeedItemInput } from "./schemas";
import { UUID_PATTERN } from "~/utils/uuid";

export type Need = typeof needs.$inferSelect;

export type Pledge = typeof pledges.$inferSelect;

import type { Role } from "~/modules/organizations/roles";
export type { Role };

export const UUID = UUID_PATTERN;

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

export async function householdOf(tx: DbOrTx, orgId: string, householdId: string) {
  if (!UUID.test(householdId)) throw new OrgNotFoundError("household");
  const [row] = await tx
    .select()
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  if (!row) throw new OrgNotFoundError("household");
  return row;
}

export async function orgOf(tx: DbOrTx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new OrgNotFoundError("organisation");
  return org;
}

/** The public region must be a governorate of this organisation. */
export async function checkPublicRegion(tx: DbOrTx, orgId: string, regionId: string | null) {
  if (!regionId) return;
  const [region] = await tx
    .select({ id: regions.id })
    .from(regions)
    .where(and(eq(regions.id, regionId), eq(regions.orgId, orgId), eq(regions.level, "governorate")))
    .limit(1);
  if (!region) throw new OrgRuleError("needs:errors.regionInvalid", "publicRegionId", 400);
}

export async function lockNeed(tx: DbOrTx, orgId: string, needId: string): Promise<Need> {
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

export const keptOf = (need: Pick<Need, "keptDetails">) => need.keptDetails.filter((d): d is HideableDetail => (HIDEABLE_DETAILS as readonly string[]).includes(d));

export async function itemsOf(tx: DbOrTx, orgId: string, needId: string) {
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

export async function writeItems(tx: DbOrTx, orgId: string, needId: string, items: NeedItemInput[]) {
  await tx.delete(needItems).where(and(eq(needItems.needId, needId), eq(needItems.orgId, orgId)));
  if (items.length === 0) return;
  await tx.insert(needItems).values(items.map((item, position) => ({ ...item, needId, orgId, position })));
}

/**
 * The rules the form checks, checked again where they count: the target (for in-kind needs the
 * items' total, computed here whatever the form said) is a positive integer of minor units, and
 * the deadline is today or later in the organisation's time zone.
 */
export function checkedTarget(fields: NeedFields, items: NeedItemInput[], timeZone: string): number {
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
  if (fields.sponsorshipMonths != null) {
    const months = fields.sponsorshipMonths;
    if (!Number.isInteger(months) || months < MIN_KAFALA_MONTHS || months > MAX_KAFALA_MONTHS) throw new OrgRuleError("needs:errors.kafalaMonths", "sponsorshipMonths", 400);
    if (fields.category === "in_kind_item") throw new OrgRuleError("needs:errors.kafalaInKind", "sponsorshipMonths", 400);
    // Every month must fit before the need's deadline: its months from today.
    if (fields.deadline < addMonths(todayIn(timeZone), months)) throw new OrgRuleError("needs:errors.kafalaDeadline", "deadline", 400);
  }
  return target;
}

/** A YYYY-MM-DD day plus some calendar months (the day clamped to the month's end). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** A kafala only for a household that consented to publication (decision 067): no sponsor may be sought otherwise. */
export function checkKafalaConsent(fields: NeedFields, household: { consentPublish: boolean }) {
  if (fields.sponsorshipMonths != null && !household.consentPublish) throw new OrgRuleError("needs:errors.kafalaNoConsent", "sponsorshipMonths", 400);
}
