// Money out (issue 10): a batch asks to pay a payee from needs' funds, another finance officer
// approves it, it is marked paid: one ledger entry, the need paid out, the donors told "your gift
// reached a school" — never the school's name. Refusals change nothing.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, disbursementBatches, disbursements, emailOutbox, ledgerEntries, needTransitions, payees } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { todayIn } from "~/modules/needs/money";
import { checkLedger, entryPostings, needFundBalance, postEntry } from "~/modules/ledger/ledger.server";
import { DisbursementError } from "~/modules/disbursements/errors";
import {
  approveDisbursement,
  cancelDisbursement,
  fundsAvailable,
  getDisbursement,
  listDisbursements,
  markDisbursementPaid,
  rejectDisbursement,
  requestDisbursement,
  type RequestDisbursementInput,
} from "~/modules/disbursements/disbursements.server";
import { actorFor } from "../fixtures/needs";
import { idemKey, needRow } from "../fixtures/pledging";
import { PAYEE_NAME, anotherFundedNeed, disbursementWorld, type DisbursementWorld } from "../fixtures/disbursements";

async function refusal(promise: Promise<unknown>): Promise<DisbursementError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DisbursementError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

function ask(w: DisbursementWorld, items: { needId: string; amountMinor: number }[], overrides: Partial<RequestDisbursementInput> = {}): RequestDisbursementInput {
  return { orgId: w.org.id, payeeId: w.payee.id, method: "bank_transfer", moneyAccountId: w.bankId, items, idempotencyKey: idemKey(), ...overrides };
}

/** What must not move when a request is refused. */
async function snapshot(w: DisbursementWorld) {
  const db = await getDb();
  const need = await needRow(w.need.id);
  return {
    batches: (await db.select().from(disbursementBatches).where(eq(disbursementBatches.orgId, w.org.id))).length,
    items: (await db.select().from(disbursements).where(eq(disbursements.orgId, w.org.id))).length,
    entries: (await db.select().from(ledgerEntries).where(eq(ledgerEntries.orgId, w.org.id))).length,
    need: { state: need.state, disbursed: need.disbursedMinor, paid: need.paidMinor },
    fund: await needFundBalance(db, w.need.id),
  };
}

const paidInput = (w: DisbursementWorld) => ({ paidDate: todayIn(w.org.timeZone), reference: "TRF-0001" });

describe("requesting a disbursement", () => {
  it("refuses more than the need's fund holds, changing nothing; the whole fund is accepted and numbered DSB-YYYY-NNNNNN", async () => {
    const w = await disbursementWorld({ targetMinor: 10_000, paidMinor: 6_000 });
    const db = await getDb();
    const before = await snapshot(w);
    const over = await refusal(requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 6_001 }])));
    expect(over.code).toBe("over_balance");
    expect(over.details.availableMinor).toBe(6_000);
    expect(await snapshot(w)).toEqual(before);
    const batch = await requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 6_000 }]));
    expect(batch).toMatchObject({ status: "requested", totalMinor: 6_000, currency: "USD" });
    expect(batch.number).toMatch(/^DSB-\d{4}-000001$/);
    const second = await refusal(requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 1 }])));
    expect(second.code).toBe("over_balance");
  });

  it("two batches together may not ask more than the fund: the second is refused until the first is rejected", async () => {
    const w = await disbursementWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const first = await requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 7_000 }]));
    expect((await fundsAvailable(db, w.org.id, { payeeId: w.payee.id, currency: "USD" }))[0]).toMatchObject({ fundMinor: 10_000, claimedMinor: 7_000, availableMinor: 3_000 });
    const before = await snapshot(w);
    const e = await refusal(requestDisbursement(db, actorFor(w.approver.id), ask(w, [{ needId: w.need.id, amountMinor: 3_001 }])));
    expect(e).toMatchObject({ code: "over_balance", details: { availableMinor: 3_000 } });
    expect(await snapshot(w)).toEqual(before);
    // At the same moment: two requests racing for the same money, only one passes.
    const racing = await Promise.allSettled([
      requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 2_000 }])),
      requestDisbursement(db, actorFor(w.approver.id), ask(w, [{ needId: w.need.id, amountMinor: 2_000 }])),
    ]);
    expect(racing.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    await rejectDisbursement(db, actorFor(w.approver.id), first.id, { reason: "wrong term" });
    const again = await requestDisbursement(db, actorFor(w.approver.id), ask(w, [{ needId: w.need.id, amountMinor: 8_000 }]));
    expect(again.status).toBe("requested");
  });

  it("the same idempotency key returns the first batch", async () => {
    const w = await disbursementWorld();
    const db = await getDb();
    const input = ask(w, [{ needId: w.need.id, amountMinor: 1_000 }]);
    const a = await requestDisbursement(db, actorFor(w.finance.id), input);
    const b = await requestDisbursement(db, actorFor(w.finance.id), input);
    expect(b.id).toBe(a.id);
    expect(await db.select().from(disbursementBatches).where(eq(disbursementBatches.orgId, w.org.id))).toHaveLength(1);
  });

  it("refuses a payee without approved bank details for a bank transfer, a cash box for a bank transfer, a caseworker", async () => {
    const w = await disbursementWorld();
    const db = await getDb();
    await db.update(payees).set({ detailsApprovedAt: null }).where(eq(payees.id, w.payee.id));
    expect((await refusal(requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 100 }])))).code).toBe("details_not_approved");
    expect((await refusal(requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 100 }], { method: "cash" })))).code).toBe("money_account_invalid");
    expect((await refusal(requestDisbursement(db, actorFor(w.author.id), ask(w, [{ needId: w.need.id, amountMinor: 100 }], { method: "cash" })))).code).toBe("not_allowed");
  });

  it("refuses another organisation's need, payee and batch", async () => {
    const w = await disbursementWorld();
    const other = await disbursementWorld();
    const db = await getDb();
    const before = await snapshot(w);
    expect((await refusal(requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: other.need.id, amountMinor: 100 }])))).code).toBe("need_not_found");
    expect((await refusal(requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 100 }], { payeeId: other.payee.id })))).code).toBe("payee_not_found");
    expect((await refusal(requestDisbursement(db, actorFor(w.finance.id), ask(other, [{ needId: other.need.id, amountMinor: 100 }])))).code).toBe("not_allowed");
    const theirs = await requestDisbursement(db, actorFor(other.finance.id), ask(other, [{ needId: other.need.id, amountMinor: 100 }]));
    expect((await refusal(approveDisbursement(db, actorFor(w.approver.id), theirs.id))).code).toBe("not_allowed");
    expect((await refusal(approveDisbursement(db, actorFor(w.approver.id), theirs.id, { orgId: w.org.id }))).code).toBe("batch_not_found");
    expect(await getDisbursement(db, w.org.id, theirs.id)).toBeNull();
    expect((await listDisbursements(db, w.org.id)).rows).toEqual([]);
    expect(await snapshot(w)).toEqual(before);
  });
});

describe("deciding", () => {
  it("the requester may not approve or reject their own batch — in the code and in the database", async () => {
    const w = await disbursementWorld();
    const db = await getDb();
    const batch = await requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 1_000 }]));
    expect((await refusal(approveDisbursement(db, actorFor(w.finance.id), batch.id))).code).toBe("four_eyes_same_person");
    expect((await refusal(rejectDisbursement(db, actorFor(w.finance.id), batch.id, { reason: "no" }))).code).toBe("four_eyes_same_person");
    // Around the module: the CHECK refuses it.
    await expect(
      db.update(disbursementBatches).set({ status: "approved", decidedBy: w.finance.id, decidedAt: new Date() }).where(eq(disbursementBatches.id, batch.id)),
    ).rejects.toSatisfy((e: unknown) => /disbursement_batches_four_eyes/.test(String((e as { cause?: unknown }).cause ?? e)));
    const [still] = await db.select().from(disbursementBatches).where(eq(disbursementBatches.id, batch.id));
    expect(still).toMatchObject({ status: "requested", decidedBy: null });
    // Paid requires approved.
    expect((await refusal(markDisbursementPaid(db, actorFor(w.approver.id), batch.id, paidInput(w)))).code).toBe("invalid_state");
    const approved = await approveDisbursement(db, actorFor(w.approver.id), batch.id);
    expect(approved).toMatchObject({ status: "approved", decidedBy: w.approver.id });
    expect((await approveDisbursement(db, actorFor(w.approver.id), batch.id)).status).toBe("approved");
  });

  it("a rejection needs a reason; a cancelled batch cannot be paid", async () => {
    const w = await disbursementWorld();
    const db = await getDb();
    const batch = await requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 1_000 }]));
    expect((await refusal(rejectDisbursement(db, actorFor(w.approver.id), batch.id, { reason: "  " }))).code).toBe("reason_required");
    await approveDisbursement(db, actorFor(w.approver.id), batch.id);
    await cancelDisbursement(db, actorFor(w.finance.id), batch.id);
    expect((await refusal(markDisbursementPaid(db, actorFor(w.finance.id), batch.id, paidInput(w)))).code).toBe("invalid_state");
    const audit = await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.entityType, "disbursement_batch"), eq(auditLog.entityId, batch.id)));
    expect(audit.map((a) => a.action).sort()).toEqual(["disbursement.approve", "disbursement.cancel", "disbursement.request"]);
  });
});

describe("marking paid", () => {
  it("posts Dr need fund / Cr bank once, pays the funded need out (→ disbursed), keeps the ledger sound and tells the donor the payee's kind, not its name", async () => {
    const w = await disbursementWorld({ targetMinor: 10_000, donorLocale: "en" });
    const db = await getDb();
    expect(w.need.state).toBe("funded");
    const batch = await requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 10_000 }]));
    await approveDisbursement(db, actorFor(w.approver.id), batch.id);
    const paid = await markDisbursementPaid(db, actorFor(w.finance.id), batch.id, paidInput(w));
    expect(paid).toMatchObject({ created: true, disbursedNeedIds: [w.need.id], emailsQueued: 1 });
    expect(paid.batch).toMatchObject({ status: "paid", paidReference: "TRF-0001", ledgerEntryId: paid.entryId });

    const [entry] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, paid.entryId));
    expect(entry).toMatchObject({ kind: "disbursement", idempotencyKey: `disbursement:${batch.id}` });
    const { postings } = await entryPostings(db, paid.entryId);
    expect(postings).toEqual([
      { account: { kind: "need_fund", needId: w.need.id }, amountMinor: 10_000 },
      { account: { kind: "bank", moneyAccountId: w.bankId }, amountMinor: -10_000 },
    ]);
    expect(await needFundBalance(db, w.need.id)).toBe(0);
    expect(await needRow(w.need.id)).toMatchObject({ state: "disbursed", disbursedMinor: 10_000, paidMinor: 10_000 });
    const [t] = await db.select().from(needTransitions).where(and(eq(needTransitions.needId, w.need.id), eq(needTransitions.action, "disburse")));
    expect(t).toMatchObject({ fromState: "funded", toState: "disbursed", actorId: w.finance.id });
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);

    const mails = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, w.donorEmail), eq(emailOutbox.template, "gift-delivered")));
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail.text).toContain("a school");
    expect(mail.text).toContain(w.need.titleEn!);
    for (const secret of [PAYEE_NAME, "LB00 1111", "Bank of Beirut", "فاطمة أحمد الحسن", "Yousef"]) {
      expect(mail.html).not.toContain(secret);
      expect(mail.text).not.toContain(secret);
      expect(mail.subject).not.toContain(secret);
    }

    // Again: nothing more (no second entry, no second email).
    const again = await markDisbursementPaid(db, actorFor(w.finance.id), batch.id, paidInput(w));
    expect(again).toMatchObject({ created: false, entryId: paid.entryId, emailsQueued: 0 });
    expect(await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.orgId, w.org.id), eq(ledgerEntries.kind, "disbursement")))).toHaveLength(1);
    expect(await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, w.donorEmail), eq(emailOutbox.template, "gift-delivered")))).toHaveLength(1);
  });

  it("an Arabic donor gets the Arabic email with the kind in Arabic", async () => {
    const w = await disbursementWorld({ donorLocale: "ar" });
    const db = await getDb();
    const batch = await requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 4_000 }]));
    await approveDisbursement(db, actorFor(w.approver.id), batch.id);
    const paid = await markDisbursementPaid(db, actorFor(w.approver.id), batch.id, paidInput(w));
    // Part of the fund left: the need stays funded.
    expect(paid.disbursedNeedIds).toEqual([]);
    expect(await needRow(w.need.id)).toMatchObject({ state: "funded", disbursedMinor: 4_000 });
    const [mail] = await db.select().from(emailOutbox).where(and(eq(emailOutbox.toAddress, w.donorEmail), eq(emailOutbox.template, "gift-delivered")));
    expect(mail.locale).toBe("ar");
    expect(mail.text).toContain("مدرسة");
    expect(mail.text).not.toContain(PAYEE_NAME);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("one batch pays several needs to one payee: one entry debiting each need's fund", async () => {
    const w = await disbursementWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const second = await anotherFundedNeed(w, 5_000);
    const third = await anotherFundedNeed(w, 8_000, 3_000);
    const available = await fundsAvailable(db, w.org.id, { payeeId: w.payee.id, currency: "USD" });
    expect(available.map((r) => r.availableMinor).sort((a, b) => a - b)).toEqual([3_000, 5_000, 10_000]);
    const batch = await requestDisbursement(
      db,
      actorFor(w.finance.id),
      ask(w, [
        { needId: w.need.id, amountMinor: 10_000 },
        { needId: second.id, amountMinor: 5_000 },
        { needId: third.id, amountMinor: 2_000 },
      ]),
    );
    expect(batch.totalMinor).toBe(17_000);
    await approveDisbursement(db, actorFor(w.approver.id), batch.id);
    const paid = await markDisbursementPaid(db, actorFor(w.finance.id), batch.id, paidInput(w));
    expect(paid.disbursedNeedIds.sort()).toEqual([w.need.id, second.id].sort());
    const { postings } = await entryPostings(db, paid.entryId);
    expect(postings).toHaveLength(4);
    expect(postings.find((p) => p.account.kind === "bank")!.amountMinor).toBe(-17_000);
    expect(await needRow(third.id)).toMatchObject({ state: "published", disbursedMinor: 2_000 });
    expect(await needFundBalance(db, third.id)).toBe(1_000);
    const view = await getDisbursement(db, w.org.id, batch.id);
    expect(view?.items).toHaveLength(3);
    expect(view?.entry?.postings).toHaveLength(4);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("is checked again when paid: money that left the fund meanwhile blocks the payment", async () => {
    const w = await disbursementWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const batch = await requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 9_000 }]));
    await approveDisbursement(db, actorFor(w.approver.id), batch.id);
    // Money leaves the fund behind the batch's back (as a refund would).
    await db.transaction(async (tx) => {
      await postEntry(tx, {
        orgId: w.org.id,
        currency: "USD",
        kind: "adjustment",
        idempotencyKey: `adj-${batch.id}`,
        memo: "test",
        actorUserId: null,
        valueDate: todayIn(w.org.timeZone),
        postings: [
          { account: { kind: "need_fund", needId: w.need.id }, amountMinor: 2_000 },
          { account: { kind: "unrestricted_fund" }, amountMinor: -2_000 },
        ],
      });
    });
    const e = await refusal(markDisbursementPaid(db, actorFor(w.finance.id), batch.id, paidInput(w)));
    expect(e).toMatchObject({ code: "over_balance", details: { availableMinor: 8_000 } });
    const [still] = await db.select().from(disbursementBatches).where(eq(disbursementBatches.id, batch.id));
    expect(still.status).toBe("approved");
    expect(await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.orgId, w.org.id), eq(ledgerEntries.kind, "disbursement")))).toHaveLength(0);
    expect((await needRow(w.need.id)).disbursedMinor).toBe(0);
  });

  it("refuses a date in the future and a blank reference", async () => {
    const w = await disbursementWorld();
    const db = await getDb();
    const batch = await requestDisbursement(db, actorFor(w.finance.id), ask(w, [{ needId: w.need.id, amountMinor: 1_000 }]));
    await approveDisbursement(db, actorFor(w.approver.id), batch.id);
    expect((await refusal(markDisbursementPaid(db, actorFor(w.finance.id), batch.id, { paidDate: "2999-01-01", reference: "x" }))).code).toBe("paid_date_future");
    expect((await refusal(markDisbursementPaid(db, actorFor(w.finance.id), batch.id, { paidDate: todayIn(w.org.timeZone), reference: " " }))).code).toBe("reference_invalid");
  });
});
