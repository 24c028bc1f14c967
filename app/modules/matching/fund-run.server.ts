import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { allocationRuns, fundAllocations, ledgerAccounts, ledgerPostings, memberships, needs, payments, pledges } from "#db/schema";
import { SYSTEM_ACTOR, isSystemActor, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { allocateFromFund } from "~/modules/payments/payment-fund.server";
import { kickOutbox } from "~/utils/outbox-kick.server";
import { defaultCapPerNeed, parseGiftId, planFundRun } from "./fund.server";

export type AllocationRun = typeof allocationRuns.$inferSelect;
export type FundAllocation = typeof fundAllocations.$inferSelect;

export class FundRunError extends Error {
  constructor(readonly code: "not_allowed" | "cap_invalid" | "currency_invalid" | "key_invalid") {
    super(`fund run refused: ${code}`);
  }
}

const FINANCE = ["finance", "org_admin"] as const;

/**
 * Runs the solidarity fund's allocator for real (issue 12): in ONE transaction, under a lock per
 * organisation and currency, it plans again from the ledger as it is now, locks every need it
 * will touch (by id, the module-wide lock order), and moves each allocation's money from the
 * fund to its need (allocateFromFund: a ledger entry each, need counters, the donor's email).
 * The run and its allocations — with each score's parts, the "why this need" — are recorded; a
 * retry with the same idempotency key returns the first run and moves nothing.
 * Finance runs it on demand; the system may run it (actor null).
 */
export async function runFund(
  db: Db,
  actor: Actor,
  input: { orgId: string; currency: string; capPerNeedMinor: number; idempotencyKey: string; now?: Date; onlyPaymentIds?: readonly string[] },
): Promise<{ run: AllocationRun; allocations: FundAllocation[]; created: boolean }> {
  const now = input.now ?? new Date();
  if (!Number.isSafeInteger(input.capPerNeedMinor) || input.capPerNeedMinor <= 0) throw new FundRunError("cap_invalid");
  if (!/^[A-Z]{3}$/.test(input.currency)) throw new FundRunError("currency_invalid");
  if (!/^[A-Za-z0-9:_-]{8,200}$/.test(input.idempotencyKey)) throw new FundRunError("key_invalid");
  const result = await db.transaction(async (tx) => {
    if (!isSystemActor(actor)) {
      const roles = await tx
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, actor.userId!), inArray(memberships.role, [...FINANCE])));
      if (roles.length === 0) throw new FundRunError("not_allowed");
    }
    const [existing] = await tx.select().from(allocationRuns).where(eq(allocationRuns.idempotencyKey, input.idempotencyKey)).limit(1);
    if (existing) {
      if (existing.orgId !== input.orgId) throw new FundRunError("key_invalid");
      return { run: existing, allocations: await tx.select().from(fundAllocations).where(eq(fundAllocations.runId, existing.id)), created: false };
    }
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`fund-run:${input.orgId}:${input.currency}`}))`);
    const plan = await planFundRun(tx, { orgId: input.orgId, currency: input.currency, capPerNeedMinor: input.capPerNeedMinor, now, onlyPaymentIds: input.onlyPaymentIds });

    // Every need this run touches, locked up front in id order: the allocations' needs and the
    // needs the gifts' payments and pledges sit on (allocateFromFund locks them again, already held).
    const paymentIds = [...new Set(plan.allocations.map((a) => parseGiftId(a.giftId).paymentId))];
    const sitting = paymentIds.length
      ? await tx
          .select({ paymentNeed: payments.needId, pledgeNeed: pledges.needId })
          .from(payments)
          .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
          .where(inArray(payments.id, paymentIds))
      : [];
    const needIds = [...new Set([...plan.allocations.map((a) => a.needId), ...sitting.flatMap((s) => [s.paymentNeed, s.pledgeNeed])].filter((x): x is string => Boolean(x)))].sort();
    if (needIds.length) await tx.select({ id: needs.id }).from(needs).where(inArray(needs.id, needIds)).orderBy(needs.id).for("update");

    const [run] = await tx
      .insert(allocationRuns)
      .values({ orgId: input.orgId, currency: input.currency, capPerNeedMinor: input.capPerNeedMinor, actorUserId: actor.userId, idempotencyKey: input.idempotencyKey, createdAt: now })
      .returning();
    const rows: FundAllocation[] = [];
    for (const a of plan.allocations) {
      const gift = parseGiftId(a.giftId);
      const moved = await allocateFromFund(tx, actor, { paymentId: gift.paymentId, fund: gift.fund, needId: a.needId, amountMinor: a.amountMinor, idempotencyKey: `${run!.id}:${a.giftId}:${a.needId}`, now });
      const [row] = await tx
        .insert(fundAllocations)
        .values({ runId: run!.id, orgId: input.orgId, paymentId: gift.paymentId, needId: a.needId, currency: a.currency, amountMinor: a.amountMinor, score: a.score, parts: a.parts, ledgerEntryId: moved.entryId, createdAt: now })
        .returning();
      rows.push(row!);
    }
    const allocatedMinor = rows.reduce((t, r) => t + r.amountMinor, 0);
    const [done] = await tx.update(allocationRuns).set({ allocatedMinor }).where(eq(allocationRuns.id, run!.id)).returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "fund.run",
      entityType: "allocation_run",
      entityId: run!.id,
      change: { currency: input.currency, capPerNeedMinor: input.capPerNeedMinor, allocatedMinor, allocations: rows.length },
    });
    return { run: done!, allocations: rows, created: true };
  });
  if (result.created && result.allocations.length > 0) kickOutbox();
  return result;
}

/**
 * The scheduled run (issue 12; a job every Monday, as the system): every organisation's funds, each
 * currency with money in them, at the default cap per need. The key is the organisation, currency
 * and ISO week, so a rerun of the job that week moves nothing. One run failing (a need changed
 * under it) does not stop the others; it is tried again next week, or by finance on demand.
 */
export async function runScheduledFunds(db: Db, now: Date = new Date()): Promise<{ runs: number; allocatedMinor: number; failed: number }> {
  const balance = sql<string>`-sum(${ledgerPostings.amountMinor})`;
  const rows = await db
    .select({ orgId: ledgerAccounts.orgId, currency: ledgerAccounts.currency, balance })
    .from(ledgerAccounts)
    .innerJoin(ledgerPostings, eq(ledgerPostings.accountId, ledgerAccounts.id))
    .where(inArray(ledgerAccounts.kind, ["unrestricted_fund", "zakat_fund"]))
    .groupBy(ledgerAccounts.orgId, ledgerAccounts.currency)
    .having(sql`${balance} > 0`)
    .orderBy(ledgerAccounts.orgId, ledgerAccounts.currency);
  const week = isoWeek(now);
  let runs = 0;
  let allocatedMinor = 0;
  let failed = 0;
  for (const row of rows) {
    try {
      const { run, created } = await runFund(db, SYSTEM_ACTOR, {
        orgId: row.orgId,
        currency: row.currency,
        capPerNeedMinor: defaultCapPerNeed(Number(row.balance)),
        idempotencyKey: `fund-run:auto:${row.orgId}:${row.currency}:${week}`,
        now,
      });
      if (created) {
        runs += 1;
        allocatedMinor += run.allocatedMinor;
      }
    } catch (error) {
      failed += 1;
      console.error(`scheduled fund run ${row.orgId} ${row.currency} failed`, error);
    }
  }
  return { runs, allocatedMinor, failed };
}

/** YYYY-Www of a date (ISO 8601 week, UTC). */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
