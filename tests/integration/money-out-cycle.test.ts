// The whole money loop of issue 10 on one bank account, through the modules finance uses:
// pledges → a bank statement imported (Arabic headers, running balance) → automatic matches (two
// pledges of one donor in one line, a line short by the bank's fee) → a line matched by hand and
// split over two pledges → bank charges and the opening balance explained → the funded need paid to
// its school (requested by one finance officer, approved by another) → the next statement's debit
// matched to that disbursement → month-end: a difference of zero, nothing unexplained, the month
// closed and locked; `ledger:check`'s checks pass all along.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { moneyAccounts, needs, payees, payments, statementLines, statementMatches } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { commitImport, previewImport } from "~/modules/reconciliation/statements.server";
import { manualMatch, markNotDonation, undoMatch } from "~/modules/reconciliation/matching.server";
import { approveDisbursement, markDisbursementPaid, requestDisbursement } from "~/modules/disbursements/disbursements.server";
import { closeMonth, monthEnd } from "~/modules/reports/month-end.server";
import { addMember, createUser } from "../fixtures/db";
import { actorFor } from "../fixtures/needs";
import { idemKey, needRow, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";

/** The month before today's (YYYY-MM), in the organisation's calendar. */
function previousMonth(today: string): string {
  const y = Number(today.slice(0, 4));
  const m = Number(today.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** "tdm 7k3q 9fx" with O for 0: how a bank clerk types a reference. */
const mangle = (reference: string) => reference.toLowerCase().replace(/-/g, " ").replace(/0/g, "o");

describe("a month of money in and out on one bank account", () => {
  it("imports, matches, splits, explains, disburses, closes the month at a difference of zero", async () => {
    const w = await pledgeWorld({ targetMinor: 30_000 });
    const db = await getDb();
    const finance = actorFor(w.finance.id);
    const treasurer = await createUser({ displayName: "Treasurer" });
    await addMember(w.org.id, treasurer.id, "finance");
    const [school] = await db
      .insert(payees)
      .values({ orgId: w.org.id, kind: "school", name: "Al-Amal School", collection: "bank_transfer", bankName: "BLOM", accountHolder: "Al-Amal School", accountNumber: "LB00 2222", detailsApprovedAt: new Date() })
      .returning();
    const other = await publishedNeed(w, { targetMinor: 5_000 });
    await db.update(needs).set({ payeeId: school.id }).where(eq(needs.orgId, w.org.id));
    const [bank] = await db.insert(moneyAccounts).values({ orgId: w.org.id, kind: "bank", name: "BLOM USD (cycle)", currency: "USD" }).returning();

    const donor = "samira.cycle@example.test";
    const { pledge: a } = await createPledge(db, pledgeInput(w.need, { amountMinor: 10_000, email: donor }));
    const { pledge: b } = await createPledge(db, pledgeInput(w.need, { amountMinor: 15_000, email: donor }));
    const { pledge: c } = await createPledge(db, pledgeInput(w.need, { amountMinor: 5_000 }));
    const { pledge: d } = await createPledge(db, pledgeInput(other, { amountMinor: 3_000 }));
    const { pledge: e } = await createPledge(db, pledgeInput(other, { amountMinor: 2_000 }));

    const month = previousMonth(todayIn(w.org.timeZone));
    const [y, m] = month.split("-");
    const day = (n: number) => `${String(n).padStart(2, "0")}/${m}/${y}`;
    // Arabic headers, dd/mm/yyyy, debit and credit columns, a running balance.
    const statement = [
      "التاريخ,البيان,المرجع,مدين,دائن,الرصيد",
      `${day(1)},رصيد افتتاحي,,,"1,000.00","1,000.00"`,
      `${day(5)},حوالة من سميرة ${mangle(a.reference)} + ${mangle(b.reference)},,,250.00,"1,250.00"`,
      `${day(6)},TRF,${c.reference.replace(/-/g, "")},,49.70,"1,299.70"`,
      `${day(7)},إيداع نقدي,,,50.00,"1,349.70"`,
      `${day(8)},عمولة مصرفية,,2.50,,"1,347.20"`,
    ].join("\n");
    const preview = await previewImport(db, finance, { orgId: w.org.id, moneyAccountId: bank.id, fileName: "blom.csv", bytes: new TextEncoder().encode(statement) });
    expect(preview.problems).toEqual([]);
    await commitImport(db, finance, preview.importId, preview.mapping, { orgId: w.org.id, inline: true });

    const lines = await db.select().from(statementLines).where(eq(statementLines.importId, preview.importId)).orderBy(statementLines.lineNo);
    expect(lines.map((l) => l.amountMinor)).toEqual([100_000, 25_000, 4_970, 5_000, -250]);
    expect(lines.map((l) => l.status)).toEqual(["unmatched", "matched", "matched", expect.stringMatching(/unmatched|suggested/), expect.stringMatching(/unmatched|suggested/)]);
    const paid = new Map((await db.select().from(payments).where(eq(payments.orgId, w.org.id))).map((p) => [p.pledgeId, p]));
    expect(paid.get(a.id)).toMatchObject({ amountMinor: 10_000, moneyAccountId: bank.id, recordedBy: null });
    expect(paid.get(b.id)).toMatchObject({ amountMinor: 15_000 });
    expect(paid.get(c.id)).toMatchObject({ amountMinor: 5_000, feeMinor: 30 });

    // The same file again adds nothing.
    const again = await previewImport(db, finance, { orgId: w.org.id, moneyAccountId: bank.id, fileName: "blom-again.csv", bytes: new TextEncoder().encode(statement) });
    await commitImport(db, finance, again.importId, again.mapping, { orgId: w.org.id, inline: true });
    expect(await db.select().from(statementLines).where(eq(statementLines.moneyAccountId, bank.id))).toHaveLength(5);

    // By hand: the cash deposit was two donors' pledges (a split); the opening balance and the bank's charge are not donations.
    await manualMatch(db, finance, lines[3].id, [
      { pledgeReference: d.reference, amountMinor: 3_000 },
      { pledgeReference: e.reference, amountMinor: 2_000 },
    ], { orgId: w.org.id });
    await markNotDonation(db, finance, lines[0].id, "opening_balance", null, { orgId: w.org.id });
    await markNotDonation(db, finance, lines[4].id, "bank_charge", null, { orgId: w.org.id });
    expect((await needRow(other.id)).state).toBe("funded");
    expect((await needRow(w.need.id)).state).toBe("funded");

    // Money out: one finance officer asks, the other approves, it is paid on the 20th.
    const batch = await requestDisbursement(db, finance, {
      orgId: w.org.id,
      payeeId: school.id,
      method: "bank_transfer",
      moneyAccountId: bank.id,
      items: [
        { needId: w.need.id, amountMinor: 30_000 },
        { needId: other.id, amountMinor: 5_000 },
      ],
      idempotencyKey: idemKey(),
    });
    await approveDisbursement(db, actorFor(treasurer.id), batch.id, { orgId: w.org.id });
    await markDisbursementPaid(db, finance, batch.id, { paidDate: `${month}-20`, reference: "OUT-77", orgId: w.org.id });
    expect((await needRow(w.need.id)).state).toBe("disbursed");

    // The next statement (overlapping the first) shows the transfer out, with the batch number.
    const next = [
      "التاريخ,البيان,المرجع,مدين,دائن,الرصيد",
      `${day(8)},عمولة مصرفية,,2.50,,"1,347.20"`,
      `${day(20)},تحويل ${batch.number},OUT-77,350.00,,997.20`,
    ].join("\n");
    const second = await previewImport(db, finance, { orgId: w.org.id, moneyAccountId: bank.id, fileName: "blom-2.csv", bytes: new TextEncoder().encode(next) });
    await commitImport(db, finance, second.importId, second.mapping, { orgId: w.org.id, inline: true });
    const all = await db.select().from(statementLines).where(eq(statementLines.moneyAccountId, bank.id));
    expect(all).toHaveLength(6);
    const out = all.find((l) => l.amountMinor === -35_000)!;
    expect(out.status).toBe("matched");
    const [outMatch] = await db.select().from(statementMatches).where(and(eq(statementMatches.lineId, out.id), eq(statementMatches.status, "active")));
    expect(outMatch).toMatchObject({ kind: "disbursement", disbursementBatchId: batch.id });

    const figures = await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank.id, month: `${month}-01` });
    expect(figures).toMatchObject({ statementClosingMinor: 99_720, ledgerClosingMinor: 99_720, differenceMinor: 0 });
    expect(figures.unexplainedStatement).toEqual([]);
    expect(figures.unexplainedLedger).toEqual([]);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);

    await closeMonth(db, finance, { orgId: w.org.id, moneyAccountId: bank.id, month: `${month}-01` });
    // Closed means locked: undoing a match of that month is refused, nothing changes.
    const [anyMatch] = await db.select().from(statementMatches).where(and(eq(statementMatches.lineId, lines[1].id), eq(statementMatches.status, "active")));
    await expect(undoMatch(db, finance, anyMatch.id, { orgId: w.org.id })).rejects.toMatchObject({ code: "month_closed" });
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  }, 180_000);
});
