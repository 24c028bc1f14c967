/**
 * The public marketplace's reads. Only published needs are listed; a need's own page also shows
 * funded, disbursed and closed needs. Every result leaves through toPublicNeed (the one public
 * projection), and each read is a fixed number of queries whatever the page size (no N+1): the
 * item lines ride along as a JSON sub-select, the organisation and governorate as joins.
 * The `state = 'published'` condition is written as a literal so the planner can use the partial
 * indexes of db/schema/needs.ts (one behind every filter and sort).
 */
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { needItems, needs, organizations, regions } from "#db/schema";
import { toPublicNeed, type PublicNeed, type PublicNeedItem } from "~/modules/anonymization/public-need";
import type { PublicFilters, PublicSort } from "./filters";
import { toPrefixQuery } from "./search-text";

export const PUBLIC_PAGE_SIZE = 20;

/** States whose page stays public (a funded need leaves the listing, not the web). */
export const PUBLIC_PAGE_STATES = ["published", "funded", "disbursed", "closed"] as const;

const published = sql`${needs.state} = 'published'`;

const itemsJson = sql<PublicNeedItem[]>`(
  select coalesce(json_agg(json_build_object(
    'labelAr', ${needItems.labelAr}, 'labelEn', ${needItems.labelEn},
    'quantity', ${needItems.quantity}, 'unitCostMinor', ${needItems.unitCostMinor}
  ) order by ${needItems.position}), '[]'::json)
  from ${needItems} where ${needItems.needId} = ${needs.id}
)`;

/** The columns a public card needs: public fields, counters, organisation, governorate. Nothing private. */
const publicColumns = {
  id: needs.id,
  publicId: needs.publicId,
  state: needs.state,
  category: needs.category,
  titleAr: needs.titleAr,
  titleEn: needs.titleEn,
  storyAr: needs.storyAr,
  storyEn: needs.storyEn,
  targetMinor: needs.targetMinor,
  currency: needs.currency,
  deadline: needs.deadline,
  urgency: needs.urgency,
  ageBand: needs.ageBand,
  gender: needs.gender,
  publicHides: needs.publicHides,
  onlyLanguage: needs.onlyLanguage,
  verifiedAt: needs.verifiedAt,
  publishedAt: needs.publishedAt,
  paidMinor: needs.paidMinor,
  reservedMinor: needs.reservedMinor,
  donorCount: needs.donorCount,
  orgSlug: organizations.slug,
  orgNameAr: organizations.nameAr,
  orgNameEn: organizations.nameEn,
  govNameAr: regions.nameAr,
  govNameEn: regions.nameEn,
  items: itemsJson,
};

type PublicRow = Awaited<ReturnType<typeof publicSelect>>[number];

function project(row: PublicRow): PublicNeed {
  const items = (typeof row.items === "string" ? JSON.parse(row.items) : row.items) as PublicNeedItem[];
  return toPublicNeed(
    row,
    items.map((i) => ({ ...i, quantity: Number(i.quantity), unitCostMinor: Number(i.unitCostMinor) })),
    { slug: row.orgSlug, nameAr: row.orgNameAr, nameEn: row.orgNameEn },
    row.govNameAr !== null && row.govNameEn !== null ? { nameAr: row.govNameAr, nameEn: row.govNameEn } : null,
    { state: row.state, paidMinor: row.paidMinor, reservedMinor: row.reservedMinor, donorCount: row.donorCount },
  );
}

function publicSelect(db: DbOrTx) {
  return db
    .select(publicColumns)
    .from(needs)
    .innerJoin(organizations, eq(organizations.id, needs.orgId))
    .leftJoin(regions, eq(regions.id, needs.publicRegionId));
}

function orderOf(sort: PublicSort): SQL[] {
  switch (sort) {
    case "closing":
      return [asc(needs.deadline), asc(needs.urgency), asc(needs.id)];
    case "nearly_funded":
      // Closest to its target first (money received or promised), then the sooner deadline.
      return [
        desc(sql`(${needs.paidMinor} + ${needs.reservedMinor})::float8 / ${needs.targetMinor}`),
        asc(needs.deadline),
        asc(needs.id),
      ];
    case "newest":
      return [desc(needs.publishedAt), desc(needs.id)];
    case "urgent":
    default:
      // The enum's order is critical, high, normal.
      return [asc(needs.urgency), asc(needs.deadline), asc(needs.id)];
  }
}

function whereOf(filters: Partial<PublicFilters>): SQL {
  const tsquery = toPrefixQuery(filters.q);
  return and(
    published,
    filters.category ? eq(needs.category, filters.category) : undefined,
    filters.region ? eq(needs.publicRegionId, filters.region) : undefined,
    filters.urgency ? eq(needs.urgency, filters.urgency) : undefined,
    filters.currency ? eq(needs.currency, filters.currency) : undefined,
    filters.org
      ? eq(needs.orgId, sql`(select ${organizations.id} from ${organizations} where ${organizations.slug} = ${filters.org})`)
      : undefined,
    // Same expression as needs_public_search_idx; the query is a bound parameter.
    tsquery ? sql`to_tsvector('simple', ${needs.searchText}) @@ to_tsquery('simple', ${tsquery})` : undefined,
  )!;
}

export interface PublicListing {
  needs: PublicNeed[];
  total: number;
  page: number;
  pages: number;
}

/** One page of published needs: exactly two queries (the count, then the rows). */
export async function listPublicNeeds(db: DbOrTx, filters: Partial<PublicFilters>): Promise<PublicListing> {
  const [{ n }] = await publicCountQuery(db, filters);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / PUBLIC_PAGE_SIZE));
  const page = Math.min(Math.max(1, filters.page ?? 1), pages);
  const rows = await publicRowsQuery(db, filters, page);
  return { needs: rows.map(project), total, page, pages };
}

/** The count query of a listing, unexecuted (the bench reads its plan). */
export function publicCountQuery(db: DbOrTx, filters: Partial<PublicFilters>) {
  return db.select({ n: sql<number>`count(*)::int` }).from(needs).where(whereOf(filters));
}

/** The rows query of one listing page, unexecuted (the EXPLAIN test reads its plan). */
export function publicRowsQuery(db: DbOrTx, filters: Partial<PublicFilters>, page = 1) {
  const order = orderOf(filters.sort ?? "urgent");
  // The page's ids first (filter, order, limit, offset on needs alone, by its indexes), then the
  // card columns for just those rows: the item lines' sub-select runs 20 times, not once for every
  // row the offset skips (page 200 of "newest" took 66 ms the other way, on 50,000 needs).
  const onPage = db
    .select({ id: needs.id })
    .from(needs)
    .where(whereOf(filters))
    .orderBy(...order)
    .limit(PUBLIC_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * PUBLIC_PAGE_SIZE)
    .as("on_page");
  return publicSelect(db)
    .innerJoin(onPage, eq(onPage.id, needs.id))
    .orderBy(...order);
}

/** The `n` most urgent published needs (one query). */
export async function mostUrgentNeeds(db: DbOrTx, n: number): Promise<PublicNeed[]> {
  const rows = await publicSelect(db)
    .where(published)
    .orderBy(...orderOf("urgent"))
    .limit(Math.max(0, Math.min(n, PUBLIC_PAGE_SIZE)));
  return rows.map(project);
}

const PUBLIC_ID = /^[0-9A-Za-z]{6,32}$/;

/** A need's public page (one query), or null (→ 404) if it is not, or no longer, public. */
export async function getPublicNeed(db: DbOrTx, publicId: string): Promise<PublicNeed | null> {
  if (!PUBLIC_ID.test(publicId)) return null;
  const [row] = await publicSelect(db)
    .where(and(eq(needs.publicId, publicId), inArray(needs.state, [...PUBLIC_PAGE_STATES])))
    .limit(1);
  return row ? project(row) : null;
}

export interface PublicOrg {
  slug: string;
  nameAr: string;
  nameEn: string;
  country: string;
  defaultCurrency: string;
}

const orgColumns = {
  slug: organizations.slug,
  nameAr: organizations.nameAr,
  nameEn: organizations.nameEn,
  country: organizations.country,
  defaultCurrency: organizations.defaultCurrency,
};

/** An organisation's public profile (no id, no settings), or null. */
export async function getPublicOrg(db: DbOrTx, slug: string): Promise<PublicOrg | null> {
  if (slug.length > 80) return null;
  const [org] = await db.select(orgColumns).from(organizations).where(eq(organizations.slug, slug)).limit(1);
  return org ?? null;
}

/** Every organisation's public profile, oldest first (one query). */
export async function listPublicOrgs(db: DbOrTx): Promise<PublicOrg[]> {
  return db.select(orgColumns).from(organizations).orderBy(asc(organizations.createdAt), asc(organizations.slug));
}

/** The governorates a donor may filter by, with their organisation (one query). */
export async function listPublicGovernorates(db: DbOrTx) {
  return db
    .select({ id: regions.id, nameAr: regions.nameAr, nameEn: regions.nameEn, orgSlug: organizations.slug })
    .from(regions)
    .innerJoin(organizations, eq(organizations.id, regions.orgId))
    .where(eq(regions.level, "governorate"))
    .orderBy(asc(regions.nameEn), asc(organizations.slug), asc(regions.id));
}

export interface PlatformTotals {
  /** Money received for needs, per currency (minor units), largest first. */
  raised: { currency: string; raisedMinor: number }[];
  published: number;
  funded: number;
}

/** Totals for the home page (one query): raised per currency, needs open and funded. */
export async function platformTotals(db: DbOrTx): Promise<PlatformTotals> {
  const rows = await db
    .select({
      currency: needs.currency,
      raised: sql<string>`coalesce(sum(${needs.paidMinor}), 0)`,
      published: sql<number>`(count(*) filter (where ${needs.state} = 'published'))::int`,
      funded: sql<number>`(count(*) filter (where ${needs.state} <> 'published'))::int`,
    })
    .from(needs)
    .where(inArray(needs.state, [...PUBLIC_PAGE_STATES]))
    .groupBy(needs.currency)
    .orderBy(asc(needs.currency));
  return {
    raised: rows
      .map((r) => ({ currency: r.currency, raisedMinor: Number(r.raised) }))
      .filter((r) => r.raisedMinor > 0)
      .sort((a, b) => b.raisedMinor - a.raisedMinor || a.currency.localeCompare(b.currency)),
    published: rows.reduce((sum, r) => sum + Number(r.published), 0),
    funded: rows.reduce((sum, r) => sum + Number(r.funded), 0),
  };
}
