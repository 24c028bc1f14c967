import { and, asc, eq, inArray } from "drizzle-orm";
import { givingPreferences, organizations, regions } from "#db/schema";
import type { DbOrTx } from "#db/client.server";
import { parseMoney } from "~/modules/needs/money";
import type { NeedCategory } from "~/modules/needs/schemas";
import type { DigestFrequency } from "./frequencies";
import type { PreferencesInput } from "./schemas";

/**
 * A donor's giving preferences (issue 12): what they want to support — categories, public regions
 * (governorates), organisations, zakat only — a monthly budget they set for themselves, and how
 * often they want an email of new matching needs. One row per person; no row means "anything,
 * no digest".
 */
export type Preferences = {
  categories: NeedCategory[];
  regionIds: string[];
  orgIds: string[];
  zakatOnly: boolean;
  monthlyBudgetMinor: number | null;
  budgetCurrency: string | null;
  digest: DigestFrequency;
  digestSentAt: Date | null;
};

export const NO_PREFERENCES: Preferences = {
  categories: [],
  regionIds: [],
  orgIds: [],
  zakatOnly: false,
  monthlyBudgetMinor: null,
  budgetCurrency: null,
  digest: "off",
  digestSentAt: null,
};

export async function getPreferences(db: DbOrTx, userId: string): Promise<Preferences> {
  const [row] = await db.select().from(givingPreferences).where(eq(givingPreferences.userId, userId)).limit(1);
  if (!row) return NO_PREFERENCES;
  return {
    categories: row.categories,
    regionIds: row.regionIds,
    orgIds: row.orgIds,
    zakatOnly: row.zakatOnly,
    monthlyBudgetMinor: row.monthlyBudgetMinor,
    budgetCurrency: row.budgetCurrency,
    digest: row.digest,
    digestSentAt: row.digestSentAt,
  };
}

/** True when the donor has said anything at all about what they want to support. */
export function hasMatchCriteria(p: Pick<Preferences, "categories" | "regionIds" | "orgIds" | "zakatOnly">): boolean {
  return p.categories.length > 0 || p.regionIds.length > 0 || p.orgIds.length > 0 || p.zakatOnly;
}

export type SaveResult = { ok: true } | { ok: false; message: string; field?: string };

/**
 * Saves a donor's preferences. Refused, with nothing changed: a region that is not a public
 * region (only governorates are public; districts and camps are an organisation's private
 * detail), an organisation that does not exist, a budget that is not an amount in its currency.
 */
export async function savePreferences(db: DbOrTx, userId: string, input: PreferencesInput, now = new Date()): Promise<SaveResult> {
  const regionIds = [...new Set(input.regionIds.map((id) => id.toLowerCase()))];
  const orgIds = [...new Set(input.orgIds.map((id) => id.toLowerCase()))];
  const categories = [...new Set(input.categories)];

  if (regionIds.length > 0) {
    const found = await db
      .select({ id: regions.id })
      .from(regions)
      .where(and(inArray(regions.id, regionIds), eq(regions.level, "governorate")));
    if (found.length !== regionIds.length) return { ok: false, message: "giving:errors.regionInvalid", field: "regionIds" };
  }
  if (orgIds.length > 0) {
    const found = await db.select({ id: organizations.id }).from(organizations).where(inArray(organizations.id, orgIds));
    if (found.length !== orgIds.length) return { ok: false, message: "giving:errors.orgInvalid", field: "orgIds" };
  }

  let monthlyBudgetMinor: number | null = null;
  let budgetCurrency: string | null = null;
  if (input.monthlyBudget) {
    const currency = input.budgetCurrency!;
    const parsed = parseMoney(input.monthlyBudget, currency);
    if (!parsed.ok) return { ok: false, message: parsed.error, field: "monthlyBudget" };
    monthlyBudgetMinor = parsed.minor;
    budgetCurrency = currency;
  }

  const values = {
    categories,
    regionIds,
    orgIds,
    zakatOnly: input.zakatOnly,
    monthlyBudgetMinor,
    budgetCurrency,
    digest: input.digest,
    updatedAt: now,
  };
  await db
    .insert(givingPreferences)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: givingPreferences.userId, set: values });
  return { ok: true };
}

/** Turns the digest off (the unsubscribe link). Idempotent; a person without preferences has no digest to stop. */
export async function stopDigest(db: DbOrTx, userId: string, now = new Date()): Promise<void> {
  await db.update(givingPreferences).set({ digest: "off", updatedAt: now }).where(eq(givingPreferences.userId, userId));
}

/** The organisations a donor may choose (id, names, slug), oldest first. */
export async function listOrgChoices(db: DbOrTx) {
  return db
    .select({ id: organizations.id, slug: organizations.slug, nameAr: organizations.nameAr, nameEn: organizations.nameEn })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.slug));
}
