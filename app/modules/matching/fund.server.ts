import { and, asc, desc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { allocationRuns, fundAllocations, ledgerAccounts, ledgerEntries, ledgerPostings, needs, payments, pledges } from "#db/schema";
import type { NeedCategory } from "~/modules/needs/schemas";
import { allocate, type AllocationResult, type AllocatorGift, type AllocatorNeed } from "./allocator";

/**
 * The organisation's solidarity fund (issue 12), as the ledger holds it: its unrestricted fund —
 * gifts given to the fund, over-payments, money moved off cancelled or expired needs — and its
 * zakat fund (zakat given to the fund, a zakat pledge's surplus), which goes only to
 * zakat-eligible needs. Each payment's share of a fund is a gift for the allocator, restricted to
 * the organisation and, for a fund pledge, to what the donor chose (categories, a governorate,
 * zakat); the oldest money first. Its open needs are the candidates. Reads only: the dry run shows
 * what a run would do and why, before finance moves any money.
 */

export const FUND_KINDS = ["unrestricted_fund", "zakat_fund"] as const;
export type FundKind = (typeof FUND_KINDS)[number];

/** Each fund's balance per currency (minor units, the liability's credit balance), non-zero only. */
export async function fundBalances(db: DbOrTx, orgId: string): Promise<{ currency: string; fund: FundKind; balanceMinor: number }[]> {
  const rows = await db
    .select({ currency: ledgerAccounts.currency, fund: ledgerAccounts.kind, balance: sql<string>`coalesce(-sum(${ledgerPostings.amountMinor}), 0)` })
    .from(ledgerAccounts)
    .leftJoin(ledgerPostings, eq(ledgerPostings.accountId, ledgerAccounts.id))
    .where(and(eq(ledgerAccounts.orgId, orgId), inArray(ledgerAccounts.kind, [...FUND_KINDS])))
    .groupBy(ledgerAccounts.currency, ledgerAccounts.kind)
    .orderBy(asc(ledgerAccounts.currency), asc(ledgerAccounts.kind));
  return rows.map((r) => ({ currency: r.currency, fund: r.fund as FundKind, balanceMinor: Number(r.balance) })).filter((r) => r.balanceMinor !== 0);
}

/** A gift's id for the allocator: the fund it sits in and the payment (a payment may hold in both funds). */
export function giftId(fund: FundKind, paymentId: string): string {
  return `${fund}:${paymentId}`;
}

export function parseGiftId(id: string): { fund: FundKind; paymentId: string } {
  const [fund, paymentId] = id.split(":") as [FundKind, string];
  return { fund, paymentId };
}

/** Each payment's money in the funds (one currency), with its restrictions: the allocator's gifts. */
export async function fundGifts(db: DbOrTx, orgId: string, currency: string): Promise<AllocatorGift[]> {
  const held = sql<string>`-sum(${ledgerPostings.amountMinor})`;
  const rows = await db
    .select({
      paymentId: ledgerEntries.paymentId,
      fund: ledgerAccounts.kind,
      held,
      receivedAt: sql<Date>`min(${payments.recordedAt})`,
      // One pledge per payment: grouped by its id, its columns can be read as they are.
      pledgeKind: pledges.kind,
      categories: pledges.fundCategories,
      regionId: pledges.fundRegionId,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
    .innerJoin(payments, eq(payments.id, ledgerEntries.paymentId))
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .where(
      and(
        eq(ledgerAccounts.orgId, orgId),
        eq(ledgerAccounts.currency, currency),
        inArray(ledgerAccounts.kind, [...FUND_KINDS]),
        isNotNull(ledgerEntries.paymentId),
        // A matching sponsor's money waits for its appeal's gifts until the appeal ends (decision 068).
        sql`(${pledges.appealId} is null or not exists (select 1 from appeals a where a.id = ${pledges.appealId} and a.ends_at > now()))`,
      ),
    )
    .groupBy(ledgerEntries.paymentId, ledgerAccounts.kind, pledges.id)
    .having(gt(held, sql`0`));
  return rows.map((r) => {
    const fundPledge = r.pledgeKind === "fund";
    return {
      id: giftId(r.fund as FundKind, r.paymentId!),
      currency,
      availableMinor: Number(r.held),
      receivedAt: new Date(r.receivedAt),
      restrictions: {
        orgIds: [orgId],
        zakat: r.fund === "zakat_fund",
        ...(fundPledge && r.categories?.length ? { categories: r.categories as NeedCategory[] } : {}),
        ...(fundPledge && r.regionId ? { regionIds: [r.regionId] } : {}),
      },
    };
  });
}

/** The columns the allocator reads of a need (allocatorNeedOf makes them an AllocatorNeed). */
export const allocatorNeedColumns = {
  id: needs.id,
  orgId: needs.orgId,
  category: needs.category,
  currency: needs.currency,
  urgency: needs.urgency,
  publicRegionId: needs.publicRegionId,
  zakatCategory: needs.zakatCategory,
  deadline: needs.deadline,
  publishedAt: needs.publishedAt,
  targetMinor: needs.targetMinor,
  paidMinor: needs.paidMinor,
  reservedMinor: needs.reservedMinor,
};

type AllocatorNeedRow = {
  id: string;
  orgId: string;
  category: AllocatorNeed["category"];
  currency: string;
  urgency: AllocatorNeed["urgency"];
  publicRegionId: string | null;
  zakatCategory: string | null;
  deadline: string | null;
  publishedAt: Date | null;
  targetMinor: number;
  paidMinor: number;
  reservedMinor: number;
};

/** A need row (allocatorNeedColumns) as the allocator sees it: committed is paid plus reserved. */
export function allocatorNeedOf(n: AllocatorNeedRow): AllocatorNeed {
  return {
    id: n.id,
    orgId: n.orgId,
    category: n.category,
    currency: n.currency,
    urgency: n.urgency,
    regionIds: n.publicRegionId ? [n.publicRegionId] : [],
    zakatEligible: n.zakatCategory !== null,
    deadline: n.deadline,
    publishedAt: n.publishedAt ?? new Date(0),
    targetMinor: n.targetMinor,
    committedMinor: n.paidMinor + n.reservedMinor,
  };
}

/** The organisation's published needs in a currency with room left: the allocator's candidates. */
export async function fundCandidates(db: DbOrTx, orgId: string, currency: string): Promise<(AllocatorNeed & { publicId: string; titleAr: string | null; titleEn: string | null })[]> {
  const rows = await db
    .select({ ...allocatorNeedColumns, publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn })
    .from(needs)
    .where(and(eq(needs.orgId, orgId), eq(needs.currency, currency), inArray(needs.state, ["published"]), sql`${needs.targetMinor} > ${needs.paidMinor} + ${needs.reservedMinor}`));
  return rows.map((n) => ({ ...allocatorNeedOf(n), publicId: n.publicId, titleAr: n.titleAr, titleEn: n.titleEn }));
}

export type FundPlan = AllocationResult & {
  currency: string;
  capPerNeedMinor: number;
  fundMinor: number;
  needs: Map<string, { publicId: string; titleAr: string | null; titleEn: string | null; targetMinor: number; committedMinor: number }>;
};

/** The cap per need a run proposes by default: a third of the fund, so one run reaches at least three needs. */
export function defaultCapPerNeed(fundMinor: number): number {
  return Math.max(1, Math.ceil(fundMinor / 3));
}

/** A dry run: what the allocator would do with the fund's money in one currency now. Changes nothing. */
export async function planFundRun(
  db: DbOrTx,
  input: { orgId: string; currency: string; capPerNeedMinor: number; now?: Date; onlyPaymentIds?: readonly string[] },
): Promise<FundPlan> {
  const [all, candidates] = await Promise.all([fundGifts(db, input.orgId, input.currency), fundCandidates(db, input.orgId, input.currency)]);
  // A run for some payments only (a donor credit whose window ended): the rest of the fund waits.
  const gifts = input.onlyPaymentIds ? all.filter((g) => input.onlyPaymentIds!.includes(parseGiftId(g.id).paymentId)) : all;
  const result = allocate(gifts, candidates, { now: input.now ?? new Date(), capPerNeedMinor: { [input.currency]: input.capPerNeedMinor } });
  return {
    ...result,
    currency: input.currency,
    capPerNeedMinor: input.capPerNeedMinor,
    fundMinor: gifts.reduce((t, g) => t + g.availableMinor, 0),
    needs: new Map(candidates.map((c) => [c.id, { publicId: c.publicId, titleAr: c.titleAr, titleEn: c.titleEn, targetMinor: c.targetMinor, committedMinor: c.committedMinor }])),
  };
}

/** The organisation's latest runs with their allocations (need public id and titles), newest first. */
export async function recentRuns(db: DbOrTx, orgId: string, limit = 10) {
  const runs = await db.select().from(allocationRuns).where(eq(allocationRuns.orgId, orgId)).orderBy(desc(allocationRuns.createdAt), desc(allocationRuns.id)).limit(limit);
  if (runs.length === 0) return [];
  const rows = await db
    .select({
      runId: fundAllocations.runId,
      needId: fundAllocations.needId,
      amountMinor: fundAllocations.amountMinor,
      score: fundAllocations.score,
      parts: fundAllocations.parts,
      publicId: needs.publicId,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
    })
    .from(fundAllocations)
    .innerJoin(needs, eq(needs.id, fundAllocations.needId))
    .where(inArray(fundAllocations.runId, runs.map((r) => r.id)))
    .orderBy(desc(fundAllocations.score), asc(fundAllocations.needId));
  return runs.map((run) => ({ run, allocations: rows.filter((r) => r.runId === run.id) }));
}

/** The currencies the organisation's funds were ever run in. */
export async function runCurrencies(db: DbOrTx, orgId: string): Promise<string[]> {
  const rows = await db.selectDistinct({ currency: allocationRuns.currency }).from(allocationRuns).where(eq(allocationRuns.orgId, orgId));
  return rows.map((r) => r.currency);
}

// ---------------------------------------------------------------- reports (issue 12, item 8)

/** What the fund gave each month (the last `months` months with allocations), in one currency. */
export async function allocationsByMonth(db: DbOrTx, orgId: string, currency: string, months = 12) {
  const month = sql<string>`to_char(${fundAllocations.createdAt} at time zone 'UTC', 'YYYY-MM')`;
  const rows = await db
    .select({ month, amountMinor: sql<string>`sum(${fundAllocations.amountMinor})`, needs: sql<number>`count(distinct ${fundAllocations.needId})::int` })
    .from(fundAllocations)
    .where(and(eq(fundAllocations.orgId, orgId), eq(fundAllocations.currency, currency)))
    .groupBy(month)
    .orderBy(desc(month))
    .limit(months);
  return rows.map((r) => ({ month: r.month, amountMinor: Number(r.amountMinor), needs: r.needs })).reverse();
}

/** The needs the fund gave the most to, in one currency. */
export async function allocationsByNeed(db: DbOrTx, orgId: string, currency: string, limit = 10) {
  const total = sql<string>`sum(${fundAllocations.amountMinor})`;
  const rows = await db
    .select({ needId: needs.id, publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, amountMinor: total })
    .from(fundAllocations)
    .innerJoin(needs, eq(needs.id, fundAllocations.needId))
    .where(and(eq(fundAllocations.orgId, orgId), eq(fundAllocations.currency, currency)))
    .groupBy(needs.id)
    .orderBy(desc(total), asc(needs.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, amountMinor: Number(r.amountMinor) }));
}

/** Every allocation of the organisation, newest first (the CSV). */
export async function allocationRows(db: DbOrTx, orgId: string) {
  return db
    .select({
      id: fundAllocations.id,
      runId: fundAllocations.runId,
      createdAt: fundAllocations.createdAt,
      paymentId: fundAllocations.paymentId,
      publicId: needs.publicId,
      titleEn: needs.titleEn,
      titleAr: needs.titleAr,
      currency: fundAllocations.currency,
      amountMinor: fundAllocations.amountMinor,
      score: fundAllocations.score,
      parts: fundAllocations.parts,
      bySystem: sql<boolean>`${allocationRuns.actorUserId} is null`,
    })
    .from(fundAllocations)
    .innerJoin(needs, eq(needs.id, fundAllocations.needId))
    .innerJoin(allocationRuns, eq(allocationRuns.id, fundAllocations.runId))
    .where(eq(fundAllocations.orgId, orgId))
    .orderBy(desc(fundAllocations.createdAt), asc(fundAllocations.id))
    .limit(100_000);
}
