// Statement lines matched with pledges (issue 10, module C): automatic matching books the payment
// exactly like an offline confirmation (ledger, receipt, counters); one line may pay several
// pledges; a fee-short line records the fee; undo restores the ledger exactly; a closed month
// refuses undo; another organisation's pledge is refused; "not a donation" posts its entry.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { ledgerEntries, moneyAccounts, needs, payments, pledges, receipts, reconciliationPeriods, statementImports, statementLines, statementMatches } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { checkLedger, entryPostings, trialBalance } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { autoMatchLines, manualMatch, markNotDonation, undoMatch, undoNotDonation } from "~/modules/reconciliation/matching.server";
import { ReconciliationError } from "~/modules/reconciliation/errors";
import { actorFor } from "../fixtures/needs";
import { needRow, pledgeInput, pledgeWorld } from "../fixtures/pledging";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

async function bankAccount(w: World) {
  const db = await getDb();
  const [account] = await db.insert(moneyAccounts).values({ orgId: w.org.id, kind: "bank", name: `BLOM ${randomBytes(3).toString("hex")}`, currency: "USD" }).returning();
  return account;
}

let lineNo = 0;
async function statementLine(w: World, accountId: string, fields: { amountMinor: number; description: string; valueDate?: string; reference?: string | null }) {
  const db = await getDb();
  const [imp] = await db
    .insert(statementImports)
    .values({ orgId: w.org.id, moneyAccountId: accountId, fileName: "s.csv", sha256: randomBytes(8).toString("hex"), sizeBytes: 10, content: "", mapping: { date: 0, amount: 1, dateOrder: "auto", decimalMark: ".", delimiter: ",", skipRows: 0, hasHeader: true, encoding: "utf-8" } })
    .returning();
  lineNo += 1;
  const [line] = await db
    .insert(statementLines)
    .values({
      orgId: w.org.id,
      moneyAccountId: accountId,
      importId: imp.id,
      lineNo,
      fingerprint: randomBytes(8).toString("hex"),
      valueDate: fields.valueDate ?? todayIn(w.org.timeZone),
      amountMinor: fields.amountMinor,
      currency: "USD",
      description: fields.description,
      reference: fields.reference ?? null,
    })
    .returning();
  return line;
}

const mangle = (reference: string) => `trf from samira ${reference.toLowerCase().replace(/-/g, " ").replace(/0/g, "o")}`;

async function counters(w: World, pledgeId: string) {
  const db = await getDb();
  const [pledge] = await db.select({ status: pledges.status, paidMinor: pledges.paidMinor }).from(pledges).where(eq(pledges.id, pledgeId));
  const need = await needRow(w.need.id);
  return { pledge, need: { paidMinor: need.paidMinor, reservedMinor: need.reservedMinor, donorCount: need.donorCount, state: need.state } };
}

async function balances(orgId: string) {
  const tb = await trialBalance(await getDb(), orgId);
  return tb.accounts.filter((a) => a.balanceMinor !== 0).map((a) => `${a.key}=${a.balanceMinor}`).sort();
}

describe("automatic matching", () => {
  it("a mangled reference records a payment, its receipt and ledger entry with the line's external id; undo restores everything", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const account = await bankAccount(w);
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 10_000 }));
    const before = await counters(w, pledge.id);
    const balancesBefore = await balances(w.org.id);
    const line = await statementLine(w, account.id, { amountMinor: 10_000, description: mangle(pledge.reference) });

    const result = await autoMatchLines(db, SYSTEM_ACTOR, { orgId: w.org.id, lineIds: [line.id] });
    expect(result).toMatchObject({ matched: 1, outcomes: [{ lineId: line.id, status: "matched", references: [pledge.reference] }] });
    const [payment] = await db.select().from(payments).where(eq(payments.pledgeId, pledge.id));
    expect(payment).toMatchObject({ method: "bank_transfer", amountMinor: 10_000, feeMinor: 0, externalId: `stmt:${line.id}`, moneyAccountId: account.id, valueDate: line.valueDate, status: "succeeded", recordedBy: null });
    const [receipt] = await db.select().from(receipts).where(eq(receipts.paymentId, payment.id));
    expect(receipt.voidedAt).toBeNull();
    const { postings } = await entryPostings(db, payment.ledgerEntryId!);
    expect(postings).toEqual(expect.arrayContaining([{ account: { kind: "bank", moneyAccountId: account.id }, amountMinor: 10_000 }, { account: { kind: "need_fund", needId: w.need.id }, amountMinor: -10_000 }]));
    expect(await counters(w, pledge.id)).toMatchObject({ pledge: { status: "paid", paidMinor: 10_000 }, need: { paidMinor: 10_000, donorCount: 1, state: "funded" } });
    const [lineAfter] = await db.select().from(statementLines).where(eq(statementLines.id, line.id));
    expect(lineAfter).toMatchObject({ status: "matched", matchedMinor: 10_000 });
    // Matching again changes nothing.
    expect(await autoMatchLines(db, SYSTEM_ACTOR, { orgId: w.org.id, lineIds: [line.id] })).toMatchObject({ matched: 0, outcomes: [] });

    const [match] = await db.select().from(statementMatches).where(eq(statementMatches.lineId, line.id));
    expect(match).toMatchObject({ kind: "reference", pledgeId: pledge.id, paymentId: payment.id, amountMinor: 10_000 });
    await undoMatch(db, actorFor(w.finance.id), match.id, { orgId: w.org.id });

    expect(await counters(w, pledge.id)).toEqual(before);
    expect(await balances(w.org.id)).toEqual(balancesBefore);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
    const [reversed] = await db.select().from(payments).where(eq(payments.id, payment.id));
    expect(reversed).toMatchObject({ status: "reversed", reversedBy: w.finance.id });
    const [voided] = await db.select().from(receipts).where(eq(receipts.paymentId, payment.id));
    expect(voided.voidedAt).not.toBeNull();
    const [lineUndone] = await db.select().from(statementLines).where(eq(statementLines.id, line.id));
    expect(lineUndone).toMatchObject({ status: "unmatched", matchedMinor: 0 });

    // It can be matched again (a new payment: the reversed one keeps its external id out of the way).
    expect(await autoMatchLines(db, SYSTEM_ACTOR, { orgId: w.org.id, lineIds: [line.id] })).toMatchObject({ matched: 1 });
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("one line pays two pledges of one donor; a fee-short line records the fee", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const db = await getDb();
    const account = await bankAccount(w);
    const email = `samira${randomBytes(3).toString("hex")}@example.test`;
    const { pledge: a } = await createPledge(db, pledgeInput(w.need, { amountMinor: 6_000, email }));
    const { pledge: b } = await createPledge(db, pledgeInput(w.need, { amountMinor: 4_000, email }));
    const { pledge: c } = await createPledge(db, pledgeInput(w.need, { amountMinor: 20_000 }));
    const both = await statementLine(w, account.id, { amountMinor: 10_000, description: `${a.reference} and ${b.reference.toLowerCase()}` });
    const short = await statementLine(w, account.id, { amountMinor: 19_700, description: "transfer", reference: c.reference.replace(/-/g, "") });
    const result = await autoMatchLines(db, SYSTEM_ACTOR, { orgId: w.org.id, lineIds: [both.id, short.id] });
    expect(result.matched).toBe(2);
    const paid = await db.select().from(payments).where(eq(payments.orgId, w.org.id));
    const byPledge = new Map(paid.map((p) => [p.pledgeId, p]));
    expect(byPledge.get(a.id)).toMatchObject({ amountMinor: 6_000, externalId: `stmt:${both.id}:1` });
    expect(byPledge.get(b.id)).toMatchObject({ amountMinor: 4_000, externalId: `stmt:${both.id}:2` });
    expect(byPledge.get(c.id)).toMatchObject({ amountMinor: 20_000, feeMinor: 300 });
    const [feeMatch] = await db.select().from(statementMatches).where(eq(statementMatches.lineId, short.id));
    expect(feeMatch).toMatchObject({ amountMinor: 19_700, feeMinor: 300 });
    const { postings } = await entryPostings(db, byPledge.get(c.id)!.ledgerEntryId!);
    expect(postings).toEqual(expect.arrayContaining([{ account: { kind: "bank", moneyAccountId: account.id }, amountMinor: 19_700 }, { account: { kind: "processing_fees" }, amountMinor: 300 }]));
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("a payment recorded by hand in the inbox is linked, not booked twice", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const account = await bankAccount(w);
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 5_000 }));
    const { recordPayment } = await import("~/modules/payments/payments.server");
    const hand = await recordPayment(db, actorFor(w.finance.id), { orgId: w.org.id, pledgeId: pledge.id, method: "bank_transfer", moneyAccountId: account.id, amountMinor: 5_000, currency: "USD", valueDate: todayIn(w.org.timeZone), idempotencyKey: randomBytes(12).toString("hex") });
    const line = await statementLine(w, account.id, { amountMinor: 5_000, description: pledge.reference });
    expect(await autoMatchLines(db, SYSTEM_ACTOR, { orgId: w.org.id, lineIds: [line.id] })).toMatchObject({ matched: 1 });
    const all = await db.select().from(payments).where(eq(payments.pledgeId, pledge.id));
    expect(all).toHaveLength(1);
    const [match] = await db.select().from(statementMatches).where(eq(statementMatches.lineId, line.id));
    expect(match.paymentId).toBe(hand.payment.id);
    // Undoing a link reverses nothing.
    await undoMatch(db, actorFor(w.finance.id), match.id);
    expect((await db.select().from(payments).where(eq(payments.id, hand.payment.id)))[0].status).toBe("succeeded");
  });
});

describe("manual matching and refusals", () => {
  it("another organisation's pledge and over-allocation are refused; a split works", async () => {
    const w = await pledgeWorld({ targetMinor: 30_000 });
    const other = await pledgeWorld({ targetMinor: 30_000 });
    const db = await getDb();
    const account = await bankAccount(w);
    const { pledge: foreign } = await createPledge(db, pledgeInput(other.need, { amountMinor: 1_000 }));
    const { pledge: p1 } = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_000 }));
    const { pledge: p2 } = await createPledge(db, pledgeInput(w.need, { amountMinor: 3_000 }));
    const line = await statementLine(w, account.id, { amountMinor: 5_000, description: "cash deposit" });
    const finance = actorFor(w.finance.id);
    await expect(manualMatch(db, finance, line.id, [{ pledgeReference: foreign.reference, amountMinor: 1_000 }])).rejects.toMatchObject({ code: "other_org" });
    await expect(manualMatch(db, finance, line.id, [{ pledgeReference: p1.reference, amountMinor: 6_000 }])).rejects.toMatchObject({ code: "over_allocation" });
    // Another organisation's finance officer cannot touch the line.
    await expect(manualMatch(db, actorFor(other.finance.id), line.id, [{ pledgeReference: p1.reference, amountMinor: 2_000 }])).rejects.toBeInstanceOf(ReconciliationError);
    expect(await db.select().from(payments).where(eq(payments.orgId, w.org.id))).toHaveLength(0);

    const matches = await manualMatch(db, finance, line.id, [
      { pledgeReference: p1.reference, amountMinor: 2_000 },
      { pledgeReference: p2.reference.toLowerCase(), amountMinor: 3_000 },
    ]);
    expect(matches).toHaveLength(2);
    const [after] = await db.select().from(statementLines).where(eq(statementLines.id, line.id));
    expect(after).toMatchObject({ status: "matched", matchedMinor: 5_000 });
    const paid = await db.select().from(payments).where(eq(payments.orgId, w.org.id));
    expect(paid.map((p) => p.recordedBy)).toEqual([w.finance.id, w.finance.id]);
  });

  it("undo in a closed month is refused; not-a-donation bank charge posts its entry and undoes", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const account = await bankAccount(w);
    const finance = actorFor(w.finance.id);
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 2_500 }));
    const line = await statementLine(w, account.id, { amountMinor: 2_500, description: pledge.reference });
    await autoMatchLines(db, SYSTEM_ACTOR, { orgId: w.org.id, lineIds: [line.id] });
    const [match] = await db.select().from(statementMatches).where(eq(statementMatches.lineId, line.id));

    const charge = await statementLine(w, account.id, { amountMinor: -750, description: "BANK CHARGES MONTHLY" });
    await expect(markNotDonation(db, finance, charge.id, "interest")).rejects.toMatchObject({ code: "wrong_direction" });
    const marked = await markNotDonation(db, finance, charge.id, "bank_charge", "monthly fee");
    expect(marked).toMatchObject({ status: "not_donation", notDonationKind: "bank_charge" });
    const [entry] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, marked.ledgerEntryId!));
    expect(entry).toMatchObject({ kind: "bank_charge", idempotencyKey: `line:${charge.id}:not_donation` });
    const { postings } = await entryPostings(db, entry.id);
    expect(postings).toEqual(expect.arrayContaining([{ account: { kind: "bank_charges" }, amountMinor: 750 }, { account: { kind: "bank", moneyAccountId: account.id }, amountMinor: -750 }]));
    expect(await undoNotDonation(db, finance, charge.id)).toMatchObject({ status: "unmatched", ledgerEntryId: null });

    await db.insert(reconciliationPeriods).values({ orgId: w.org.id, moneyAccountId: account.id, month: `${line.valueDate.slice(0, 7)}-01`, currency: "USD", ledgerClosingMinor: 0, differenceMinor: 0, closedBy: w.finance.id });
    await expect(undoMatch(db, finance, match.id)).rejects.toMatchObject({ code: "month_closed" });
    const [still] = await db.select().from(statementMatches).where(and(eq(statementMatches.id, match.id)));
    expect(still.status).toBe("active");
    expect((await db.select().from(needs).where(eq(needs.id, w.need.id)))[0].paidMinor).toBe(2_500);
  });

  it("undo is refused when the payment's money left: refunded", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const account = await bankAccount(w);
    const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor: 4_000 }));
    const line = await statementLine(w, account.id, { amountMinor: 4_000, description: pledge.reference });
    await autoMatchLines(db, SYSTEM_ACTOR, { orgId: w.org.id, lineIds: [line.id] });
    const [match] = await db.select().from(statementMatches).where(eq(statementMatches.lineId, line.id));
    const { requestRefund } = await import("~/modules/payments/payments.server");
    await requestRefund(db, actorFor(w.finance.id), { paymentId: match.paymentId!, amountMinor: 1_000, idempotencyKey: randomBytes(12).toString("hex"), offlineReference: "cash back" });
    await expect(undoMatch(db, actorFor(w.finance.id), match.id)).rejects.toMatchObject({ code: "payment_refunded" });
    expect((await db.select().from(statementMatches).where(eq(statementMatches.id, match.id)))[0].status).toBe("active");
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });
});
