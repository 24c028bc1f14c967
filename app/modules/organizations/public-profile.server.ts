/**
 * An organisation's public page (issue 11): who it is (mission, registration, the governorates
 * it serves, years active) and its record on the platform (needs published and funded, the
 * median time to be funded, money raised and the share of it paid out, per currency), so a donor
 * can decide to trust it. Only public facts: no household, no payee, no person, no internal id
 * leaves this module (the id is used inside, never returned).
 *
 * Cost: the profile is one query (regions ride along as a JSON sub-select); the record is one
 * query (per-currency sums and the median in one statement, by needs_org_state_idx and
 * need_transitions_need_idx), kept in memory per organisation and recomputed in the background
 * (cachedOrgRecord), so a busy page does not re-aggregate an organisation's whole history on every
 * request and no visitor waits for it after the first.
 */
import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { preparedOnce } from "#db/prepared.server";
import { organizations } from "#db/schema";

export interface PublicRegion {
  nameAr: string;
  nameEn: string;
}

export interface PublicOrgProfile {
  slug: string;
  nameAr: string;
  nameEn: string;
  country: string;
  defaultCurrency: string;
  missionAr: string | null;
  missionEn: string | null;
  legalName: string | null;
  registrationNumber: string | null;
  registeredWithAr: string | null;
  registeredWithEn: string | null;
  foundedYear: number | null;
  /** The year it joined the platform. */
  joinedYear: number;
  /** The governorates it serves (public names only). */
  regions: PublicRegion[];
}

export interface CurrencyRecord {
  currency: string;
  /** Money received for its needs (minor units). */
  raisedMinor: number;
  /** Money paid out of those needs' funds to their payees (minor units). */
  disbursedMinor: number;
  /** disbursed / raised, 0..1; null when nothing was raised. */
  disbursedShare: number | null;
}

export interface OrgRecord {
  /** Needs it ever published. */
  published: number;
  /** Of those, needs that reached their target (funded, then disbursed or closed). */
  funded: number;
  /** Median days from publication to being funded, over funded needs; null when none. */
  medianDaysToFund: number | null;
  /** Per currency, most raised first; currencies with nothing raised are left out. */
  money: CurrencyRecord[];
}

const FUNDED_STATES = sql`('funded', 'disbursed', 'closed')`;

/** The public profile of an organisation by slug and its internal id (for this module's reads), or null. */
async function profileRow(db: DbOrTx, slug: string) {
  if (slug.length > 80) return null;
  const [row] = await preparedOnce(db, "public-org-profile", () => {
    // Qualified by hand: in a select without joins drizzle writes bare column names, and a bare "id"
    // inside the sub-select would be the region's own.
    const regionsJson = sql<PublicRegion[]>`(
      select coalesce(json_agg(json_build_object('nameAr', r.name_ar, 'nameEn', r.name_en) order by r.sort_order, r.name_en), '[]'::json)
      from regions r where r.org_id = "organizations"."id" and r.level = 'governorate'
    )`;
    return db
      .select({
        id: organizations.id,
        slug: organizations.slug,
        nameAr: organizations.nameAr,
        nameEn: organizations.nameEn,
        country: organizations.country,
        defaultCurrency: organizations.defaultCurrency,
        missionAr: organizations.missionAr,
        missionEn: organizations.missionEn,
        legalName: organizations.legalName,
        registrationNumber: organizations.registrationNumber,
        registeredWithAr: organizations.registeredWithAr,
        registeredWithEn: organizations.registeredWithEn,
        foundedYear: organizations.foundedYear,
        joinedYear: sql<number>`extract(year from ${organizations.createdAt})::int`,
        regions: regionsJson,
      })
      .from(organizations)
      .where(eq(organizations.slug, sql.placeholder("slug")))
      .limit(1);
  }).execute({ slug });
  if (!row) return null;
  const { id, regions: regionList, ...rest } = row;
  const parsed = (typeof regionList === "string" ? JSON.parse(regionList) : regionList) as PublicRegion[];
  const profile: PublicOrgProfile = { ...rest, joinedYear: Number(rest.joinedYear), regions: parsed };
  return { id, profile };
}

/**
 * An organisation's record on the platform (one query). Money per currency over the needs it
 * published; the median over needs now funded, disbursed or closed, from published_at to their
 * latest move to funded (a need refunded below its target and funded again counts its second time).
 */
export async function orgRecord(db: DbOrTx, orgId: string): Promise<OrgRecord> {
  const result = await db.execute(sql`
    with mine as (
      select n.id, n.currency, n.state, n.published_at, n.paid_minor, n.disbursed_minor
      from needs n
      where n.org_id = ${orgId} and n.published_at is not null
    ),
    per_currency as (
      select currency, count(*)::int as published,
        (count(*) filter (where state in ${FUNDED_STATES}))::int as funded,
        coalesce(sum(paid_minor), 0)::text as raised,
        coalesce(sum(disbursed_minor), 0)::text as disbursed
      from mine group by currency
    ),
    median as (
      select percentile_cont(0.5) within group (order by extract(epoch from f.at - m.published_at)) as seconds
      from mine m
      cross join lateral (
        select max(t.created_at) as at from need_transitions t where t.need_id = m.id and t.to_state = 'funded'
      ) f
      where m.state in ${FUNDED_STATES} and f.at is not null
    )
    select p.currency, p.published, p.funded, p.raised, p.disbursed, (select seconds from median)::float8 as median_seconds
    from per_currency p
    union all
    select null, 0, 0, '0', '0', (select seconds from median)::float8
  `);
  const rows = ((result as unknown as { rows?: unknown[] }).rows ?? (result as unknown as unknown[])) as {
    currency: string | null;
    published: number;
    funded: number;
    raised: string;
    disbursed: string;
    median_seconds: number | null;
  }[];
  const medianSeconds = rows[0]?.median_seconds ?? null;
  const currencies = rows.filter((r) => r.currency !== null);
  return {
    published: currencies.reduce((sum, r) => sum + Number(r.published), 0),
    funded: currencies.reduce((sum, r) => sum + Number(r.funded), 0),
    medianDaysToFund: medianSeconds === null ? null : Math.round((Number(medianSeconds) / 86400) * 10) / 10,
    money: currencies
      .map((r) => {
        const raisedMinor = Number(r.raised);
        const disbursedMinor = Number(r.disbursed);
        return {
          currency: r.currency!.trim(),
          raisedMinor,
          disbursedMinor,
          disbursedShare: raisedMinor > 0 ? Math.min(1, disbursedMinor / raisedMinor) : null,
        };
      })
      .filter((m) => m.raisedMinor > 0)
      .sort((a, b) => b.raisedMinor - a.raisedMinor || a.currency.localeCompare(b.currency)),
  };
}

/** How long an organisation's record is fresh in memory; an older one is still shown while it is recomputed. */
export const RECORD_TTL_MS = 30_000;
const MAX_CACHED = 1000;
const records = new Map<string, { at: number; record: Promise<OrgRecord>; refreshing: boolean }>();

/**
 * orgRecord, kept per organisation: fresh for RECORD_TTL_MS; after that the kept record is still
 * answered at once while one recomputation runs in the background (a large organisation's record
 * aggregates its whole history: one query over 50,000 needs took about 1 s on the shared test
 * machine under load), so only the
 * first visit after a start waits for it. The needs list on the page is always live.
 */
export function cachedOrgRecord(db: DbOrTx, orgId: string, now = Date.now()): Promise<OrgRecord> {
  const hit = records.get(orgId);
  if (hit && now - hit.at < RECORD_TTL_MS) return hit.record;
  if (hit) {
    if (!hit.refreshing) {
      hit.refreshing = true;
      orgRecord(db, orgId).then(
        (record) => records.set(orgId, { at: Date.now(), record: Promise.resolve(record), refreshing: false }),
        () => (hit.refreshing = false),
      );
    }
    return hit.record;
  }
  if (records.size >= MAX_CACHED) records.clear();
  const record = orgRecord(db, orgId);
  records.set(orgId, { at: now, record, refreshing: false });
  record.catch(() => records.delete(orgId));
  return record;
}

/** Forget the cached records (tests). */
export function clearOrgRecordCache(): void {
  records.clear();
}

export interface PublicOrgPage {
  profile: PublicOrgProfile;
  record: OrgRecord;
}

/** An organisation's public profile and record by slug (two queries, the second cached), or null. */
export async function getPublicOrgPage(db: DbOrTx, slug: string): Promise<PublicOrgPage | null> {
  const found = await profileRow(db, slug);
  if (!found) return null;
  return { profile: found.profile, record: await cachedOrgRecord(db, found.id) };
}
