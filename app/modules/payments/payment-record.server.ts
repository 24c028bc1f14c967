import { and, eq } from "drizzle-orm";
import { type Db, type Tx } from "#db/client.server";
import { moneyAccounts, needs, orgPaymentDetails, payments, pledges } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { SUSPENSE, need as needFund, paymentPostings } from "~/modules/ledger/ledger";
import { postEntry } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { type Pledge } from "~/modules/pledging/pledges.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { issueReceipt } from "~/modules/receipts/receipts.server";
import { PaymentError } from "./errors";
import { type Need, type Payment, type PaymentFlag, type PaymentMethod, UUID, PAYABLE, OPEN_NEED, METHODS, ASSET_KIND, requireFinance, lockPledgeById, lockPaymentContext, orgOf, validDay, positiveMinor, checkKey, ensureDefaultMoneyAccount, assetOf, putIntoNeed, flagFor, fundAccountOf } from "./payment-steps.server";

/** Recording money that arrived: offline payments by finance, card payments by the webhook; cash above the threshold confirmed by a second person. */
// ---------------------------------------------------------------- record

export type RecordPaymentInput = {
  orgId: string;
  /** The pledge it pays: by id (finance chose it) or by reference (as the bank shows it); neither → suspense. */
  pledgeId?: string | null;
  pledgeReference?: string | null;
  method: PaymentMethod;
  /** Offline: the money account it arrived in (default: the method's default account of the currency). */
  moneyAccountId?: string | null;
  /** Gross, in the app's minor units: what the donor gave (fee and fee cover included). */
  amountMinor: number;
  feeMinor?: number;
  coverFeeMinor?: number;
  currency: string;
  /** YYYY-MM-DD, not in the future in the organisation's time zone. */
  valueDate: string;
  externalId?: string | null;
  proofDocumentId?: string | null;
  note?: string | null;
  idempotencyKey: string;
  donorEmail?: string | null;
  donorName?: string | null;
  locale?: "ar" | "en";
  origin?: string;
  now?: Date;
  /**
   * Set only by reconciliation's automatic statement matching (app/modules/reconciliation): lets
   * SYSTEM_ACTOR record a bank transfer the bank statement proves arrived.
   */
  statementMatch?: boolean;
};

export type RecordPaymentResult =
  | { outcome: "recorded"; payment: Payment; pledge: Pledge | null; funded: boolean; receiptId: string | null; surplusMinor: number }
  | { outcome: "already_recorded"; payment: Payment }
  | { outcome: "awaiting_confirmation"; payment: Payment }
  | { outcome: "suspense"; payment: Payment; flag: PaymentFlag };

/**
 * Books a confirmed payment: the ledger entry (money account or Stripe, fee, the need's fund up to
 * what the pledge still expects, the rest to the unrestricted fund, the fee cover apart; suspense
 * when nobody can say what it is for), the pledge and need counters, `funded` at the target, the
 * receipt. The caller holds the locks (need → pledge → payment).
 */
async function bookPayment(
  tx: Tx,
  actor: Actor,
  payment: Payment,
  ctx: { pledge: Pledge | null; need: Need | null; unknownReference: boolean; now: Date; origin?: string },
): Promise<RecordPaymentResult> {
  const { pledge, need, now } = ctx;
  if (pledge?.kind === "fund") return bookFundPayment(tx, actor, payment, { pledge, now, origin: ctx.origin });
  const gift = payment.amountMinor - payment.coverFeeMinor;
  let flag: PaymentFlag | null = null;
  let applied = 0;
  if (!pledge || !need) flag = "unknown_pledge";
  else if (!PAYABLE.includes(pledge.status) && pledge.status !== "paid") flag = flagFor(pledge, need);
  else if (PAYABLE.includes(pledge.status) && !OPEN_NEED.includes(need.state)) flag = flagFor(pledge, need);
  else applied = Math.min(gift, pledge.amountMinor - pledge.paidMinor);
  const suspense = flag !== null;
  const surplus = suspense ? 0 : gift - applied;
  // A zakat pledge's surplus stays zakat: it goes to the zakat fund, not the unrestricted one.
  const fund = fundAccountOf(pledge);
  const target = suspense ? SUSPENSE : applied > 0 ? needFund(need!.id) : fund;
  const postings = paymentPostings({
    asset: assetOf(payment),
    grossMinor: payment.amountMinor,
    feeMinor: payment.feeMinor,
    coverFeeMinor: payment.coverFeeMinor,
    surplusMinor: target === fund ? 0 : surplus,
    surplusAccount: fund,
    target,
  });
  const { entryId } = await postEntry(tx, {
    orgId: payment.orgId,
    currency: payment.currency,
    kind: "payment",
    idempotencyKey: `payment:${payment.id}`,
    memo: `${payment.method} payment${pledge ? ` ${pledge.reference}` : ""}${payment.externalId ? ` (${payment.externalId})` : ""}${suspense ? " to suspense" : ""}`,
    actorUserId: actor.userId,
    valueDate: payment.valueDate,
    paymentId: payment.id,
    pledgeId: pledge?.id ?? null,
    needId: applied > 0 ? need!.id : null,
    postings,
  });
  let updatedPledge = pledge;
  let funded = false;
  if (applied > 0) ({ pledge: updatedPledge, funded } = await putIntoNeed(tx, actor, { needId: need!.id, amountMinor: applied, pledge, now }));
  if (suspense && pledge && (pledge.status === "cancelled" || pledge.status === "expired")) {
    // Kept on the pledge too, as before the ledger: finance lists such pledges.
    [updatedPledge] = await tx
      .update(pledges)
      .set({
        financeFlag: pledge.financeFlag ?? (flag === "paid_after_cancelled" ? "paid_after_cancelled" : "paid_after_expired"),
        latePaidMinor: (pledge.latePaidMinor ?? 0) + gift,
        paidAt: pledge.paidAt ?? now,
        updatedAt: now,
      })
      .where(eq(pledges.id, pledge.id))
      .returning();
  }
  const [booked] = await tx
    .update(payments)
    .set({
      status: "succeeded",
      ledgerEntryId: entryId,
      surplusMinor: surplus,
      allocation: suspense ? "suspense" : applied > 0 ? "need_fund" : fund.kind === "zakat_fund" ? "zakat_fund" : "unrestricted_fund",
      needId: applied > 0 ? need!.id : null,
      flag,
      locale: pledge?.locale ?? payment.locale,
      updatedAt: now,
    })
    .where(eq(payments.id, payment.id))
    .returning();
  if (pledge && updatedPledge && applied > 0) {
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: updatedPledge.status === "paid" ? "pledge.paid" : "pledge.part_payment",
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, from: pledge.status, to: updatedPledge.status, appliedMinor: applied, paidMinor: updatedPledge.paidMinor, currency: pledge.currency, paymentId: payment.id },
    });
  } else if (pledge && suspense) {
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: "pledge.paid_after_release",
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, status: pledge.status, flag, amountMinor: gift, currency: pledge.currency, paymentId: payment.id },
    });
  }
  const receipt = await issueReceipt(tx, { paymentId: payment.id, now, origin: ctx.origin });
  await recordAudit(tx, actor, {
    orgId: payment.orgId,
    action: "payment.record",
    entityType: "payment",
    entityId: payment.id,
    change: {
      method: payment.method,
      amountMinor: payment.amountMinor,
      feeMinor: payment.feeMinor,
      coverFeeMinor: payment.coverFeeMinor,
      currency: payment.currency,
      valueDate: payment.valueDate,
      pledge: pledge?.reference ?? null,
      appliedMinor: applied,
      surplusMinor: surplus,
      flag,
      receipt: receipt.number,
    },
  });
  if (suspense) return { outcome: "suspense", payment: booked, flag: flag! };
  return { outcome: "recorded", payment: booked, pledge: updatedPledge, funded, receiptId: receipt.id, surplusMinor: surplus };
}

/**
 * A fund pledge's money (issue 12): all of the gift goes to the organisation's solidarity fund —
 * the zakat fund for zakat — whatever the pledge's status (the donor's intent does not expire with
 * the reference), for the allocator to give to needs within the pledge's restrictions. The pledge
 * counts it (`paid` once covered); no need moves; the receipt names the fund.
 */
async function bookFundPayment(tx: Tx, actor: Actor, payment: Payment, ctx: { pledge: Pledge; now: Date; origin?: string }): Promise<RecordPaymentResult> {
  const { pledge, now } = ctx;
  const gift = payment.amountMinor - payment.coverFeeMinor;
  const fund = fundAccountOf(pledge);
  const { entryId } = await postEntry(tx, {
    orgId: payment.orgId,
    currency: payment.currency,
    kind: "payment",
    idempotencyKey: `payment:${payment.id}`,
    memo: `${payment.method} payment ${pledge.reference} to the ${pledge.zakat ? "zakat" : "solidarity"} fund${payment.externalId ? ` (${payment.externalId})` : ""}`,
    actorUserId: actor.userId,
    valueDate: payment.valueDate,
    paymentId: payment.id,
    pledgeId: pledge.id,
    needId: null,
    postings: paymentPostings({ asset: assetOf(payment), grossMinor: payment.amountMinor, feeMinor: payment.feeMinor, coverFeeMinor: payment.coverFeeMinor, target: fund }),
  });
  const paidMinor = pledge.paidMinor + gift;
  const live = PAYABLE.includes(pledge.status);
  const status: Pledge["status"] = paidMinor >= pledge.amountMinor ? "paid" : live ? pledge.status : "part_paid";
  const [updatedPledge] = await tx.update(pledges).set({ paidMinor, status, paidAt: now, updatedAt: now }).where(eq(pledges.id, pledge.id)).returning();
  const [booked] = await tx
    .update(payments)
    .set({ status: "succeeded", ledgerEntryId: entryId, surplusMinor: 0, allocation: fund.kind === "zakat_fund" ? "zakat_fund" : "unrestricted_fund", needId: null, flag: null, locale: pledge.locale, updatedAt: now })
    .where(eq(payments.id, payment.id))
    .returning();
  await recordAudit(tx, actor, {
    orgId: pledge.orgId,
    action: updatedPledge!.status === "paid" ? "pledge.paid" : "pledge.part_payment",
    entityType: "pledge",
    entityId: pledge.id,
    change: { reference: pledge.reference, from: pledge.status, to: updatedPledge!.status, appliedMinor: gift, paidMinor, currency: pledge.currency, paymentId: payment.id, fund: fund.kind },
  });
  const receipt = await issueReceipt(tx, { paymentId: payment.id, now, origin: ctx.origin });
  await recordAudit(tx, actor, {
    orgId: payment.orgId,
    action: "payment.record",
    entityType: "payment",
    entityId: payment.id,
    change: { method: payment.method, amountMinor: payment.amountMinor, feeMinor: payment.feeMinor, coverFeeMinor: payment.coverFeeMinor, currency: payment.currency, valueDate: payment.valueDate, pledge: pledge.reference, appliedMinor: gift, surplusMinor: 0, flag: null, receipt: receipt.number },
  });
  return { outcome: "recorded", payment: booked!, pledge: updatedPledge!, funded: false, receiptId: receipt.id, surplusMinor: 0 };
}

/**
 * Records money that arrived (decision 056): a card payment (the Stripe webhook, as the system) or
 * an offline one recorded by finance. Part, whole or over payment of a pledge (the surplus to the
 * unrestricted fund); money with no usable pledge to suspense, flagged. Refused (nothing changed):
 * a bad amount or fee, another currency than the pledge's, a value date in the future (in the
 * organisation's time zone), the same external id with other amounts. Cash at or over the
 * organisation's threshold waits for a second finance person (four-eyes) before it is booked.
 */
export async function recordPayment(db: Db, actor: Actor, input: RecordPaymentInput): Promise<RecordPaymentResult> {
  const now = input.now ?? new Date();
  if (!METHODS.includes(input.method)) throw new PaymentError("method_invalid");
  if (!positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  const feeMinor = input.feeMinor ?? 0;
  const coverFeeMinor = input.coverFeeMinor ?? 0;
  if (!Number.isSafeInteger(feeMinor) || feeMinor < 0 || feeMinor >= input.amountMinor) throw new PaymentError("fee_invalid");
  if (!Number.isSafeInteger(coverFeeMinor) || coverFeeMinor < 0 || coverFeeMinor >= input.amountMinor) throw new PaymentError("fee_invalid");
  const currency = typeof input.currency === "string" ? input.currency.trim().toUpperCase() : "";
  if (!/^[A-Z]{3}$/.test(currency)) throw new PaymentError("currency_invalid");
  if (!validDay(input.valueDate)) throw new PaymentError("value_date_invalid");
  const key = checkKey(input.idempotencyKey);
  const externalId = input.externalId?.trim() ? input.externalId.trim().slice(0, 200) : null;
  if (input.pledgeId && !UUID.test(input.pledgeId)) throw new PaymentError("pledge_not_found");
  if (input.moneyAccountId && !UUID.test(input.moneyAccountId)) throw new PaymentError("money_account_invalid");

  return db.transaction(async (tx): Promise<RecordPaymentResult> => {
    await requireFinance(tx, actor, input.orgId, input.method === "card" || (input.statementMatch === true && input.method === "bank_transfer"));
    const org = await orgOf(tx, input.orgId);

    // The pledge: locked need → pledge. A reference nobody knows (or of another organisation) is money for suspense.
    let pledge: Pledge | null = null;
    let need: Need | null = null;
    let unknownReference = false;
    if (input.pledgeId) {
      ({ pledge, need } = await lockPledgeById(tx, input.pledgeId));
      if (pledge.orgId !== org.id) throw new PaymentError("pledge_not_found");
    } else if (input.pledgeReference) {
      const reference = normalizeReference(input.pledgeReference);
      const [peek] = reference ? await tx.select({ id: pledges.id }).from(pledges).where(and(eq(pledges.reference, reference), eq(pledges.orgId, org.id))).limit(1) : [];
      if (peek) ({ pledge, need } = await lockPledgeById(tx, peek.id));
      else unknownReference = true;
    }

    // A retry of the same request finds the first payment.
    const [same] = await tx.select().from(payments).where(eq(payments.idempotencyKey, key)).limit(1);
    if (same) {
      if (same.orgId !== org.id) throw new PaymentError("idempotency_conflict");
      return { outcome: "already_recorded", payment: same };
    }
    if (pledge && currency !== pledge.currency) throw new PaymentError("currency_mismatch", { currency: pledge.currency });
    if (pledge?.method === "delivery") throw new PaymentError("invalid_state", { state: pledge.status });
    if (input.valueDate > todayIn(org.timeZone, now)) throw new PaymentError("value_date_future");
    if (externalId) {
      const [dup] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.orgId, org.id), eq(payments.method, input.method), eq(payments.externalId, externalId)))
        .limit(1);
      if (dup) return sameRecord(dup, { amountMinor: input.amountMinor, feeMinor, coverFeeMinor, currency, pledgeId: pledge?.id ?? null });
    }

    let moneyAccountId: string | null = null;
    if (input.method !== "card") {
      const kind = ASSET_KIND[input.method];
      if (input.moneyAccountId) {
        const [account] = await tx.select().from(moneyAccounts).where(and(eq(moneyAccounts.id, input.moneyAccountId), eq(moneyAccounts.orgId, org.id))).limit(1);
        if (!account || account.kind !== kind || !account.active) throw new PaymentError("money_account_invalid");
        if (account.currency !== currency) throw new PaymentError("currency_mismatch", { currency: account.currency });
        moneyAccountId = account.id;
      } else {
        // Money nobody can place must at least be in a currency the organisation keeps.
        if (!pledge && currency !== org.defaultCurrency) {
          const [kept] = await tx.select({ id: moneyAccounts.id }).from(moneyAccounts).where(and(eq(moneyAccounts.orgId, org.id), eq(moneyAccounts.currency, currency))).limit(1);
          if (!kept) throw new PaymentError("currency_mismatch", { currency: org.defaultCurrency });
        }
        moneyAccountId = await ensureDefaultMoneyAccount(tx, org.id, kind, currency);
      }
    } else if (!pledge && currency !== org.defaultCurrency && !unknownReference) {
      throw new PaymentError("currency_mismatch", { currency: org.defaultCurrency });
    }

    const [details] = await tx.select({ threshold: orgPaymentDetails.cashFourEyesMinor }).from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, org.id)).limit(1);
    const threshold = details?.threshold ?? null;
    const fourEyes = input.method === "cash" && threshold !== null && (currency !== org.defaultCurrency || input.amountMinor >= threshold);

    const [payment] = await tx
      .insert(payments)
      .values({
        orgId: org.id,
        pledgeId: pledge?.id ?? null,
        needId: null,
        method: input.method,
        moneyAccountId,
        amountMinor: input.amountMinor,
        feeMinor,
        coverFeeMinor,
        surplusMinor: 0,
        currency,
        valueDate: input.valueDate,
        recordedAt: now,
        recordedBy: actor.userId,
        externalId,
        proofDocumentId: input.proofDocumentId ?? null,
        note: input.note?.trim() ? input.note.trim().slice(0, 2000) : null,
        status: fourEyes ? "awaiting_confirmation" : "succeeded",
        allocation: "suspense",
        locale: pledge?.locale ?? input.locale ?? "ar",
        donorEmail: input.donorEmail?.trim().toLowerCase() || null,
        donorName: input.donorName?.trim() || null,
        idempotencyKey: key,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!payment) {
      // Another officer recorded it at the same moment (same key or same external id): theirs stands.
      const [first] = await tx.select().from(payments).where(eq(payments.idempotencyKey, key)).limit(1);
      if (first) return { outcome: "already_recorded", payment: first };
      const [dup] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.orgId, org.id), eq(payments.method, input.method), eq(payments.externalId, externalId ?? "")))
        .limit(1);
      if (dup) return sameRecord(dup, { amountMinor: input.amountMinor, feeMinor, coverFeeMinor, currency, pledgeId: pledge?.id ?? null });
      throw new PaymentError("duplicate_external_id");
    }
    if (fourEyes) {
      await recordAudit(tx, actor, {
        orgId: org.id,
        action: "payment.record_unconfirmed",
        entityType: "payment",
        entityId: payment.id,
        change: { method: payment.method, amountMinor: payment.amountMinor, currency, valueDate: payment.valueDate, pledge: pledge?.reference ?? null, threshold },
      });
      return { outcome: "awaiting_confirmation", payment };
    }
    return bookPayment(tx, actor, payment, { pledge, need, unknownReference, now, origin: input.origin });
  });
}

/** The same external id again: the same record (a retry) if the amounts agree, else a refusal. */

function sameRecord(
  existing: Payment,
  input: { amountMinor: number; feeMinor: number; coverFeeMinor: number; currency: string; pledgeId: string | null },
): RecordPaymentResult {
  const same =
    existing.amountMinor === input.amountMinor &&
    existing.feeMinor === input.feeMinor &&
    existing.coverFeeMinor === input.coverFeeMinor &&
    existing.currency === input.currency &&
    (input.pledgeId === null || existing.pledgeId === input.pledgeId);
  if (!same) throw new PaymentError("duplicate_external_id");
  return { outcome: "already_recorded", payment: existing };
}

/** A second finance person confirms cash recorded at or over the threshold: it is booked now. */
export async function confirmCashPayment(db: Db, actor: Actor, paymentId: string, options: { now?: Date; origin?: string } = {}): Promise<RecordPaymentResult> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx): Promise<RecordPaymentResult> => {
    const { payment, pledge } = await lockPaymentContext(tx, paymentId);
    await requireFinance(tx, actor, payment.orgId);
    if (payment.status !== "awaiting_confirmation") {
      if (payment.confirmedBy && payment.status !== "rejected") return { outcome: "already_recorded", payment };
      throw new PaymentError("invalid_state", { state: payment.status });
    }
    if (payment.recordedBy === actor.userId) throw new PaymentError("four_eyes_same_person");
    const [confirmed] = await tx
      .update(payments)
      .set({ confirmedBy: actor.userId, confirmedAt: now, updatedAt: now })
      .where(eq(payments.id, payment.id))
      .returning();
    const need = pledge?.needId ? (await tx.select().from(needs).where(eq(needs.id, pledge.needId)))[0] ?? null : null;
    await recordAudit(tx, actor, { orgId: payment.orgId, action: "payment.confirm", entityType: "payment", entityId: payment.id, change: { recordedBy: payment.recordedBy } });
    return bookPayment(tx, actor, confirmed, { pledge, need, unknownReference: false, now, origin: options.origin });
  });
}

/** The second finance person refuses an unconfirmed cash record: nothing is booked. */
export async function rejectCashPayment(db: Db, actor: Actor, paymentId: string, reason: string, now: Date = new Date()): Promise<Payment> {
  return db.transaction(async (tx) => {
    const { payment } = await lockPaymentContext(tx, paymentId);
    await requireFinance(tx, actor, payment.orgId);
    if (payment.status !== "awaiting_confirmation") throw new PaymentError("invalid_state", { state: payment.status });
    if (payment.recordedBy === actor.userId) throw new PaymentError("four_eyes_same_person");
    const [rejected] = await tx
      .update(payments)
      .set({ status: "rejected", confirmedBy: actor.userId, confirmedAt: now, updatedAt: now })
      .where(eq(payments.id, payment.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: "payment.reject",
      entityType: "payment",
      entityId: payment.id,
      change: { reason: String(reason ?? "").slice(0, 500), amountMinor: payment.amountMinor, currency: payment.currency },
    });
    return rejected;
  });
}
