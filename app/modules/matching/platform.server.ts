/**
 * A gift "to the most urgent needs anywhere" (decision 071): the organisations whose verified
 * needs match the donor's choices, ranked by route-gift.ts, with what the form offers (the
 * currencies and countries that have open needs). The gift itself is then an ordinary gift to the
 * chosen organisation's fund (fund-pledge.server.ts), once or monthly.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { needs, organizations } from "#db/schema";
import type { NeedCategory } from "~/modules/needs/schemas";
import { minimumFor } from "~/modules/pledging/amounts";
import { allocatorNeedColumns, allocatorNeedOf } from "./fund.server";
import { rankOrganisations, type OrgChoice } from "./route-gift";

const openNeed = and(eq(needs.state, "published"), sql`${needs.targetMinor} > ${needs.paidMinor} + ${needs.reservedMinor}`);

/** The currencies and countries that have a published need with room (what the form offers), most needs first. */
export async function platformGiftOptions(db: DbOrTx) {
  const rows = await db
    .select({ currency: needs.currency, country: organizations.country, n: sql<number>`count(*)::int` })
    .from(needs)
    .innerJoin(organizations, eq(organizations.id, needs.orgId))
    .where(openNeed)
    .groupBy(needs.currency, organizations.country);
  const sum = (key: "currency" | "country") => {
    const m = new Map<string, number>();
    for (const r of rows) m.set(r[key], (m.get(r[key]) ?? 0) + r.n);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code]) => code);
  };
  const currencies = sum("currency");
  return { currencies: currencies.map((code) => ({ code, minimumMinor: minimumFor(code) })), countries: sum("country") };
}

export type PlatformChoice = OrgChoice & {
  org: { slug: string; nameAr: string; nameEn: string; country: string };
  need: { publicId: string; titleAr: string | null; titleEn: string | null; urgency: string; deadline: string | null };
};

/**
 * The organisations a gift could go to, best first (at most `limit`), each with its best matching
 * need's public card facts and score parts. Only public facts: nothing here is private.
 */
export async function platformChoices(
  db: DbOrTx,
  gift: { currency: string; amountMinor: number; categories: readonly NeedCategory[]; country: string | null; zakat: boolean },
  options: { now?: Date; limit?: number } = {},
): Promise<PlatformChoice[]> {
  const now = options.now ?? new Date();
  const filters = [openNeed, eq(needs.currency, gift.currency)];
  if (gift.country) filters.push(eq(organizations.country, gift.country));
  if (gift.categories.length) filters.push(inArray(needs.category, [...gift.categories]));
  if (gift.zakat) filters.push(sql`${needs.zakatCategory} is not null`);
  const rows = await db
    .select(allocatorNeedColumns)
    .from(needs)
    .innerJoin(organizations, eq(organizations.id, needs.orgId))
    .where(and(...filters));
  const ranked = rankOrganisations(
    // The organisation's governorates do not matter here: a platform gift names a country at most.
    rows.map((n) => ({ ...allocatorNeedOf(n), regionIds: [] })),
    { currency: gift.currency, amountMinor: gift.amountMinor, restrictions: { categories: gift.categories, zakat: gift.zakat } },
    now,
  ).slice(0, options.limit ?? 5);
  if (ranked.length === 0) return [];
  const [orgRows, needRows] = await Promise.all([
    db
      .select({ id: organizations.id, slug: organizations.slug, nameAr: organizations.nameAr, nameEn: organizations.nameEn, country: organizations.country })
      .from(organizations)
      .where(inArray(organizations.id, ranked.map((r) => r.orgId))),
    db
      .select({ id: needs.id, publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, urgency: needs.urgency, deadline: needs.deadline })
      .from(needs)
      .where(inArray(needs.id, ranked.map((r) => r.best.needId)))
      .orderBy(asc(needs.id)),
  ]);
  const orgOf = new Map(orgRows.map((o) => [o.id, o]));
  const needOf = new Map(needRows.map((n) => [n.id, n]));
  return ranked.map((r) => {
    const { id: _o, ...org } = orgOf.get(r.orgId)!;
    const { id: _n, ...need } = needOf.get(r.best.needId)!;
    return { ...r, org, need };
  });
}
