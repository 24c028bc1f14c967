import { describe, expect, it, vi } from "vitest";

// The first test also starts the database; the machine is shared.
vi.setConfig({ testTimeout: 120_000 });
import fc from "fast-check";
import { disbursementBatches, disbursements, payees } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { recordPayment, ensureDefaultMoneyAccount } from "~/modules/payments/payments.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { postEntry, trialBalance } from "~/modules/ledger/ledger.server";
import { actorFor } from "../../../tests/fixtures/needs";
import { createOrg } from "../../../tests/fixtures/db";
import { idemKey, pledgeInput, pledgeWorld, publishedNeed } from "../../../tests/fixtures/pledging";
import { householdAccount, ledgerReport } from "./reports.server";
import { ExportQuerySchema, JOURNAL_HEADER, exportCsv } from "./exports.server";
import { csvCell, decimalOf, parseCsv, toCsv } from "./csv";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

async function pay(w: World, need: { id: string; publicId: string; currency: string }, amountMinor: number, valueDate: string) {
  const db = await getDb();
  const { pledge } = await createPledge(db, pledgeInput(need, { amountMinor }));
  const { payment } = await recordPayment(db, actorFor(w.finance.id), {
    orgId: w.org.id,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor,
    currency: need.currency,
    valueDate,
    idempotencyKey: idemKey(),
  });
  return payment;
}

/** A paid disbursement as module D books it: a batch row and its entry (Dr need fund, Cr bank). */
async function disburse(w: World, needId: string, payeeId: string, amountMinor: number, paidDate: string) {
  const db = await getDb();
  const bank = await db.transaction((tx) => ensureDefaultMoneyAccount(tx, w.org.id, "bank", "USD"));
  const { entryId } = await db.transaction((tx) =>
    postEntry(tx, {
      orgId: w.org.id,
      currency: "USD",
      kind: "disbursement",
      idempotencyKey: idemKey(),
      memo: "Disbursement",
      actorUserId: w.finance.id,
      valueDate: paidDate,
      postings: [
        { account: { kind: "need_fund", needId }, amountMinor },
        { account: { kind: "bank", moneyAccountId: bank }, amountMinor: -amountMinor },
      ],
    }),
  );
  const [batch] = await db
    .insert(disbursementBatches)
    .values({
      orgId: w.org.id,
      number: `DSB-2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`,
      payeeId,
      currency: "USD",
      totalMinor: amountMinor,
      method: "bank_transfer",
      moneyAccountId: bank,
      status: "paid",
      requestedBy: w.finance.id,
      decidedBy: w.admin.id,
      paidBy: w.finance.id,
      paidDate,
      paidReference: "=HYPERLINK(\"x\")",
      ledgerEntryId: entryId,
      idempotencyKey: idemKey(),
    })
    .returning();
  await db.insert(disbursements).values({ orgId: w.org.id, batchId: batch.id, needId, amountMinor, currency: "USD" });
  return { batch, entryId };
}

async function world() {
  const w = await pledgeWorld({ targetMinor: 100_000 });
  const db = await getDb();
  const [school] = await db.insert(payees).values({ orgId: w.org.id, kind: "school", name: "مدرسة الأمل", status: "active" }).returning();
  const [home] = await db
    .insert(payees)
    .values({ orgId: w.org.id, kind: "household", name: "Fatima Al-Hassan", householdId: w.household.id, status: "active" })
    .returning();
  const second = await publishedNeed(w, { targetMinor: 50_000 });
  await pay(w, w.need, 3_000, "2026-08-10");
  await pay(w, w.need, 2_000, "2026-09-05");
  await pay(w, second, 4_000, "2026-09-07");
  await disburse(w, w.need.id, school.id, 4_500, "2026-09-20");
  await disburse(w, second.id, home.id, 1_000, "2026-09-21");
  return { ...w, school, home, second };
}

describe("reports from the ledger", () => {
  it("donations and disbursements by month and category tie to the trial balance's need funds", async () => {
    const w = await world();
    const db = await getDb();
    const report = await ledgerReport(db, { orgId: w.org.id });
    expect(report.byMonth).toEqual([
      { key: "2026-08", currency: "USD", donationsMinor: 3_000, disbursementsMinor: 0 },
      { key: "2026-09", currency: "USD", donationsMinor: 6_000, disbursementsMinor: 5_500 },
    ]);
    expect(report.totals).toEqual([{ key: "total", currency: "USD", donationsMinor: 9_000, disbursementsMinor: 5_500 }]);
    expect(report.byCategory.reduce((s, g) => s + g.donationsMinor, 0)).toBe(9_000);
    expect(report.byOrganisation).toEqual([expect.objectContaining({ key: w.org.id, donationsMinor: 9_000, disbursementsMinor: 5_500 })]);

    // The tie: donations − disbursements = the need funds' credit balance in the trial balance.
    const tb = await trialBalance(db, w.org.id);
    const fundCredit = -tb.accounts.filter((a) => a.kind === "need_fund").reduce((s, a) => s + a.balanceMinor, 0);
    const fundDebits = tb.accounts.filter((a) => a.kind === "need_fund").reduce((s, a) => s + a.debitMinor, 0);
    expect(report.totals[0].donationsMinor - report.totals[0].disbursementsMinor).toBe(fundCredit);
    expect(report.totals[0].disbursementsMinor).toBe(fundDebits);

    // Month filter.
    const sept = await ledgerReport(db, { orgId: w.org.id, fromMonth: "2026-09", toMonth: "2026-09" });
    expect(sept.totals).toEqual([{ key: "total", currency: "USD", donationsMinor: 6_000, disbursementsMinor: 5_500 }]);
  });

  it("a household's account equals its needs' funds in the ledger; a household payee shows as its reference", async () => {
    const w = await world();
    const db = await getDb();
    const account = (await householdAccount(db, w.org.id, w.household.id))!;
    const first = account.needs.find((n) => n.needId === w.need.id)!;
    const second = account.needs.find((n) => n.needId === w.second.id)!;
    expect(first).toMatchObject({ receivedMinor: 5_000, disbursedMinor: 4_500, balanceMinor: 500 });
    expect(first.disbursements).toEqual([expect.objectContaining({ payee: "مدرسة الأمل", payeeKind: "school", amountMinor: 4_500, paidDate: "2026-09-20" })]);
    expect(second).toMatchObject({ receivedMinor: 4_000, disbursedMinor: 1_000, balanceMinor: 3_000 });
    expect(second.disbursements[0].payee).toBe(w.household.reference);
    expect(account.totals).toEqual([{ currency: "USD", receivedMinor: 9_000, disbursedMinor: 5_500, balanceMinor: 3_500 }]);
    const tb = await trialBalance(db, w.org.id);
    for (const n of account.needs) {
      const fund = tb.accounts.find((a) => a.needId === n.needId)!;
      expect(n.balanceMinor).toBe(-fund.balanceMinor);
    }
    // Another organisation's household: nothing.
    const other = await createOrg();
    expect(await householdAccount(db, other.id, w.household.id)).toBeNull();
  });
});

describe("CSV", () => {
  it("quotes, escapes formulas and keeps numbers as numbers", () => {
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell("+961 3")).toBe("'+961 3");
    expect(csvCell("-5")).toBe("'-5");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe("-5");
    expect(csvCell({ number: "-0.05" })).toBe("-0.05");
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
  });

  it("writes the currency's digits", () => {
    expect(decimalOf(1234, 2).number).toBe("12.34");
    expect(decimalOf(-5, 2).number).toBe("-0.05");
    expect(decimalOf(1234, 3).number).toBe("1.234");
    expect(decimalOf(7, 3).number).toBe("0.007");
    expect(decimalOf(150000, 0).number).toBe("150000");
  });

  it("round-trips any text (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        const text = toCsv(["a"], rows);
        const back = parseCsv(text).slice(1);
        expect(back.length).toBe(rows.length);
        back.forEach((row, i) =>
          row.forEach((cell, j) => {
            const original = rows[i][j];
            expect(cell).toBe(/^[=+\-@\t\r]/.test(original) ? `'${original}` : original);
          }),
        );
      }),
    );
  });

  it("parses the query: a month or a range, nothing else", () => {
    expect(ExportQuerySchema.parse({ kind: "journal", month: "2026-02" })).toEqual({ kind: "journal", from: "2026-02-01", to: "2026-02-28" });
    expect(ExportQuerySchema.safeParse({ kind: "ledger" }).success).toBe(false);
    expect(ExportQuerySchema.safeParse({ kind: "journal", from: "2026-02-30" }).success).toBe(false);
    expect(ExportQuerySchema.safeParse({ kind: "journal", from: "2026-03-01", to: "2026-02-01" }).success).toBe(false);
  });
});

describe("exports", () => {
  it("journal: one row per posting, each entry sums to zero, ISO dates, decimals per currency, Arabic kept, formulas escaped", async () => {
    const w = await world();
    const db = await getDb();
    // JOD (3 digits) and LBP (0 digits) entries with a memo that looks like a formula, in Arabic.
    for (const [currency, amount] of [
      ["JOD", 1_234],
      ["LBP", 150_000],
    ] as const) {
      await db.transaction((tx) =>
        postEntry(tx, {
          orgId: w.org.id,
          currency,
          kind: "adjustment",
          idempotencyKey: idemKey(),
          memo: `=تبرع ${currency}`,
          actorUserId: null,
          valueDate: "2026-09-30",
          postings: [
            { account: { kind: "stripe" }, amountMinor: amount },
            { account: { kind: "suspense" }, amountMinor: -amount },
          ],
        }),
      );
    }
    const file = await exportCsv(db, w.org.id, w.org.slug, ExportQuerySchema.parse({ kind: "journal", month: "2026-09" }));
    expect(file.body.startsWith("\uFEFF")).toBe(true);
    const [header, ...rows] = parseCsv(file.body);
    expect(header).toEqual([...JOURNAL_HEADER]);
    const col = (name: (typeof JOURNAL_HEADER)[number]) => JOURNAL_HEADER.indexOf(name);
    // Sept: 2 payments (2 postings each), 2 disbursements (2 each), 2 adjustments (2 each); August excluded.
    expect(rows).toHaveLength(12);
    const sums = new Map<string, number>();
    for (const r of rows) {
      expect(r[col("date")]).toMatch(/^2026-09-\d{2}$/);
      const debit = Number(r[col("debit_minor")]);
      const credit = Number(r[col("credit_minor")]);
      expect(debit === 0 || credit === 0).toBe(true);
      sums.set(r[col("entry_id")], (sums.get(r[col("entry_id")]) ?? 0) + debit - credit);
    }
    expect([...sums.values()].every((s) => s === 0)).toBe(true);
    expect(sums.size).toBe(6);
    const jod = rows.filter((r) => r[col("currency")] === "JOD");
    expect(jod.map((r) => r[col("amount")]).sort()).toEqual(["-1.234", "1.234"]);
    expect(jod[0][col("memo")]).toBe("'=تبرع JOD");
    const lbp = rows.filter((r) => r[col("currency")] === "LBP");
    expect(lbp.map((r) => r[col("amount")]).sort()).toEqual(["-150000", "150000"]);
    const usdPayment = rows.find((r) => r[col("currency")] === "USD" && r[col("entry_kind")] === "payment" && Number(r[col("debit_minor")]) === 2_000)!;
    expect(usdPayment[col("amount")]).toBe("20.00");
    expect(rows.some((r) => r[col("account_code")] === `2010-${w.need.publicId}`)).toBe(true);
  });

  it("disbursements: a household payee by reference only, nothing private; other kinds export", async () => {
    const w = await world();
    const db = await getDb();
    const file = await exportCsv(db, w.org.id, w.org.slug, ExportQuerySchema.parse({ kind: "disbursements", from: "2026-09-01", to: "2026-09-30" }));
    expect(file.rows).toBe(2);
    expect(file.body).toContain("مدرسة الأمل");
    expect(file.body).toContain(w.household.reference);
    expect(file.body).not.toContain("Fatima");
    expect(file.body).not.toContain("الحمرا"); // the household's address
    expect(file.body).toContain(`"'=HYPERLINK(""x"")"`);
    const payments = await exportCsv(db, w.org.id, w.org.slug, ExportQuerySchema.parse({ kind: "payments", month: "2026-09" }));
    expect(payments.rows).toBe(2);
    expect(parseCsv(payments.body)[1]).toContain("20.00");
    for (const kind of ["receipts", "reconciliation"] as const) {
      const f = await exportCsv(db, w.org.id, w.org.slug, ExportQuerySchema.parse({ kind }));
      expect(f.body.startsWith("\uFEFF")).toBe(true);
    }
  });
});
