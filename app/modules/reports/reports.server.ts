import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { disbursementBatches, households, ledgerAccounts, ledgerEntries, ledgerPostings, needs, organizations, payees, regions } from "#db/schema";
import { nextMonth } from "~/modules/ledger/ledger.server";

/**
 * Reports from the ledger (issue 10): every figure is a sum of need-fund postings, so the reports
 * tie to the trial balance.
 * - donations: money into need funds, net — payment entries' credits, less refunds and reversals,
 *   and reallocations moving money between funds; i.e. −Σ need-fund postings of every entry that
 *   is not a disbursement (or a disbursement's reversal);
 * - disbursements: Σ need-fund debits of `disbursement` entries (less their reversals).
 * So donations − disbursements = the need funds' credit balance over the same dates.
 */

export interface ReportFilter {
  /** The organisation (omit for the platform's view over every organisation). */
  orgId?: string;
  /** YYYY-MM, inclusive. */
  fromMonth?: string;
  toMonth?: string;
  currency?: string;
}

export interface ReportCell {
  orgId: string;
  currency: string;
  /** YYYY-MM of the entry's value date. */
  month: string;
  category: string;
  regionId: string | null;
  donationsMinor: number;
  disbursementsMinor: number;
}

export interface ReportGroup {
  key: string;
  currency: string;
  donationsMinor: number;
  disbursementsMinor: number;
}

export interface LedgerReport {
  cells: ReportCell[];
  byMonth: ReportGroup[];
  byCategory: ReportGroup[];
  byRegion: (ReportGroup & { nameAr: string | null; nameEn: string | null })[];
  byOrganisation: (ReportGroup & { nameAr: string; nameEn: string })[];
  totals: ReportGroup[];
  currencies: string[];
}

/** The SQL test for an entry that pays money out of a need's fund (a disbursement or its reversal). */
const IS_DISBURSEMENT = sql`(${ledgerEntries.kind} = 'disbursement' or (${ledgerEntries.kind} = 'reversal' and exists (select 1 from ledger_entries o where o.id = ${ledgerEntries.reversesEntryId} and o.kind = 'disbursement')))`;

function monthStart(ym: string | undefined): string | undefined {
  return ym && /^\d{4}-(0[1-9]|1[0-2])$/.test(ym) ? `${ym}-01` : undefined;
}

function group<T extends ReportCell>(cells: T[], keyOf: (c: T) => string): ReportGroup[] {
  const map = new Map<string, ReportGroup>();
  for (const c of cells) {
    const key = keyOf(c);
    const k = `${c.currency}|${key}`;
    const g = map.get(k) ?? { key, currency: c.currency, donationsMinor: 0, disbursementsMinor: 0 };
    g.donationsMinor += c.donationsMinor;
    g.disbursementsMinor += c.disbursementsMinor;
    map.set(k, g);
  }
  return [...map.values()].sort((a, b) => a.currency.localeCompare(b.currency) || a.key.localeCompare(b.key));
}

export async function ledgerReport(db: DbOrTx, filter: ReportFilter = {}): Promise<LedgerReport> {
  const from = monthStart(filter.fromMonth);
  const toStart = monthStart(filter.toMonth);
  const rows = await db
    .select({
      orgId: ledgerPostings.orgId,
      currency: ledgerPostings.currency,
      month: sql<string>`to_char(${ledgerEntries.valueDate}, 'YYYY-MM')`,
      category: needs.category,
      regionId: needs.publicRegionId,
      donations: sql<string>`coalesce(-sum(case when not ${IS_DISBURSEMENT} then ${ledgerPostings.amountMinor} else 0 end), 0)`,
      disbursements: sql<string>`coalesce(sum(case when ${IS_DISBURSEMENT} then ${ledgerPostings.amountMinor} else 0 end), 0)`,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
    .innerJoin(needs, eq(needs.id, ledgerAccounts.needId))
    .where(
      and(
        eq(ledgerAccounts.kind, "need_fund"),
        filter.orgId ? eq(ledgerPostings.orgId, filter.orgId) : undefined,
        filter.currency ? eq(ledgerPostings.currency, filter.currency) : undefined,
        from ? gte(ledgerEntries.valueDate, from) : undefined,
        toStart ? lt(ledgerEntries.valueDate, nextMonth(toStart)) : undefined,
      ),
    )
    .groupBy(ledgerPostings.orgId, ledgerPostings.currency, sql`to_char(${ledgerEntries.valueDate}, 'YYYY-MM')`, needs.category, needs.publicRegionId);
  const cells: ReportCell[] = rows
    .map((r) => ({
      orgId: r.orgId,
      currency: r.currency,
      month: r.month,
      category: r.category,
      regionId: r.regionId,
      donationsMinor: Number(r.donations),
      disbursementsMinor: Number(r.disbursements),
    }))
    .filter((c) => c.donationsMinor !== 0 || c.disbursementsMinor !== 0);

  const regionIds = [...new Set(cells.map((c) => c.regionId).filter((id): id is string => Boolean(id)))];
  const regionRows = regionIds.length ? await db.select({ id: regions.id, nameAr: regions.nameAr, nameEn: regions.nameEn }).from(regions).where(inArray(regions.id, regionIds)) : [];
  const regionById = new Map(regionRows.map((r) => [r.id, r]));
  const orgIds = [...new Set(cells.map((c) => c.orgId))];
  const orgRows = orgIds.length ? await db.select({ id: organizations.id, nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(inArray(organizations.id, orgIds)) : [];
  const orgById = new Map(orgRows.map((o) => [o.id, o]));

  return {
    cells,
    byMonth: group(cells, (c) => c.month),
    byCategory: group(cells, (c) => c.category).sort((a, b) => a.currency.localeCompare(b.currency) || b.donationsMinor - a.donationsMinor),
    byRegion: group(cells, (c) => c.regionId ?? "").map((g) => ({ ...g, nameAr: regionById.get(g.key)?.nameAr ?? null, nameEn: regionById.get(g.key)?.nameEn ?? null })),
    byOrganisation: group(cells, (c) => c.orgId).map((g) => ({ ...g, nameAr: orgById.get(g.key)?.nameAr ?? "", nameEn: orgById.get(g.key)?.nameEn ?? "" })),
    totals: group(cells, () => "total"),
    currencies: [...new Set(cells.map((c) => c.currency))].sort(),
  };
}

/** The months from `from` to `to` (YYYY-MM, inclusive), at most `max`. */
export function monthRange(from: string, to: string, max = 36): string[] {
  const out: string[] = [];
  let m = `${from}-01`;
  const end = `${to}-01`;
  while (m <= end && out.length < max) {
    out.push(m.slice(0, 7));
    m = nextMonth(m);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A household's account (staff only): its needs, what came in per need, what was paid out, to whom.

export interface HouseholdDisbursement {
  entryId: string;
  batchId: string | null;
  number: string | null;
  paidDate: string;
  /** The payee: its name, or for a household payee (a private person) the household's reference. */
  payee: string | null;
  payeeKind: string | null;
  amountMinor: number;
}

export interface HouseholdNeedAccount {
  needId: string;
  publicId: string;
  titleAr: string | null;
  titleEn: string | null;
  category: string;
  state: string;
  currency: string;
  targetMinor: number;
  receivedMinor: number;
  disbursedMinor: number;
  balanceMinor: number;
  disbursements: HouseholdDisbursement[];
}

export interface HouseholdAccount {
  householdId: string;
  reference: string;
  needs: HouseholdNeedAccount[];
  totals: { currency: string; receivedMinor: number; disbursedMinor: number; balanceMinor: number }[];
}

/** Null when the household is not the organisation's. */
export async function householdAccount(db: DbOrTx, orgId: string, householdId: string): Promise<HouseholdAccount | null> {
  const [household] = await db
    .select({ id: households.id, reference: households.reference })
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  if (!household) return null;
  const needRows = await db
    .select({
      needId: needs.id,
      publicId: needs.publicId,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      category: needs.category,
      state: needs.state,
      currency: needs.currency,
      targetMinor: needs.targetMinor,
    })
    .from(needs)
    .where(and(eq(needs.householdId, household.id), eq(needs.orgId, orgId)))
    .orderBy(asc(needs.createdAt));
  const ids = needRows.map((n) => n.needId);
  const sums = ids.length
    ? await db
        .select({
          needId: ledgerAccounts.needId,
          received: sql<string>`coalesce(-sum(case when not ${IS_DISBURSEMENT} then ${ledgerPostings.amountMinor} else 0 end), 0)`,
          disbursed: sql<string>`coalesce(sum(case when ${IS_DISBURSEMENT} then ${ledgerPostings.amountMinor} else 0 end), 0)`,
        })
        .from(ledgerPostings)
        .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
        .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
        .where(and(eq(ledgerAccounts.kind, "need_fund"), inArray(ledgerAccounts.needId, ids), eq(ledgerPostings.orgId, orgId)))
        .groupBy(ledgerAccounts.needId)
    : [];
  const out = ids.length
    ? await db
        .select({
          needId: ledgerAccounts.needId,
          entryId: ledgerEntries.id,
          valueDate: ledgerEntries.valueDate,
          amountMinor: sql<string>`sum(${ledgerPostings.amountMinor})`,
          batchId: disbursementBatches.id,
          number: disbursementBatches.number,
          payeeName: payees.name,
          payeeKind: payees.kind,
          payeeHousehold: households.reference,
        })
        .from(ledgerPostings)
        .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
        .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
        .leftJoin(disbursementBatches, eq(disbursementBatches.ledgerEntryId, ledgerEntries.id))
        .leftJoin(payees, eq(payees.id, disbursementBatches.payeeId))
        .leftJoin(households, eq(households.id, payees.householdId))
        .where(and(eq(ledgerAccounts.kind, "need_fund"), inArray(ledgerAccounts.needId, ids), eq(ledgerEntries.kind, "disbursement"), eq(ledgerPostings.orgId, orgId)))
        .groupBy(ledgerAccounts.needId, ledgerEntries.id, disbursementBatches.id, payees.id, households.id)
        .orderBy(asc(ledgerEntries.valueDate), asc(ledgerEntries.createdAt))
    : [];
  const sumByNeed = new Map(sums.map((s) => [s.needId, s]));
  const accounts: HouseholdNeedAccount[] = needRows.map((n) => {
    const s = sumByNeed.get(n.needId);
    const receivedMinor = Number(s?.received ?? 0);
    const disbursedMinor = Number(s?.disbursed ?? 0);
    return {
      ...n,
      targetMinor: Number(n.targetMinor),
      receivedMinor,
      disbursedMinor,
      balanceMinor: receivedMinor - disbursedMinor,
      disbursements: out
        .filter((o) => o.needId === n.needId)
        .map((o) => ({
          entryId: o.entryId,
          batchId: o.batchId,
          number: o.number,
          paidDate: o.valueDate,
          payee: o.payeeKind === "household" ? (o.payeeHousehold ?? null) : (o.payeeName ?? null),
          payeeKind: o.payeeKind ?? null,
          amountMinor: Number(o.amountMinor),
        })),
    };
  });
  const totals = new Map<string, HouseholdAccount["totals"][number]>();
  for (const a of accounts) {
    const t = totals.get(a.currency) ?? { currency: a.currency, receivedMinor: 0, disbursedMinor: 0, balanceMinor: 0 };
    t.receivedMinor += a.receivedMinor;
    t.disbursedMinor += a.disbursedMinor;
    t.balanceMinor += a.balanceMinor;
    totals.set(a.currency, t);
  }
  return { householdId: household.id, reference: household.reference, needs: accounts, totals: [...totals.values()] };
}
