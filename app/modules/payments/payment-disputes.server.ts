import { eq } from "drizzle-orm";
import { type Db } from "#db/client.server";
import { payments } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { STRIPE, paidOutPostings } from "~/modules/ledger/ledger";
import { paymentHoldings, postEntry } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { requireFinance, lockPaymentContext, orgOf, orderedHoldings, statusAfterRefunds, drawBack, cardPaymentByIntent } from "./payment-steps.server";

/** Card disputes (chargebacks): the money held back, then won or lost. */
// ---------------------------------------------------------------- disputes

/** `charge.dispute.created`: the payment is flagged for finance; no ledger entry while it is open. */

export async function markDisputed(
  db: Db,
  actor: Actor,
  input: { paymentIntentId: string; disputeId: string; orgId?: string; now?: Date },
): Promise<"flagged" | "already" | "payment_unknown"> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const paymentId = await cardPaymentByIntent(tx, input.paymentIntentId, input.orgId);
    if (!paymentId) return "payment_unknown" as const;
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, paymentId));
    await requireFinance(tx, actor, peek.orgId, true);
    const { payment } = await lockPaymentContext(tx, paymentId);
    if (payment.status === "disputed" || payment.flag === "dispute_lost" || payment.flag === "disputed") return "already" as const;
    await tx.update(payments).set({ status: "disputed", flag: "disputed", flagResolvedAt: null, updatedAt: now }).where(eq(payments.id, payment.id));
    await recordAudit(tx, actor, { orgId: payment.orgId, action: "payment.dispute_open", entityType: "payment", entityId: payment.id, change: { disputeId: input.disputeId } });
    return "flagged" as const;
  });
}

/**
 * `charge.dispute.closed`: won → the payment is as before; lost → the money Stripe took back leaves
 * where it sits (kind adjustment: Dr the need's fund / fee cover / …; Cr stripe), like a refund.
 */
export async function closeDispute(
  db: Db,
  actor: Actor,
  input: { paymentIntentId: string; disputeId: string; won: boolean; eventId: string; orgId?: string; now?: Date },
): Promise<"closed" | "already" | "payment_unknown"> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const paymentId = await cardPaymentByIntent(tx, input.paymentIntentId, input.orgId);
    if (!paymentId) return "payment_unknown" as const;
    const [peek] = await tx.select({ orgId: payments.orgId }).from(payments).where(eq(payments.id, paymentId));
    await requireFinance(tx, actor, peek.orgId, true);
    const { payment, pledge } = await lockPaymentContext(tx, paymentId);
    if (payment.status !== "disputed") return "already" as const;
    if (input.won) {
      await tx
        .update(payments)
        .set({ status: statusAfterRefunds(payment.amountMinor, payment.refundedMinor), flagResolvedAt: now, updatedAt: now })
        .where(eq(payments.id, payment.id));
    } else {
      const holdings = orderedHoldings(payment, await paymentHoldings(tx, payment.id), { pledgeNeedId: pledge?.needId ?? null, anyNeed: true });
      const lost = holdings.reduce((t, h) => t + h.amountMinor, 0);
      if (lost > 0) {
        const sources = await drawBack(tx, actor, payment, pledge, lost, now, true);
        const org = await orgOf(tx, payment.orgId);
        await postEntry(tx, {
          orgId: payment.orgId,
          currency: payment.currency,
          kind: "adjustment",
          idempotencyKey: `dispute-lost:${input.disputeId}`,
          memo: `Dispute lost (${input.disputeId})`,
          actorUserId: actor.userId,
          valueDate: todayIn(org.timeZone, now),
          paymentId: payment.id,
          pledgeId: payment.pledgeId,
          needId: payment.needId,
          postings: paidOutPostings(sources, STRIPE),
        });
      }
      await tx
        .update(payments)
        .set({ status: "refunded", refundedMinor: Math.min(payment.amountMinor, payment.refundedMinor + lost), flag: "dispute_lost", flagResolvedAt: null, updatedAt: now })
        .where(eq(payments.id, payment.id));
    }
    await recordAudit(tx, actor, {
      orgId: payment.orgId,
      action: input.won ? "payment.dispute_won" : "payment.dispute_lost",
      entityType: "payment",
      entityId: payment.id,
      change: { disputeId: input.disputeId, eventId: input.eventId },
    });
    return "closed" as const;
  });
}
