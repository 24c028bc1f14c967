import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, ledgerEntries, needs, needTransitions, orgPaymentDetails, payments, pledges, receipts, refunds } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { transitionNeed } from "~/modules/needs/needs.server";
import { todayIn } from "~/modules/needs/money";
import { createPledge, expirePledges } from "~/modules/pledging/pledges.server";
import { checkLedger, needFundBalance, paymentHoldings } from "~/modules/ledger/ledger.server";
import { addMember, createUser } from "../../../tests/fixtures/db";
import { actorFor } from "../../../tests/fixtures/needs";
import { idemKey, needRow, pledgeInput, pledgeWorld, publishedNeed } from "../../../tests/fixtures/pledging";
import { PaymentError } from "./errors";
import {
  attachPayment,
  closeDispute,
  confirmCashPayment,
  markDisputed,
  reallocatePayment,
  recordPayment,
  recordStripeRefund,
  rejectCashPayment,
  releasePledge,
  requestRefund,
  type RecordPaymentInput,
} from "./payments.server";

async function refusal(promise: Promise<unknown>): Promise<PaymentError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PaymentError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

type World = Awaited<ReturnType<typeof pledgeWorld>>;

function input(w: World, overrides: Partial<RecordPaymentInput> = {}): RecordPaymentInput {
  return { orgId: w.org.id, method: "bank_transfer", amountMinor: 1_000, currency: "USD", valueDate: todayIn(w.org.timeZone), idempotencyKey: idemKey(), ...overrides };
}

async function pledge(w: World, amountMinor: number, overrides = {}) {
  return (await createPledge(await getDb(), pledgeInput(w.need, { amountMinor, ...overrides }))).pledge;
}

async function pledgeRow(id: string) {
  const [row] = await (await getDb()).select().from(pledges).where(eq(pledges.id, id));
  return row;
}

/** What must not move when an input is refused. */
async function state(w: World) {
  const db = await getDb();
  const need = await needRow(w.need.id);
  return {
    need: { paid: need.paidMinor, reserved: need.reservedMinor, donors: need.donorCount, state: need.state },
    payments: (await db.select().from(payments).where(eq(payments.orgId, w.org.id))).length,
    entries: (await db.select().from(ledgerEntries).where(eq(ledgerEntries.orgId, w.org.id))).length,
    refunds: (await db.select().from(refunds).where(eq(refunds.orgId, w.org.id))).length,
  };
}

async function expectSound(orgId: string) {
  const check = await checkLedger(await getDb(), orgId);
  expect(check.problems).toEqual([]);
}

describe("recording money", () => {
  it("a part payment leaves the rest reserved; the second part pays the pledge; the donor is counted once", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const p = await pledge(w, 4_000);
    const first = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, amountMinor: 1_500, feeMinor: 50 }));
    expect(first).toMatchObject({ outcome: "recorded", surplusMinor: 0, funded: false });
    expect(await pledgeRow(p.id)).toMatchObject({ status: "pending", paidMinor: 1_500 });
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 1_500, reservedMinor: 2_500, donorCount: 1 });
    expect(await needFundBalance(db, w.need.id)).toBe(1_500);
    const second = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, amountMinor: 2_500 }));
    expect(second.outcome).toBe("recorded");
    expect(await pledgeRow(p.id)).toMatchObject({ status: "paid", paidMinor: 4_000 });
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 4_000, reservedMinor: 0, donorCount: 1 });
    // Each payment has its receipt.
    expect(await db.select().from(receipts).where(eq(receipts.orgId, w.org.id))).toHaveLength(2);
    await expectSound(w.org.id);
  });

  it("an over payment puts the surplus in the unrestricted fund", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const p = await pledge(w, 2_000);
    const r = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, amountMinor: 2_600 }));
    expect(r).toMatchObject({ outcome: "recorded", surplusMinor: 600 });
    const holdings = await paymentHoldings(db, r.payment.id);
    expect(holdings.map((h) => [h.account.kind, h.amountMinor]).sort()).toEqual([
      ["need_fund", 2_000],
      ["unrestricted_fund", 600],
    ]);
    await expectSound(w.org.id);
  });

  it("a card payment by the system (webhook) funds the need: the transition names no person", async () => {
    const w = await pledgeWorld({ targetMinor: 5_000 });
    const db = await getDb();
    const p = await pledge(w, 5_000, { method: "card", cardPayments: true });
    const r = await recordPayment(db, SYSTEM_ACTOR, input(w, { pledgeId: p.id, method: "card", amountMinor: 5_200, coverFeeMinor: 200, feeMinor: 180, externalId: "pi_123" }));
    expect(r).toMatchObject({ outcome: "recorded", funded: true, surplusMinor: 0 });
    expect(await needRow(w.need.id)).toMatchObject({ state: "funded", paidMinor: 5_000 });
    const [t] = await db.select().from(needTransitions).where(and(eq(needTransitions.needId, w.need.id), eq(needTransitions.action, "fund")));
    expect(t.actorId).toBeNull();
    // The same webhook again: one payment.
    const again = await recordPayment(db, SYSTEM_ACTOR, input(w, { pledgeId: p.id, method: "card", amountMinor: 5_200, coverFeeMinor: 200, feeMinor: 180, externalId: "pi_123" }));
    expect(again.outcome).toBe("already_recorded");
    await expectSound(w.org.id);
  });

  it("money with no pledge, an unknown reference or for a released pledge goes to suspense, flagged; attaching it later pays a pledge", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const none = await recordPayment(db, actorFor(w.finance.id), input(w, { amountMinor: 700, donorEmail: "x@example.test" }));
    expect(none).toMatchObject({ outcome: "suspense", flag: "unknown_pledge" });
    const unknown = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeReference: "TDM-0000-000", amountMinor: 300 }));
    expect(unknown).toMatchObject({ outcome: "suspense", flag: "unknown_pledge" });
    const gone = await pledge(w, 1_000);
    await expirePledges(db, new Date(Date.now() + 400 * 24 * 3600 * 1000));
    const late = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: gone.id, amountMinor: 1_000 }));
    expect(late).toMatchObject({ outcome: "suspense", flag: "paid_after_expired" });
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 0, reservedMinor: 0 });

    // Pledged again to the same need (it has room): the flag is resolved.
    const attached = await attachPayment(db, actorFor(w.finance.id), { paymentId: late.payment.id, pledgeReference: gone.reference, idempotencyKey: idemKey() });
    expect(attached.pledge).toMatchObject({ status: "paid", paidMinor: 1_000 });
    expect(attached.payment).toMatchObject({ allocation: "need_fund", needId: w.need.id });
    expect(attached.payment.flagResolvedAt).not.toBeNull();
    // Suspense money attached to a live pledge: what it cannot take goes to the unrestricted fund.
    const live = await pledge(w, 500);
    const a2 = await attachPayment(db, actorFor(w.finance.id), { paymentId: none.payment.id, pledgeReference: live.reference, idempotencyKey: idemKey() });
    expect(a2).toMatchObject({ surplusMinor: 200 });
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 1_500, reservedMinor: 0, donorCount: 2 });
    await expectSound(w.org.id);
  });

  it("the same external id: the same amounts are one payment, other amounts are refused", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const p = await pledge(w, 2_000);
    await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, amountMinor: 1_000, externalId: "FT-1" }));
    expect((await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, amountMinor: 1_000, externalId: "FT-1" }))).outcome).toBe("already_recorded");
    const before = await state(w);
    expect((await refusal(recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, amountMinor: 900, externalId: "FT-1" })))).code).toBe("duplicate_external_id");
    expect(await state(w)).toEqual(before);
  });

  it("cash at the threshold waits for a second finance person (four-eyes, also in the database)", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    await db.update(orgPaymentDetails).set({ cashFourEyesMinor: 5_000 }).where(eq(orgPaymentDetails.orgId, w.org.id));
    const second = await createUser();
    await addMember(w.org.id, second.id, "finance");
    const p = await pledge(w, 6_000, { method: "cash" });
    const small = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, method: "cash", amountMinor: 1_000 }));
    expect(small.outcome).toBe("recorded");
    const big = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, method: "cash", amountMinor: 5_000 }));
    expect(big.outcome).toBe("awaiting_confirmation");
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 1_000 });
    const before = await state(w);
    expect((await refusal(confirmCashPayment(db, actorFor(w.finance.id), big.payment.id))).code).toBe("four_eyes_same_person");
    await expect(db.update(payments).set({ confirmedBy: w.finance.id }).where(eq(payments.id, big.payment.id))).rejects.toThrow();
    expect(await state(w)).toEqual(before);
    const confirmed = await confirmCashPayment(db, actorFor(second.id), big.payment.id);
    expect(confirmed.outcome).toBe("recorded");
    expect(await pledgeRow(p.id)).toMatchObject({ status: "paid", paidMinor: 6_000 });
    // Another big one is rejected by the second person: nothing booked.
    const third = await recordPayment(db, actorFor(w.finance.id), input(w, { method: "cash", amountMinor: 9_000 }));
    expect(third.outcome).toBe("awaiting_confirmation");
    expect((await rejectCashPayment(db, actorFor(second.id), third.payment.id, "no such envelope")).status).toBe("rejected");
    await expectSound(w.org.id);
  });

  it("bad input is refused with a code and changes nothing", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const p = await pledge(w, 2_000);
    const stranger = await createUser();
    const before = await state(w);
    const codes: string[] = [];
    for (const bad of [
      { amountMinor: 0 },
      { amountMinor: -5 },
      { amountMinor: Number.NaN },
      { amountMinor: 10.5 },
      { feeMinor: 1_000 },
      { currency: "EUR" },
      { currency: "dollars" },
      { valueDate: "2999-01-01" },
      { valueDate: "2026-02-30" },
      { method: "cheque" as never },
    ]) {
      codes.push((await refusal(recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, ...bad })))).code);
    }
    codes.push((await refusal(recordPayment(db, actorFor(stranger.id), input(w, { pledgeId: p.id })))).code);
    codes.push((await refusal(recordPayment(db, SYSTEM_ACTOR, input(w, { pledgeId: p.id })))).code);
    expect(codes).toEqual([
      "amount_invalid",
      "amount_invalid",
      "amount_invalid",
      "amount_invalid",
      "fee_invalid",
      "currency_mismatch",
      "currency_invalid",
      "value_date_future",
      "value_date_invalid",
      "method_invalid",
      "not_allowed",
      "not_allowed",
    ]);
    expect(await state(w)).toEqual(before);
  });
});

describe("refunds, reallocation, releases", () => {
  it("an offline refund: never more than paid; the pledge and the need go down; the need leaves funded", async () => {
    const w = await pledgeWorld({ targetMinor: 3_000 });
    const db = await getDb();
    const p = await pledge(w, 3_000);
    const paid = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, amountMinor: 3_000 }));
    expect(await needRow(w.need.id)).toMatchObject({ state: "funded" });
    const before = await state(w);
    expect((await refusal(requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 3_001, idempotencyKey: idemKey() }))).code).toBe("refund_too_large");
    expect((await refusal(requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 0, idempotencyKey: idemKey() }))).code).toBe("amount_invalid");
    expect(await state(w)).toEqual(before);
    const r = await requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 1_000, idempotencyKey: idemKey(), offlineReference: "cash back" });
    expect(r.status).toBe("succeeded");
    expect(await pledgeRow(p.id)).toMatchObject({ status: "part_paid", paidMinor: 2_000 });
    expect(await needRow(w.need.id)).toMatchObject({ state: "published", paidMinor: 2_000, reservedMinor: 0, donorCount: 1 });
    await requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 2_000, idempotencyKey: idemKey(), offlineReference: "rest" });
    expect(await pledgeRow(p.id)).toMatchObject({ status: "refunded", paidMinor: 0 });
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 0, donorCount: 0 });
    const [pay] = await db.select().from(payments).where(eq(payments.id, paid.payment.id));
    expect(pay).toMatchObject({ status: "refunded", refundedMinor: 3_000 });
    expect(await db.select().from(receipts).where(and(eq(receipts.paymentId, pay.id), eq(receipts.kind, "credit_note")))).toHaveLength(2);
    await expectSound(w.org.id);
  });

  it("a card refund through Stripe (succeeded at once, or pending then settled by charge.refunded, once), a dashboard refund, a lost dispute", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const p = await pledge(w, 6_000, { method: "card", cardPayments: true });
    const paid = await recordPayment(db, SYSTEM_ACTOR, input(w, { pledgeId: p.id, method: "card", amountMinor: 6_000, feeMinor: 200, externalId: "pi_card" }));
    const calls: unknown[] = [];
    const ok = await requestRefund(db, actorFor(w.finance.id), {
      paymentId: paid.payment.id,
      amountMinor: 1_000,
      idempotencyKey: idemKey(),
      stripeRefund: async (args) => (calls.push(args), { id: "re_1", status: "succeeded" }),
    });
    expect(ok).toMatchObject({ status: "succeeded", stripeRefundId: "re_1" });
    expect(calls).toEqual([expect.objectContaining({ paymentIntentId: "pi_card", stripeAmount: 1_000 })]);
    const pending = await requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 500, idempotencyKey: idemKey(), stripeRefund: async () => ({ id: "re_2", status: "pending" }) });
    expect(pending.status).toBe("pending");
    const event = { paymentIntentId: "pi_card", stripeRefundId: "re_2", amountMinor: 500, currency: "USD", eventId: "evt_1" };
    expect(await recordStripeRefund(db, SYSTEM_ACTOR, event)).toBe("recorded");
    expect(await recordStripeRefund(db, SYSTEM_ACTOR, event)).toBe("already");
    expect(await recordStripeRefund(db, SYSTEM_ACTOR, { ...event, paymentIntentId: "pi_nobody", stripeRefundId: "re_x" })).toBe("payment_unknown");
    // Refunded in Stripe's dashboard.
    expect(await recordStripeRefund(db, SYSTEM_ACTOR, { ...event, stripeRefundId: "re_3", amountMinor: 500, eventId: "evt_2" })).toBe("recorded");
    expect(await pledgeRow(p.id)).toMatchObject({ paidMinor: 4_000, status: "part_paid" });
    // A refused Stripe refund changes nothing.
    const before = await state(w);
    expect((await refusal(requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 100, idempotencyKey: idemKey(), stripeRefund: async () => { throw new Error("card_declined"); } }))).code).toBe("stripe_failed");
    expect(await state(w)).toEqual(before);
    expect(await markDisputed(db, SYSTEM_ACTOR, { paymentIntentId: "pi_card", disputeId: "dp_1" })).toBe("flagged");
    expect(await markDisputed(db, SYSTEM_ACTOR, { paymentIntentId: "pi_card", disputeId: "dp_1" })).toBe("already");
    expect(await closeDispute(db, SYSTEM_ACTOR, { paymentIntentId: "pi_card", disputeId: "dp_1", won: false, eventId: "evt_3" })).toBe("closed");
    expect(await closeDispute(db, SYSTEM_ACTOR, { paymentIntentId: "pi_card", disputeId: "dp_1", won: false, eventId: "evt_3" })).toBe("already");
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 0, donorCount: 0 });
    expect((await db.select().from(payments).where(eq(payments.id, paid.payment.id)))[0]).toMatchObject({ status: "refunded", flag: "dispute_lost" });
    await expectSound(w.org.id);
  });

  it("a cancelled need's money moves to another need within its room, or to the unrestricted fund; never to another organisation or currency", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const other = await publishedNeed(w, { targetMinor: 2_000 });
    const p = await pledge(w, 4_000);
    const paid = await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: p.id, amountMinor: 3_000 }));
    await transitionNeed(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, action: "cancel", reason: "Solved elsewhere" });
    const elsewhere = await pledgeWorld({ targetMinor: 10_000 });
    const inEuro = await publishedNeed(w, { targetMinor: 5_000 });
    await db.update(needs).set({ currency: "EUR" }).where(eq(needs.id, inEuro.id));
    const before = await state(w);
    const move = (needId: string, amountMinor?: number) =>
      refusal(reallocatePayment(db, actorFor(w.finance.id), { paymentId: paid.payment.id, to: { needId }, idempotencyKey: idemKey(), amountMinor }));
    expect((await move(elsewhere.need.id)).code).toBe("other_org_need");
    expect((await move(inEuro.id)).code).toBe("other_currency_need");
    expect((await move(other.id)).code).toBe("need_full");
    expect((await move(other.id, 3_001)).code).toBe("amount_invalid");
    expect(await state(w)).toEqual(before);

    const moved = await reallocatePayment(db, actorFor(w.finance.id), { paymentId: paid.payment.id, to: { needId: other.id }, idempotencyKey: idemKey(), amountMinor: 2_000 });
    expect(moved).toMatchObject({ movedMinor: 2_000, funded: true });
    expect(await needRow(other.id)).toMatchObject({ paidMinor: 2_000, state: "funded" });
    await reallocatePayment(db, actorFor(w.finance.id), { paymentId: paid.payment.id, to: "unrestricted", idempotencyKey: idemKey() });
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 0, donorCount: 0 });
    expect(await needFundBalance(db, w.need.id)).toBe(0);
    // Money moved to another need belongs to it now: a refund takes only what is still the payment's own.
    const settled = await state(w);
    expect((await refusal(requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 3_000, idempotencyKey: idemKey(), offlineReference: "x" }))).code).toBe("refund_too_large");
    expect(await state(w)).toEqual(settled);
    await requestRefund(db, actorFor(w.finance.id), { paymentId: paid.payment.id, amountMinor: 1_000, idempotencyKey: idemKey(), offlineReference: "returned" });
    expect(await needRow(other.id)).toMatchObject({ paidMinor: 2_000, state: "funded" });
    await expectSound(w.org.id);
  });

  it("expiry and finance release a part-paid pledge as part_paid (the rest released); the system may release a card checkout", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const a = await pledge(w, 3_000);
    await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: a.id, amountMinor: 1_000 }));
    await expirePledges(db, new Date(Date.now() + 400 * 24 * 3600 * 1000));
    expect(await pledgeRow(a.id)).toMatchObject({ status: "part_paid", paidMinor: 1_000 });
    const b = await pledge(w, 2_000);
    await recordPayment(db, actorFor(w.finance.id), input(w, { pledgeId: b.id, amountMinor: 500 }));
    expect((await refusal(releasePledge(db, SYSTEM_ACTOR, b.id, { reason: "released_by_finance" }))).code).toBe("not_allowed");
    expect(await releasePledge(db, actorFor(w.finance.id), b.id, { reason: "released_by_finance" })).toMatchObject({ status: "part_paid" });
    const c = await pledge(w, 1_000, { method: "card", cardPayments: true });
    expect(await releasePledge(db, SYSTEM_ACTOR, c.id, { reason: "checkout_expired" })).toMatchObject({ status: "expired" });
    expect(await needRow(w.need.id)).toMatchObject({ paidMinor: 1_500, reservedMinor: 0, donorCount: 2 });
    const audit = await db.select().from(auditLog).where(and(eq(auditLog.entityId, c.id), eq(auditLog.action, "pledge.release")));
    expect(audit[0].actorUserId).toBeNull();
    await expectSound(w.org.id);
  });
});
