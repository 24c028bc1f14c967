import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { allocationRuns, fundAllocations, ledgerEntries } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { createPledge } from "~/modules/pledging/pledges.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { emailsTo } from "../../../tests/fixtures/auth";
import { actorFor } from "../../../tests/fixtures/needs";
import { idemKey, needRow, pledgeInput, pledgeWorld, publishedNeed } from "../../../tests/fixtures/pledging";
import { defaultCapPerNeed, fundBalances } from "./fund.server";
import { FundRunError, isoWeek, runFund, runScheduledFunds } from "./fund-run.server";

/** A world whose fund holds `surplus` (an over-payment of a pledge by a donor with an email). */
async function fundedWorld(surplus: number) {
  const w = await pledgeWorld({ targetMinor: 10_000 });
  const db = await getDb();
  const other = await publishedNeed(w, { targetMinor: 5_000 });
  const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
  const paid = await recordPayment(db, actorFor(w.finance.id), {
    orgId: w.org.id,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor: 1_000 + surplus,
    currency: "USD",
    valueDate: todayIn(w.org.timeZone),
    idempotencyKey: idemKey(),
  });
  return { w, db, other, pledge, payment: paid.payment };
}

describe("running the solidarity fund", () => {
  it("moves the fund's money to the planned needs in one transaction: ledger entries, need totals, the run's record and the donor's email; a retry moves nothing", async () => {
    const { w, db, other, pledge, payment } = await fundedWorld(900);
    const before = { a: (await needRow(w.need.id)).paidMinor, b: (await needRow(other.id)).paidMinor };
    const key = `test-run-${idemKey()}`;
    const { run, allocations, created } = await runFund(db, actorFor(w.finance.id), { orgId: w.org.id, currency: "USD", capPerNeedMinor: 500, idempotencyKey: key });
    expect(created).toBe(true);
    expect(run).toMatchObject({ allocatedMinor: 900, actorUserId: w.finance.id, capPerNeedMinor: 500 });
    expect(allocations.map((a) => a.amountMinor).sort()).toEqual([400, 500]);
    for (const a of allocations) {
      expect(a.paymentId).toBe(payment.id);
      expect(Object.keys(a.parts).sort()).toEqual(["closeToDone", "deadline", "received", "urgency", "waiting"]);
      const [entry] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, a.ledgerEntryId));
      expect(entry).toMatchObject({ kind: "reallocation", needId: a.needId, paymentId: payment.id });
    }
    const after = { a: (await needRow(w.need.id)).paidMinor, b: (await needRow(other.id)).paidMinor };
    expect(after.a - before.a + after.b - before.b).toBe(900);
    expect(await fundBalances(db, w.org.id)).toEqual([]);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
    // The donor is told where the money went (twice: one email per need it reached).
    expect(await emailsTo(pledge.email, "payment-moved")).toHaveLength(2);

    const again = await runFund(db, actorFor(w.finance.id), { orgId: w.org.id, currency: "USD", capPerNeedMinor: 500, idempotencyKey: key });
    expect(again.created).toBe(false);
    expect(again.run.id).toBe(run.id);
    expect(await db.select().from(fundAllocations).where(eq(fundAllocations.runId, run.id))).toHaveLength(2);
    expect((await needRow(other.id)).paidMinor).toBe(after.b);
  });

  it("the system may run it; a caseworker may not, and a bad cap is refused — nothing changes", async () => {
    const { w, db } = await fundedWorld(300);
    await expect(runFund(db, actorFor(w.author.id), { orgId: w.org.id, currency: "USD", capPerNeedMinor: 500, idempotencyKey: `k-${idemKey()}` })).rejects.toEqual(new FundRunError("not_allowed"));
    await expect(runFund(db, actorFor(w.finance.id), { orgId: w.org.id, currency: "USD", capPerNeedMinor: -1, idempotencyKey: `k-${idemKey()}` })).rejects.toEqual(new FundRunError("cap_invalid"));
    expect(await fundBalances(db, w.org.id)).toEqual([{ currency: "USD", fund: "unrestricted_fund", balanceMinor: 300 }]);
    const { run } = await runFund(db, SYSTEM_ACTOR, { orgId: w.org.id, currency: "USD", capPerNeedMinor: 1_000, idempotencyKey: `k-${idemKey()}` });
    expect(run).toMatchObject({ allocatedMinor: 300, actorUserId: null });
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("the weekly job runs every organisation's funds as the system, once per ISO week", async () => {
    const { w, db } = await fundedWorld(700);
    const monday = new Date("2026-11-30T07:00:00Z");
    const first = await runScheduledFunds(db, monday);
    expect(first.runs).toBeGreaterThanOrEqual(1);
    // The default cap (a third of the fund) over the organisation's two open needs: money spreads, the rest waits.
    const spread = 2 * defaultCapPerNeed(700);
    const [run] = await db.select().from(allocationRuns).where(eq(allocationRuns.idempotencyKey, `fund-run:auto:${w.org.id}:USD:${isoWeek(monday)}`));
    expect(run).toMatchObject({ actorUserId: null, allocatedMinor: spread, capPerNeedMinor: defaultCapPerNeed(700) });
    expect(await fundBalances(db, w.org.id)).toEqual([{ currency: "USD", fund: "unrestricted_fund", balanceMinor: 700 - spread }]);
    // Later that week: the same key, nothing runs again for this organisation.
    const again = await runScheduledFunds(db, new Date("2026-12-03T07:00:00Z"));
    expect(await db.select().from(allocationRuns).where(eq(allocationRuns.orgId, w.org.id))).toHaveLength(1);
    expect(again.failed).toBe(0);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("names ISO weeks as the calendar does across a year's end", () => {
    expect(isoWeek(new Date("2026-11-30T00:00:00Z"))).toBe("2026-W49");
    expect(isoWeek(new Date("2027-01-01T12:00:00Z"))).toBe("2026-W53");
    expect(isoWeek(new Date("2025-12-29T12:00:00Z"))).toBe("2026-W01");
  });
});
