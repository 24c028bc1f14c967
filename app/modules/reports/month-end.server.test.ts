import { describe, expect, it, vi } from "vitest";

// The first test also starts the database; the machine is shared.
vi.setConfig({ testTimeout: 120_000 });
import { and, eq } from "drizzle-orm";
import { auditLog, ledgerEntries, ledgerPostings, ledgerAccounts, reconciliationPeriods, statementImports, statementLines, statementMatches } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { postEntry } from "~/modules/ledger/ledger.server";
import { actorFor } from "../../../tests/fixtures/needs";
import { idemKey, pledgeInput, pledgeWorld } from "../../../tests/fixtures/pledging";
import { closeMonth, monthEnd, normalizeMonth } from "./month-end.server";
import { MonthEndError } from "./errors";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

async function pay(w: World, amountMinor: number, valueDate: string) {
  const db = await getDb();
  const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor }));
  const { payment } = await recordPayment(db, actorFor(w.finance.id), {
    orgId: w.org.id,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor,
    currency: "USD",
    valueDate,
    idempotencyKey: idemKey(),
  });
  return payment;
}

async function statementImport(w: World, moneyAccountId: string) {
  const db = await getDb();
  const [imp] = await db
    .insert(statementImports)
    .values({
      orgId: w.org.id,
      moneyAccountId,
      fileName: "statement.csv",
      sha256: idemKey(),
      sizeBytes: 1,
      content: "",
      mapping: { date: 0, amount: 1, dateOrder: "ymd", decimalMark: ".", delimiter: ",", skipRows: 0, hasHeader: true, encoding: "utf-8" },
      status: "done",
    })
    .returning();
  return imp.id;
}

let lineNo = 0;
async function line(
  w: World,
  importId: string,
  moneyAccountId: string,
  input: { valueDate: string; amountMinor: number; balanceMinor?: number | null; paymentId?: string },
) {
  const db = await getDb();
  const matched = Boolean(input.paymentId);
  const [row] = await db
    .insert(statementLines)
    .values({
      orgId: w.org.id,
      moneyAccountId,
      importId,
      lineNo: ++lineNo,
      fingerprint: idemKey(),
      valueDate: input.valueDate,
      amountMinor: input.amountMinor,
      currency: "USD",
      description: "TRANSFER",
      balanceMinor: input.balanceMinor ?? null,
      status: matched ? "matched" : "unmatched",
      matchedMinor: matched ? Math.abs(input.amountMinor) : 0,
    })
    .returning();
  if (input.paymentId) await matchLine(w, row.id, input.paymentId, Math.abs(input.amountMinor));
  return row;
}

async function matchLine(w: World, lineId: string, paymentId: string, amountMinor: number) {
  const db = await getDb();
  await db.insert(statementMatches).values({ orgId: w.org.id, lineId, kind: "manual", amountMinor, paymentId });
  await db.update(statementLines).set({ status: "matched", matchedMinor: amountMinor }).where(eq(statementLines.id, lineId));
}

describe("monthEnd", () => {
  it("normalises months and refuses anything else", () => {
    expect(normalizeMonth("2026-09")).toBe("2026-09-01");
    expect(normalizeMonth("2026-09-01")).toBe("2026-09-01");
    for (const bad of ["2026-13", "2026-9", "2026-09-02", "", "x"]) expect(() => normalizeMonth(bad)).toThrow(MonthEndError);
  });

  it("agrees to zero after a cycle, shows a missing line as a difference, and closes only when everything is explained", async () => {
    const w = await pledgeWorld({ targetMinor: 100_000 });
    const db = await getDb();
    const p1 = await pay(w, 1_000, "2026-09-10");
    const bank = p1.moneyAccountId!;
    const imp = await statementImport(w, bank);
    await line(w, imp, bank, { valueDate: "2026-09-10", amountMinor: 1_000, balanceMinor: 1_000, paymentId: p1.id });

    const ok = await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09" });
    expect(ok).toMatchObject({ statementClosingMinor: 1_000, statementClosingSource: "bank_balance", ledgerClosingMinor: 1_000, differenceMinor: 0, unexplainedStatement: [], unexplainedLedger: [] });

    // A payment recorded by hand that no statement line shows: a difference and an unexplained entry.
    const p2 = await pay(w, 500, "2026-09-15");
    const missing = await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09" });
    expect(missing.differenceMinor).toBe(-500);
    expect(missing.ledgerClosingMinor).toBe(1_500);
    expect(missing.unexplainedLedger).toEqual([expect.objectContaining({ entryId: p2.ledgerEntryId, amountMinor: 500, kind: "payment" })]);
    const finance = actorFor(w.finance.id);
    const now = new Date("2026-11-20T10:00:00Z");
    await expect(closeMonth(db, finance, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09", now })).rejects.toMatchObject({ code: "difference_not_zero" });

    // The line arrives (no running balance in this file: computed from the last printed one) but is not matched yet.
    const l2 = await line(w, imp, bank, { valueDate: "2026-09-15", amountMinor: 500 });
    const unmatched = await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09" });
    expect(unmatched).toMatchObject({ statementClosingMinor: 1_500, statementClosingSource: "computed", differenceMinor: 0 });
    expect(unmatched.unexplainedStatement.map((l) => l.id)).toEqual([l2.id]);
    expect(unmatched.unexplainedLedger).toHaveLength(1);
    await expect(closeMonth(db, finance, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09", now })).rejects.toMatchObject({
      code: "unexplained_items",
      details: { statementLines: 1, ledgerEntries: 1 },
    });

    // Half matched is still unexplained.
    await db.insert(statementMatches).values({ orgId: w.org.id, lineId: l2.id, kind: "manual", amountMinor: 200, paymentId: p2.id });
    await db.update(statementLines).set({ status: "matched", matchedMinor: 200 }).where(eq(statementLines.id, l2.id));
    expect((await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09" })).unexplainedStatement).toHaveLength(1);
    await db.update(statementLines).set({ matchedMinor: 500 }).where(eq(statementLines.id, l2.id));
    const clean = await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09" });
    expect(clean).toMatchObject({ differenceMinor: 0, unexplainedStatement: [], unexplainedLedger: [] });

    // Not a finance officer; a month not over; October before September.
    await expect(closeMonth(db, actorFor(w.author.id), { orgId: w.org.id, moneyAccountId: bank, month: "2026-09", now })).rejects.toMatchObject({ code: "not_allowed" });
    await expect(closeMonth(db, finance, { orgId: w.org.id, moneyAccountId: bank, month: "2026-11", now })).rejects.toMatchObject({ code: "month_not_over" });
    await expect(closeMonth(db, finance, { orgId: w.org.id, moneyAccountId: bank, month: "2026-10", now })).rejects.toMatchObject({
      code: "earlier_month_open",
      details: { month: "2026-09-01" },
    });
    expect(await db.select().from(reconciliationPeriods).where(eq(reconciliationPeriods.moneyAccountId, bank))).toHaveLength(0);

    const { period } = await closeMonth(db, finance, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09", now });
    expect(period).toMatchObject({ month: "2026-09-01", statementClosingMinor: 1_500, ledgerClosingMinor: 1_500, differenceMinor: 0, closedBy: w.finance.id });
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.action, "month_end.close")));
    expect(audits).toHaveLength(1);
    await expect(closeMonth(db, finance, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09", now })).rejects.toMatchObject({ code: "already_closed" });
    expect((await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09" })).closed).toMatchObject({ closedBy: w.finance.id });

    // Locked: the database refuses a posting on the account dated in September…
    const [bankAccount] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.moneyAccountId, bank));
    const [suspense] = await db.select().from(ledgerAccounts).where(and(eq(ledgerAccounts.orgId, w.org.id), eq(ledgerAccounts.kind, "need_fund")));
    await expect(
      db.transaction(async (tx) => {
        const [e] = await tx
          .insert(ledgerEntries)
          .values({ orgId: w.org.id, kind: "adjustment", idempotencyKey: idemKey(), memo: "late", valueDate: "2026-09-20" })
          .returning();
        await tx.insert(ledgerPostings).values([
          { entryId: e.id, accountId: bankAccount.id, orgId: w.org.id, currency: "USD", amountMinor: 10 },
          { entryId: e.id, accountId: suspense.id, orgId: w.org.id, currency: "USD", amountMinor: -10 },
        ]);
      }),
    ).rejects.toSatisfy((e: unknown) => /closed month/.test(String((e as { cause?: unknown }).cause ?? e)));
    // …and postEntry dates a late entry in the first open month.
    const late = await db.transaction((tx) =>
      postEntry(tx, {
        orgId: w.org.id,
        currency: "USD",
        kind: "bank_charge",
        idempotencyKey: idemKey(),
        memo: "late charge",
        actorUserId: w.finance.id,
        valueDate: "2026-09-20",
        postings: [
          { account: { kind: "bank_charges" }, amountMinor: 5 },
          { account: { kind: "bank", moneyAccountId: bank }, amountMinor: -5 },
        ],
      }),
    );
    const [moved] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, late.entryId));
    expect(moved.valueDate).toBe("2026-10-01");
    // September's figures are unchanged; October now shows the unexplained charge.
    expect((await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank, month: "2026-09" })).ledgerClosingMinor).toBe(1_500);
    const october = await monthEnd(db, { orgId: w.org.id, moneyAccountId: bank, month: "2026-10" });
    expect(october).toMatchObject({ statementClosingMinor: 1_500, ledgerClosingMinor: 1_495, differenceMinor: 5 });
    expect(october.unexplainedLedger.map((e) => e.entryId)).toEqual([late.entryId]);
  });

  it("refuses another organisation's money account", async () => {
    const a = await pledgeWorld();
    const b = await pledgeWorld();
    const db = await getDb();
    const p = await pay(a, 1_000, "2026-09-10");
    await expect(monthEnd(db, { orgId: b.org.id, moneyAccountId: p.moneyAccountId!, month: "2026-09" })).rejects.toMatchObject({ code: "account_not_found" });
    await expect(closeMonth(db, actorFor(b.finance.id), { orgId: b.org.id, moneyAccountId: p.moneyAccountId!, month: "2026-09" })).rejects.toMatchObject({ code: "account_not_found" });
  });
});
