/**
 * The public marketplace's reads. Only published needs are listed; a need's own page also shows
 * funded, disbursed and closed needs. Every result leaves through toPublicNeed (the one public
 * projection), and each read is a fixed number of queries whatever the page size (no N+1): the
 * item lines ride along as a JSON sub-select, the organisation and governorate as joins.
 * The `state = 'published'` condition is written as a literal so the planner can use the partial
 * indexes of db/schema/needs.ts (one behind every filter and sort).
 * Decision 059: pages after the first few are keyset pages (a cursor, never a deep OFFSET), counts
 * are capped or read from the maintained aggregate public_need_totals, and so are the home totals.
 */
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { preparedOnce } from "#db/prepared.server";
import { needItems, needs, organizations, publicNeedTotals, regions } from "#db/schema";
import { preferenceConditions, type PreferenceLists } from "~/modules/giving/matches.server";
import { toPublicNeed, type PublicNeed, type PublicNeedItem } from "~/modules/anonymization/public-need";
import { encodeCursor, type ListingCursor, type PublicFilters, type PublicSort } from "./filters";
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
  sponsorshipMonths: needs.sponsorshipMonths,
  // A kafala someone sponsors now (decision 067): the list says so.
  sponsored: sql<boolean | null>`case when ${needs.sponsorshipMonths} is null then null else exists (select 1 from monthly_gifts g where g.need_id = ${needs.id} and g.status in ('active', 'past_due')) end`,
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

/**
 * Each sort is a keyset (decision 059): its key expressions in order (all the same direction, so
 * "after the cursor" is one row comparison the index can start from), the key as text for the
 * cursor (exactly as the database compares it), and the cursor's text bound back to typed values.
 * Every key ends with the id (unique), so ties never repeat or skip a row. The indexes of
 * db/schema/needs.ts are on the same expressions, partial on published needs.
 */
interface Keyset {
  /** Ascending (urgent, closing, nearly_funded) or descending (newest) on every key. */
  descending: boolean;
  keys: SQL[];
  /** Each key as the text a cursor carries, given the key's value (the column, or a gathered copy of it). */
  toText: ((key: SQL) => SQL)[];
  bind: (key: string[]) => SQL[];
}

const asText = (key: SQL) => sql`${key}::text`;
/** The keys of a sort as a cursor's JSON array of texts. */
const cursorKeyOf = (k: Keyset, keys: SQL[] = k.keys) => sql<string[]>`json_build_array(${sql.join(keys.map((key, i) => k.toText[i](key)), sql`, `)})`;

const negRatio = sql`(-((${needs.paidMinor} + ${needs.reservedMinor})::float8 / ${needs.targetMinor}))`;
const shownAt = sql`coalesce(${needs.publishedAt}, ${needs.createdAt})`;

const KEYSETS: Record<PublicSort, Keyset> = {
  // The enum's order is critical, high, normal.
  urgent: {
    descending: false,
    keys: [sql`${needs.urgency}`, sql`${needs.deadline}`, sql`${needs.id}`],
    toText: [asText, asText, asText],
    bind: ([u, d, id]) => [sql`${u}::need_urgency`, sql`${d}::date`, sql`${id}::uuid`],
  },
  closing: {
    descending: false,
    keys: [sql`${needs.deadline}`, sql`${needs.urgency}`, sql`${needs.id}`],
    toText: [asText, asText, asText],
    bind: ([d, u, id]) => [sql`${d}::date`, sql`${u}::need_urgency`, sql`${id}::uuid`],
  },
  // Closest to its target first (money received or promised), then the sooner deadline.
  nearly_funded: {
    descending: false,
    keys: [negRatio, sql`${needs.deadline}`, sql`${needs.id}`],
    toText: [asText, asText, asText],
    bind: ([r, d, id]) => [sql`${r}::float8`, sql`${d}::date`, sql`${id}::uuid`],
  },
  newest: {
    descending: true,
    keys: [shownAt, sql`${needs.id}`],
    // Microseconds as an integer: a JavaScript Date would drop PostgreSQL's microseconds.
    toText: [(key) => sql`(extract(epoch from ${key}) * 1000000)::bigint::text`, asText],
    bind: ([us, id]) => [sql`('epoch'::timestamptz + ${us}::bigint * interval '1 microsecond')`, sql`${id}::uuid`],
  },
};

/** ORDER BY of a keyset, forwards or (to read a previous page) backwards. */
function orderOf(sort: PublicSort, backwards = false): SQL[] {
  const k = KEYSETS[sort];
  const desc = k.descending !== backwards;
  return k.keys.map((e) => (desc ? sql`${e} desc` : sql`${e} asc`));
}

/** Rows strictly after (or before) the cursor's row in the sort's order: one row comparison. */
function cursorCondition(cursor: ListingCursor, bind: Bind = inline): SQL {
  const k = KEYSETS[cursor.sort];
  const forwardIsGreater = !k.descending;
  const greater = cursor.dir === "after" ? forwardIsGreater : !forwardIsGreater;
  const key = cursor.key.map((v, i) => bind(`k${i}`, v));
  return sql`(${sql.join(k.keys, sql`, `)}) ${sql.raw(greater ? ">" : "<")} (${sql.join(k.bind(key), sql`, `)})`;
}

/** A listing's filters as the loader hands them over: the URL's, and the donor's preferences when asked ("match=mine"). */
export type ListingFilters = Partial<PublicFilters> & { prefs?: PreferenceLists | null };

/**
 * How a query takes its values: inline (drizzle makes each a parameter as it builds the query), or
 * as named placeholders of a prepared query (the values are given when it runs: listingValues).
 */
type Bind = <T>(name: string, value: T) => T;
const inline: Bind = (_name, value) => value;
const placeholder: Bind = <T,>(name: string) => sql.placeholder(name) as unknown as T;

/**
 * A page size written into the query as a literal, not a parameter: a prepared statement's
 * generic plan then knows it will stop after a few rows and walks the sort's index; with
 * `limit $1` PostgreSQL assumes a tenth of the table and plans every run anew (decision 075).
 * The size is part of the query's shape.
 */
const literalLimit = (n: number) => sql.raw(String(Math.max(0, Math.trunc(n)))) as unknown as number;
/** A page's offset: none on a first page (one shape fewer to plan), else a parameter. */
const offsetOf = (page: number) => (Math.max(1, page) - 1) * PUBLIC_PAGE_SIZE;
/** A listing's paging values: the cursor's key, or the offset when past the first page. */
function pagingValues(cursor: ListingCursor | null, page: number): Record<string, unknown> {
  if (cursor) return Object.fromEntries(cursor.key.map((v, i) => [`k${i}`, v]));
  return offsetOf(page) > 0 ? { offset: offsetOf(page) } : {};
}

function whereOf(filters: ListingFilters, bind: Bind = inline): SQL {
  const tsquery = toPrefixQuery(filters.q);
  return and(
    published,
    filters.prefs ? preferenceConditions(filters.prefs) : undefined,
    filters.category ? eq(needs.category, bind("category", filters.category)) : undefined,
    filters.region ? eq(needs.publicRegionId, bind("region", filters.region)) : undefined,
    filters.urgency ? eq(needs.urgency, bind("urgency", filters.urgency)) : undefined,
    filters.currency ? eq(needs.currency, bind("currency", filters.currency)) : undefined,
    filters.org
      ? eq(needs.orgId, sql`(select ${organizations.id} from ${organizations} where ${organizations.slug} = ${bind("org", filters.org)})`)
      : undefined,
    // The stored tsvector (needs_public_search_idx is on it): a row is tested without re-parsing its
    // text, so the planner may walk the sort's index and stop after the page (or the capped count)
    // instead of collecting every match from the GIN index; the query is a bound parameter.
    tsquery ? sql`${needs.searchVector} @@ to_tsquery('simple', ${bind("q", tsquery)})` : undefined,
  )!;
}

/**
 * A listing query's values by name, and its shape: which filters it has, its sort, cursor
 * direction or offset. Queries of one shape differ only in these values, so each shape is built
 * and prepared once (per database handle) and then only run. A donor's preferences (lists of
 * values) are not prepared: such a listing is built each time.
 */
function listingValues(filters: ListingFilters, extra: Record<string, unknown> = {}): { shape: string; values: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  const tsquery = toPrefixQuery(filters.q);
  if (filters.category) values.category = filters.category;
  if (filters.region) values.region = filters.region;
  if (filters.urgency) values.urgency = filters.urgency;
  if (filters.currency) values.currency = filters.currency;
  if (filters.org) values.org = filters.org;
  if (tsquery) values.q = tsquery;
  Object.assign(values, extra);
  return { shape: Object.keys(values).join(","), values };
}

/**
 * Runs the query of this shape, built on first use and kept (db/prepared.server.ts). On
 * PostgreSQL a searched page of rows stays an unnamed statement (an empty name), planned for its
 * words every time: for a common word the best plan walks the sort's index and stops after a page,
 * for a rare one it starts from the search index, and only the word tells which. Any other query
 * is left unnamed here, so the connection names it by its text (db/statement-cache.server.ts,
 * decision 075): parsed once, its plan kept when PostgreSQL judges a generic plan as good. That
 * includes a search's count and one-scan count-and-page (no order before their cap): the search
 * index holding every filter (decision 076) serves any word for them.
 */
async function runPrepared<Row>(db: DbOrTx, kind: string, shape: string, values: Record<string, unknown>, build: () => { prepare: (name: string) => { execute: (values: Record<string, unknown>) => Promise<unknown> } }): Promise<Row[]> {
  const planEachRun = kind === "rows" && "q" in values;
  return (await preparedOnce(db, `listing|${kind}|${shape}`, build, { planEachRun }).execute(values)) as Row[];
}

/**
 * Counts stop here (decision 059): a filtered or searched listing counts at most this many rows
 * and says "more than 1,000"; the unfiltered listing (and one filtered by currency only) reads the
 * exact number from the maintained aggregate. Either way the count costs the same at 500,000
 * needs as at 50,000.
 */
export const COUNT_CAP = 1000;

export interface PublicListing {
  needs: PublicNeed[];
  /** Published needs matching the filters, exact up to COUNT_CAP (or always, when `capped` is false). */
  total: number;
  /** True when there are more than `total` (= COUNT_CAP) matches and the count stopped there. */
  capped: boolean;
  /** The page number shown ("page 3 of 12"); a label when reached by cursor. */
  page: number;
  /** Pages for `total` (a lower bound when capped). */
  pages: number;
  /** Cursor tokens of the next and previous pages (null at either end). */
  next: string | null;
  prev: string | null;
}

type KeyedRow = PublicRow & { cursorKey: string[] | string };

function cursorFor(sort: PublicSort, dir: ListingCursor["dir"], page: number, row: KeyedRow): string {
  const key = typeof row.cursorKey === "string" ? (JSON.parse(row.cursorKey) as string[]) : row.cursorKey;
  return encodeCursor({ sort, dir, page, key: key.map(String) });
}

/**
 * One page of published needs: two queries (the count, then the rows). With `filters.cursor` the
 * rows start after (or before) the cursor's row by an index range (no OFFSET); with `filters.page`
 * (first pages only, see MAX_OFFSET_PAGE in filters.ts) by a small OFFSET. A "previous" cursor that
 * finds less than a full page (rows were removed ahead of it) shows the first page instead.
 */
export async function listPublicNeeds(db: DbOrTx, filters: ListingFilters): Promise<PublicListing> {
  const sort = filters.sort ?? "urgent";
  const cursor = filters.cursor && filters.cursor.sort === sort ? filters.cursor : null;
  // A filtered listing whose matches fit under the count's cap: the count and the page from one
  // scan (countAndRows); otherwise the capped count, then the page.
  const asked = cursor ? 1 : Math.max(1, filters.page ?? 1);
  const both = countedByAggregate(filters) || filters.prefs ? null : await countAndRows(db, { ...filters, sort, cursor }, asked, PUBLIC_PAGE_SIZE + 1);
  const { total, capped } = both ?? (await countPublicNeeds(db, filters));
  const pages = Math.max(1, Math.ceil(total / PUBLIC_PAGE_SIZE));
  /** The page's rows, from the one scan when it asked for exactly these and had them all. */
  const rowsFor = (withCursor: ListingCursor | null, page: number) =>
    both?.rows && withCursor === cursor && page === asked ? Promise.resolve(both.rows) : rowsOf(db, { ...filters, sort, cursor: withCursor }, page, PUBLIC_PAGE_SIZE + 1);

  if (cursor) {
    const rows = await rowsFor(cursor, 1);
    if (cursor.dir === "after") {
      const more = rows.length > PUBLIC_PAGE_SIZE;
      const shown = rows.slice(0, PUBLIC_PAGE_SIZE);
      const page = Math.max(2, cursor.page);
      return {
        needs: shown.map(project),
        total,
        capped,
        page,
        pages: Math.max(pages, page),
        next: more ? cursorFor(sort, "after", page + 1, shown[shown.length - 1]) : null,
        prev: shown.length ? cursorFor(sort, "before", page - 1, shown[0]) : null,
      };
    }
    // Backwards: the rows come nearest-first; a full page plus one means there is more before.
    if (rows.length > PUBLIC_PAGE_SIZE) {
      const shown = rows.slice(0, PUBLIC_PAGE_SIZE).reverse();
      const page = Math.max(2, cursor.page);
      return {
        needs: shown.map(project),
        total,
        capped,
        page,
        pages: Math.max(pages, page),
        next: cursorFor(sort, "after", page + 1, shown[shown.length - 1]),
        prev: cursorFor(sort, "before", page - 1, shown[0]),
      };
    }
    // Fewer: this is the start of the list, shown as the first page.
  }

  const page = cursor ? 1 : Math.min(Math.max(1, filters.page ?? 1), pages);
  const rows = await rowsFor(null, page);
  const shown = rows.slice(0, PUBLIC_PAGE_SIZE);
  return {
    needs: shown.map(project),
    total,
    capped,
    page,
    pages: Math.max(pages, page),
    next: rows.length > PUBLIC_PAGE_SIZE ? cursorFor(sort, "after", page + 1, shown[shown.length - 1]) : null,
    prev: page > 1 && shown.length ? cursorFor(sort, "before", page - 1, shown[0]) : null,
  };
}

/**
 * One scan for a filtered listing's count and page: the matching needs (at most COUNT_CAP + 1, with
 * their sort keys) are gathered once; their number is the count, and the page is sorted from them
 * (after the cursor, or at the offset). The page is right only when they all fit: when more than
 * the cap match, the count is the cap and `rows` is null (the caller reads the page by the sort's
 * index). Null when the page is empty (no row carries the count). Built once per shape, like rowsOf.
 */
async function countAndRows(db: DbOrTx, filters: ListingFilters, page: number, limit: number): Promise<{ total: number; capped: boolean; rows: KeyedRow[] | null } | null> {
  const sort = filters.sort ?? "urgent";
  const cursor = filters.cursor && filters.cursor.sort === sort ? filters.cursor : null;
  const { shape, values } = listingValues(filters, pagingValues(cursor, page));
  const rows = await runPrepared<KeyedRow & { matchCount: number }>(db, "both", `${sort}|${cursor?.dir ?? "page"}|${limit}|${shape}`, values, () =>
    countAndRowsQuery(db, filters, page, limit, placeholder),
  );
  if (rows.length === 0) return null;
  const total = Number(rows[0].matchCount);
  // More than the cap: the count is known (capped), but the page must come from the sort's index.
  return total > COUNT_CAP ? { total: COUNT_CAP, capped: true, rows: null } : { total, capped: false, rows };
}

/** The one-scan count and page of a filtered listing, unexecuted (the bench reads its plan). */
export function countAndRowsQuery(db: DbOrTx, filters: ListingFilters, page = 1, limit = PUBLIC_PAGE_SIZE + 1, bind: Bind = inline) {
  const sort = filters.sort ?? "urgent";
  const cursor = filters.cursor && filters.cursor.sort === sort ? filters.cursor : null;
  const k = KEYSETS[sort];
  const matching = db.$with("matching").as(
    db
      .select({
        id: needs.id,
        ...Object.fromEntries(k.keys.map((e, i) => [`k${i}`, sql`${e}`.as(`k${i}`)])),
      })
      .from(needs)
      .where(whereOf(filters, bind))
      .limit(literalLimit(COUNT_CAP + 1)),
  );
  // The sort over the gathered keys: the same expressions' values, so the same order as the index.
  const keys = k.keys.map((_, i) => sql.raw(`"matching"."k${i}"`));
  const backwards = cursor?.dir === "before";
  const desc = k.descending !== backwards;
  const after = cursor
    ? sql`(${sql.join(keys, sql`, `)}) ${sql.raw((cursor.dir === "after") === !k.descending ? ">" : "<")} (${sql.join(
        k.bind(cursor.key.map((v, i) => bind(`k${i}`, v))),
        sql`, `,
      )})`
    : undefined;
  const pageIds = db
    .with(matching)
    .select({
      id: matching.id,
      ...Object.fromEntries(keys.map((e, i) => [`k${i}`, sql`${e}`.as(`k${i}`)])),
      matchCount: sql<number>`(select count(*) from "matching")::int`.as("match_count"),
    })
    .from(matching)
    .where(after)
    .orderBy(...keys.map((e) => (desc ? sql`${e} desc` : sql`${e} asc`)))
    .limit(literalLimit(limit))
    .$dynamic();
  const onPage = (cursor || offsetOf(page) === 0 ? pageIds : pageIds.offset(bind("offset", offsetOf(page)))).as("on_page");
  return db
    // The cursor keys of the page's rows only (as text, for the next and previous links): made
    // for every gathered match, they cost more than the rest of the query.
    .select({ ...publicColumns, cursorKey: cursorKeyOf(k, k.keys.map((_, i) => sql.raw(`"on_page"."k${i}"`))), matchCount: onPage.matchCount })
    .from(needs)
    .innerJoin(onPage, eq(onPage.id, needs.id))
    .innerJoin(organizations, eq(organizations.id, needs.orgId))
    .leftJoin(regions, eq(regions.id, needs.publicRegionId))
    .orderBy(...orderOf(sort, backwards));
}

/** Whether a listing has no condition but a currency or an organisation (or neither): its exact count is in the aggregate. */
export function countedByAggregate(filters: ListingFilters): boolean {
  return !filters.prefs && !filters.category && !filters.region && !filters.urgency && toPrefixQuery(filters.q) === null;
}

/** The number of published needs matching the filters: exact from the aggregate, or capped (one query). */
export async function countPublicNeeds(db: DbOrTx, filters: ListingFilters): Promise<{ total: number; capped: boolean }> {
  if (countedByAggregate(filters)) {
    const { shape, values } = listingValues({ currency: filters.currency, org: filters.org });
    const [{ n }] = await runPrepared<{ n: string }>(db, "total", shape, values, () =>
      db
        .select({ n: sql<string>`coalesce(sum(${publicNeedTotals.published}), 0)` })
        .from(publicNeedTotals)
        .where(
          and(
            filters.currency ? eq(publicNeedTotals.currency, placeholder("currency", filters.currency)) : undefined,
            filters.org
              ? eq(publicNeedTotals.orgId, sql`(select ${organizations.id} from ${organizations} where ${organizations.slug} = ${placeholder("org", filters.org)})`)
              : undefined,
          ),
        ),
    );
    return { total: Number(n), capped: false };
  }
  const [{ n }] = filters.prefs
    ? await publicCountQuery(db, filters)
    : await (() => {
        const { shape, values } = listingValues(filters);
        return runPrepared<{ n: number }>(db, "count", shape, values, () => publicCountQuery(db, filters, placeholder));
      })();
  const count = Number(n);
  return count > COUNT_CAP ? { total: COUNT_CAP, capped: true } : { total: count, capped: false };
}

/** The capped count query of a filtered listing, unexecuted (the bench reads its plan). */
export function publicCountQuery(db: DbOrTx, filters: ListingFilters, bind: Bind = inline) {
  const matching = db
    .select({ one: sql<number>`1`.as("one") })
    .from(needs)
    .where(whereOf(filters, bind))
    .limit(literalLimit(COUNT_CAP + 1))
    .as("matching");
  return db.select({ n: sql<number>`count(*)::int` }).from(matching);
}

/**
 * The rows query of one listing page, unexecuted (the EXPLAIN test and the bench read its plan).
 * With a cursor: the `limit` rows after (or, backwards, before) it; without: page `page` by OFFSET.
 * Each row carries `cursorKey`, its sort key as text, for the next and previous cursors.
 */
export function publicRowsQuery(db: DbOrTx, filters: ListingFilters, page = 1, limit = PUBLIC_PAGE_SIZE, bind: Bind = inline) {
  const sort = filters.sort ?? "urgent";
  const cursor = filters.cursor && filters.cursor.sort === sort ? filters.cursor : null;
  const backwards = cursor?.dir === "before";
  const order = orderOf(sort, backwards);
  // The page's ids and keys first (filter, keyset or small offset, limit on needs alone, by its
  // indexes), then the card columns for just those rows: the item lines' sub-select runs 20 times.
  const ids = db
    .select({ id: needs.id })
    .from(needs)
    .where(cursor ? and(whereOf(filters, bind), cursorCondition(cursor, bind)) : whereOf(filters, bind))
    .orderBy(...order)
    .limit(literalLimit(limit))
    .$dynamic();
  const onPage = (cursor || offsetOf(page) === 0 ? ids : ids.offset(bind("offset", offsetOf(page)))).as("on_page");
  return db
    // The cursor keys of the page's rows only: a sort over the matches would make one for each.
    .select({ ...publicColumns, cursorKey: cursorKeyOf(KEYSETS[sort]) })
    .from(needs)
    .innerJoin(onPage, eq(onPage.id, needs.id))
    .innerJoin(organizations, eq(organizations.id, needs.orgId))
    .leftJoin(regions, eq(regions.id, needs.publicRegionId))
    .orderBy(...order);
}

/** Runs one listing page's rows query: prepared per shape (see listingValues), or built when it has preferences. */
async function rowsOf(db: DbOrTx, filters: ListingFilters, page: number, limit: number): Promise<KeyedRow[]> {
  if (filters.prefs) return (await publicRowsQuery(db, filters, page, limit)) as KeyedRow[];
  const sort = filters.sort ?? "urgent";
  const cursor = filters.cursor && filters.cursor.sort === sort ? filters.cursor : null;
  const { shape, values } = listingValues(filters, pagingValues(cursor, page));
  return runPrepared<KeyedRow>(db, "rows", `${sort}|${cursor?.dir ?? "page"}|${limit}|${shape}`, values, () => publicRowsQuery(db, filters, page, limit, placeholder));
}

/** The `n` most urgent published needs (one query). */
export async function mostUrgentNeeds(db: DbOrTx, n: number): Promise<PublicNeed[]> {
  const limit = Math.max(0, Math.min(n, PUBLIC_PAGE_SIZE));
  const rows = await runPrepared<PublicRow>(db, "urgent", String(limit), {}, () =>
    publicSelect(db)
      .where(published)
      .orderBy(...orderOf("urgent"))
      .limit(literalLimit(limit)),
  );
  return rows.map(project);
}

const PUBLIC_ID = /^[0-9A-Za-z]{6,32}$/;

/** A need's public page (one query), or null (→ 404) if it is not, or no longer, public. */
export async function getPublicNeed(db: DbOrTx, publicId: string): Promise<PublicNeed | null> {
  if (!PUBLIC_ID.test(publicId)) return null;
  const query = preparedOnce(db, "public-need", () =>
    publicSelect(db)
      .where(and(eq(needs.publicId, sql.placeholder("publicId")), inArray(needs.state, [...PUBLIC_PAGE_STATES])))
      .limit(1),
  );
  const [row] = await query.execute({ publicId });
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

/**
 * The listing's fixed queries, built once per database handle and prepared (named statements on
 * PostgreSQL): every donor page runs them, and building a query costs more CPU than PostgreSQL
 * spends answering these. Same results as building them each time.
 */
const preparedOn = new WeakMap<object, ReturnType<typeof prepareFixed>>();
function prepareFixed(db: DbOrTx) {
  return {
    orgs: db.select(orgColumns).from(organizations).orderBy(asc(organizations.createdAt), asc(organizations.slug)).prepare("tdm_public_orgs"),
    governorates: db
      .select({ id: regions.id, nameAr: regions.nameAr, nameEn: regions.nameEn, orgSlug: organizations.slug })
      .from(regions)
      .innerJoin(organizations, eq(organizations.id, regions.orgId))
      .where(eq(regions.level, "governorate"))
      .orderBy(asc(regions.nameEn), asc(organizations.slug), asc(regions.id))
      .prepare("tdm_public_governorates"),
  };
}
function fixed(db: DbOrTx) {
  let queries = preparedOn.get(db);
  if (!queries) preparedOn.set(db, (queries = prepareFixed(db)));
  return queries;
}

/** Every organisation's public profile, oldest first (one query). */
export async function listPublicOrgs(db: DbOrTx): Promise<PublicOrg[]> {
  return fixed(db).orgs.execute();
}

/** The governorates a donor may filter by, with their organisation (one query). */
export async function listPublicGovernorates(db: DbOrTx): Promise<PublicGovernorate[]> {
  return fixed(db).governorates.execute();
}

export interface PublicGovernorate {
  id: string;
  nameAr: string;
  nameEn: string;
  orgSlug: string;
}

/**
 * The listing's filter choices in one round trip: listPublicOrgs and listPublicGovernorates, the
 * same rows in the same order, each list built as JSON by PostgreSQL (no parameters: a statement
 * whose plan is kept, decision 075).
 */
export async function publicFilterChoices(db: DbOrTx): Promise<FilterChoices> {
  const result = await db.execute(sql`select json_build_object(
    'orgs', (select coalesce(json_agg(json_build_object('slug', o.slug, 'nameAr', o.name_ar, 'nameEn', o.name_en, 'country', o.country, 'defaultCurrency', o.default_currency)
       order by o.created_at, o.slug), '[]'::json) from ${organizations} o),
    'governorates', (select coalesce(json_agg(json_build_object('id', r.id, 'nameAr', r.name_ar, 'nameEn', r.name_en, 'orgSlug', o.slug)
       order by r.name_en, o.slug, r.id), '[]'::json)
     from ${regions} r join ${organizations} o on o.id = r.org_id where r.level = 'governorate'))::text as choices`);
  const rows = ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as { choices: string }[];
  const text = rows[0].choices;
  // Unchanged since the last read (organisations and governorates rarely change): the same
  // object and version, so what is rendered from them can be remembered (decision 082).
  if (text !== lastChoices.text) {
    const parsed = JSON.parse(text) as Omit<FilterChoices, "version">;
    lastChoices = { text, choices: { ...parsed, version: ++choicesVersion } };
  }
  return lastChoices.choices;
}

export interface FilterChoices {
  orgs: PublicOrg[];
  governorates: PublicGovernorate[];
  /** Changes whenever the choices do (within this process). */
  version: number;
}
let choicesVersion = 0;
let lastChoices: { text: string; choices: FilterChoices } = { text: "", choices: { orgs: [], governorates: [], version: 0 } };

export interface PlatformTotals {
  /** Money received for needs, per currency (minor units), largest first. */
  raised: { currency: string; raisedMinor: number }[];
  published: number;
  funded: number;
}

/**
 * Totals for the home page (one query): raised per currency, needs open and funded. Read from the
 * maintained aggregate public_need_totals (decision 059: kept by triggers on needs, a few rows per
 * currency), not a scan of needs; the property test checks it equals the scan.
 */
export async function platformTotals(db: DbOrTx): Promise<PlatformTotals> {
  const rows = await runPrepared<{ currency: string; raised: string; published: string; funded: string }>(db, "totals", "", {}, () =>
    db
      .select({
        currency: publicNeedTotals.currency,
        raised: sql<string>`coalesce(sum(${publicNeedTotals.raisedMinor}), 0)`,
        published: sql<string>`coalesce(sum(${publicNeedTotals.published}), 0)`,
        funded: sql<string>`coalesce(sum(${publicNeedTotals.funded}), 0)`,
      })
      .from(publicNeedTotals)
      .groupBy(publicNeedTotals.currency)
      .orderBy(asc(publicNeedTotals.currency)),
  );
  return {
    raised: rows
      .map((r) => ({ currency: r.currency, raisedMinor: Number(r.raised) }))
      .filter((r) => r.raisedMinor > 0)
      .sort((a, b) => b.raisedMinor - a.raisedMinor || a.currency.localeCompare(b.currency)),
    published: rows.reduce((sum, r) => sum + Number(r.published), 0),
    funded: rows.reduce((sum, r) => sum + Number(r.funded), 0),
  };
}

/** The same totals by a scan of needs (what the aggregate must equal; tests and the bench compare). */
export async function platformTotalsByScan(db: DbOrTx): Promise<PlatformTotals> {
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
