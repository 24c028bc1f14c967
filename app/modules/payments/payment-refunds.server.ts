import { eq } from "drizzle-orm";
import { type Db, type Tx } from "#db/client.server";
import { payments, refunds } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { STRIPE, paidOutPostings, refundRequestPostings, refundSettlePostings } from "~/modules/ledger/ledger";
import { postEntry } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { issueCreditNote } from "~/modules/receipts/receipts.server";
import { PaymentError } from "./errors";
import { toStripeAmount } from "./stripe-currency";
import { type Payment, type Refund, UUID, requireFinance, lockPaymentContext, orgOf, positiveMinor, checkKey, assetOf, statusAfterRefunds, IN_LEDGER, drawBack, cardPaymentByIntent } from "./payment-steps.server";

/** Refunds: offline ones by finance, card ones through Stripe's refund API and its events. */
// ---------------------------------------------------------------- refunds

export type StripeRefundFn = (args: { paymentIntentId: string; stripeAmount: number; idempotencyKey: string }) => Promise<{ id: string; status: string }>;

/**
 * Finance refunds (part of) a payment. Card: through Stripe's refund API (the injected
 * `stripeRefund`, called once with a stable idempotency key): Dr where the money sits; Cr refunds
 * payable, then — when Stripe answers `succeeded` — Dr refunds payable; Cr stripe (a `pending`
 * answer is settled by the `charge.refunded` webhook: recordStripeRefund). Offline (finance
 * already paid it out): Dr where it sits; Cr the money account. At most what was paid and not yet
 * refunded. A credit note is issued once the refund has succeeded.
 */
export async function requestRefund(
  db: Db,
  actor: Actor,
  input: {
    paymentId: string;
    amountMinor: number;
    reason?: string | null;
    idempotencyKey: string;
    offlineReference?: string | null;
    stripeRefund?: StripeRefundFn;
    now?: Date;
    origin?: string;
  },
): Promise<Refund> {
  const now = input.now ?? new Date();
  const key = checkKey(input.idempotencyKey);
  if (!positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  if (!UUID.test(input.paymentId)) throw new PaymentError("payment_not_found");
  return db.transaction(async (tx) => {
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, input.paymentId)).limit(1);
    if (!peek) throw new PaymentError("payment_not_found");
    await requireFinance(tx, actor, peek.orgId);
    const { payment, pledge } = await lockPaymentContext(tx, input.paymentId);
    const [again] = await tx.select().from(refunds).where(eq(refunds.idempotencyKey, key)).limit(1);
    if (again) {
      if (again.paymentId !== payment.id) throw new PaymentError("idempotency_conflict");
      return again;
    }
    if (!IN_LEDGER.includes(payment.status)) throw new PaymentError("invalid_state", { state: payment.status });
    const maxMinor = payment.amountMinor - payment.refundedMinor;
    if (input.amountMinor > maxMinor) throw new PaymentError("refund_too_large", { maxMinor, currency: payment.currency });
    const card = payment.method === "card";
    if (card && (!input.stripeRefund || !payment.externalId)) throw new PaymentError("invalid_state");
    const offlineReference = input.offlineReference?.trim() ? input.offlineReference.trim().slice(0, 200) : null;
    const org = await orgOf(tx, payment.orgId);
    const valueDate = todayIn(org.timeZone, now);

    const [refund] = await tx
      .insert(refunds)
      .values({
        orgId: payment.orgId,
        paymentId: payment.id,
        amountMinor: input.amountMinor,
        currency: payment.currency,
        externalId: card ? null : offlineReference,
        reason: input.reason?.trim() ? input.reason.trim().slice(0, 1000) : null,
        status: "pending",
        recordedBy: actor.userId,
        idempotencyKey: key,
        createdAt: now,
      })
      .returning();
    const sources = await drawBack(tx, actor, payment, pledge, input.amountMinor, now);
    let status: Refund["status"] = "succeeded";
    let stripeRefundId: string | null = null;
    let entryId: string;
    if (card) {
      ({ entryId } = await postEntry(tx, {
        orgId: payment.orgId,
        currency: payment.currency,
        kind: "refund",
        idempotencyKey: `refund:${refund.id}`,
        memo: `Card refund asked of Stripe (${payment.externalId})`,
        actorUserId: actor.userId,
        valueDate,
        paymentId: payment.id,
        refundId: refund.id,
        pledgeId: payment.pledgeId,
        needId: payment.needId,
        postings: refundRequestPostings(sources),
      }));
      // Last: everything above is written and checked; a refusal by Stripe rolls it all back.
      let answer: { id: string; status: string };
      try {
        answer = await input.stripeRefund!({
          paymentIntentId: payment.externalId!,
          stripeAmount: toStripeAmount(input.amountMinor, payment.currency),
          idempotencyKey: `tadamon-refund-${key}`,
        });
      } catch (error) {
        console.error("[payments] Stripe refund failed", error instanceof Error ? error.message : error);
        throw new PaymentError("stripe_failed");
      }
      if (answer.status === "failed" || answer.status === "canceled") throw new PaymentError("stripe_failed");
      stripeRefundId = answer.id;
      if (answer.status === "succeeded") await settleStripeRefund(tx, actor, payment, refund, valueDate);
      else status = "pending";
    } else {
      ({ entryId } = await postEntry(tx, {
        orgId: payment.orgId,
        currency: payment.currency,
        kind: "refund",
        idempotencyKey: `refund:${refund.id}`,
        memo: `Offline refund${offlineReference ? ` (${offlineReference})` : ""}`,
        actorUserId: actor.userId,
        valueDate,
        paymentId: payment.id,
        refundId: refund.id,
        pledgeId: payment.pledgeId,
        needId: payment.needId,
        postings: paidOutPostings(sources, assetOf(payment)),
      }));
    }
    const refundedMinor = payment.refundedMinor + input.amountMinor;
    await tx
      .update(payments)
      .set({ refundedMinor, status: statusAfterRefunds(payment.amountMinor, refundedMinor), flagResolvedAt: payment.flag ? now : payment.flagResolvedAt, updatedAt: now })
      .where(eq(payments.id, payment.id));
    const [saved] = await tx.update(refunds).set({ status, stripeRefundId, ledgerEntryId: entryId }).where(eq(refunds.id, refund.id)).returning();
    if (status === "succeeded") await issueCreditNote(tx, { refundId: refund.id, now, origin: input.origin });
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: "payment.refund",
      entityType: "payment",
      entityId: payment.id,
      change: { refundId: refund.id, amountMinor: input.amountMinor, currency: payment.currency, method: payment.method, status, stripeRefundId, reference: offlineReference },
    });
    return saved;
  });
}

/** Stripe confirmed a card refund: Dr refunds payable; Cr stripe (once per refund). */

async function settleStripeRefund(tx: Tx, actor: Actor, payment: Payment, refund: Refund, valueDate: string) {
  await postEntry(tx, {
    orgId: payment.orgId,
    currency: payment.currency,
    kind: "refund",
    idempotencyKey: `refund-settled:${refund.id}`,
    memo: `Card refund paid by Stripe (${payment.externalId})`,
    actorUserId: actor.userId,
    valueDate,
    paymentId: payment.id,
    refundId: refund.id,
    pledgeId: payment.pledgeId,
    needId: payment.needId,
    postings: refundSettlePostings(refund.amountMinor),
  });
}

/**
 * `charge.refunded` (as the system): a refund Stripe made — one finance asked for (settled now,
 * if still pending) or one made in Stripe's dashboard (booked whole now: Dr where the money sits;
 * Cr stripe). Idempotent by Stripe's refund id.
 */
export async function recordStripeRefund(
  db: Db,
  actor: Actor,
  input: { orgId?: string; paymentIntentId: string; stripeRefundId: string; amountMinor: number; currency: string; eventId: string; now?: Date; origin?: string },
): Promise<"recorded" | "already" | "payment_unknown"> {
  const now = input.now ?? new Date();
  if (!positiveMinor(input.amountMinor)) throw new PaymentError("amount_invalid");
  return db.transaction(async (tx) => {
    const paymentId = await cardPaymentByIntent(tx, input.paymentIntentId, input.orgId);
    if (!paymentId) return "payment_unknown" as const;
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, paymentId));
    await requireFinance(tx, actor, peek.orgId, true);
    const { payment, pledge } = await lockPaymentContext(tx, paymentId);
    const org = await orgOf(tx, payment.orgId);
    const valueDate = todayIn(org.timeZone, now);
    const [known] = await tx.select().from(refunds).where(eq(refunds.stripeRefundId, input.stripeRefundId)).limit(1);
    if (known) {
      if (known.status === "succeeded") return "already" as const;
      await settleStripeRefund(tx, actor, payment, known, valueDate);
      await tx.update(refunds).set({ status: "succeeded" }).where(eq(refunds.id, known.id));
      await issueCreditNote(tx, { refundId: known.id, now, origin: input.origin });
      await recordAudit(tx, actor, { orgId: payment.orgId, action: "payment.refund_settled", entityType: "payment", entityId: payment.id, change: { refundId: known.id, stripeRefundId: input.stripeRefundId, eventId: input.eventId } });
      return "recorded" as const;
    }
    if (input.currency.toUpperCase() !== payment.currency) throw new PaymentError("currency_mismatch", { currency: payment.currency });
    const maxMinor = payment.amountMinor - payment.refundedMinor;
    if (input.amountMinor > maxMinor || !["succeeded", "partly_refunded", "disputed"].includes(payment.status)) throw new PaymentError("refund_too_large", { maxMinor });
    const [refund] = await tx
      .insert(refunds)
      .values({
        orgId: payment.orgId,
        paymentId: payment.id,
        amountMinor: input.amountMinor,
        currency: payment.currency,
        stripeRefundId: input.stripeRefundId,
        reason: "Refunded in Stripe",
        status: "succeeded",
        recordedBy: null,
        idempotencyKey: `stripe-refund:${input.stripeRefundId}`,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!refund) return "already" as const;
    const sources = await drawBack(tx, actor, payment, pledge, input.amountMinor, now, true);
    const { entryId } = await postEntry(tx, {
      orgId: payment.orgId,
      currency: payment.currency,
      kind: "refund",
      idempotencyKey: `refund:${refund.id}`,
      memo: `Card refund made in Stripe (${input.stripeRefundId})`,
      actorUserId: actor.userId,
      valueDate,
      paymentId: payment.id,
      refundId: refund.id,
      pledgeId: payment.pledgeId,
      needId: payment.needId,
      postings: paidOutPostings(sources, STRIPE),
    });
    const refundedMinor = payment.refundedMinor + input.amountMinor;
    await tx
      .update(payments)
      .set({ refundedMinor, status: payment.status === "disputed" ? "disputed" : statusAfterRefunds(payment.amountMinor, refundedMinor), updatedAt: now })
      .where(eq(payments.id, payment.id));
    await tx.update(refunds).set({ ledgerEntryId: entryId }).where(eq(refunds.id, refund.id));
    await issueCreditNote(tx, { refundId: refund.id, now, origin: input.origin });
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: "payment.refund",
      entityType: "payment",
      entityId: payment.id,
      change: { refundId: refund.id, amountMinor: input.amountMinor, currency: payment.currency, stripeRefundId: input.stripeRefundId, eventId: input.eventId },
    });
    return "recorded" as const;
  });
}
