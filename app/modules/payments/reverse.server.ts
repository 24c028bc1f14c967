import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { ledgerEntries, needs, payments, pledges, receipts } from "#db/schema";
import { SYSTEM_ACTOR, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { needFundBalance, paymentHoldings, reverseEntry } from "~/modules/ledger/ledger.server";
import { settleNeedState, type Pledge } from "~/modules/pledging/pledges.server";
import { ReconciliationError } from "~/modules/reconciliation/errors";

type Payment = typeof payments.$inferSelect;
type Need = typeof needs.$inferSelect;

const LIVE: Pledge["status"][] = ["pending", "awaiting_payment"];
const OPEN_NEED: Need["state"][] = ["published", "funded"];

/**
 * Undoes a payment that should never have been booked (a wrong statement match), inside the
 * caller's transaction (the caller checked the actor's role and organisation):
 * - its ledger entry is reversed (kind `reversal`, same value date — moved to the first open month
 *   by postEntry if that month is closed);
 * - the money it put in the pledge's need leaves again: pledge.paidMinor (the pledge live again —
 *   `pending` — while its hold lasts and its need is open, else `part_paid` / `expired`), the need's
 *   paid total, its reservation, its donor count (when the pledge has no money left), and
 *   `funded` → `published` as the system when it falls under the target;
 * - status `reversed`, reversedAt/By (its external id is free again), its receipt voided.
 *
 * Refused (ReconciliationError, nothing written) when the money is no longer where it was put:
 * refunded (payment_refunded), moved or attached by another entry (payment_reallocated), or the
 * need's fund no longer holds it — disbursed (payment_disbursed). Reversing twice returns the
 * reversed payment.
 *
 * Lock order as everywhere in payments: need → pledge → payment.
 */
export async function reversePayment(tx: Tx, actor: Actor, paymentId: string, options: { reason: string; now?: Date }): Promise<Payment> {
  const now = options.now ?? new Date();
  const [peek] = await tx.select({ pledgeId: payments.pledgeId, needId: payments.needId }).from(payments).where(eq(payments.id, paymentId)).limit(1);
  if (!peek) throw new ReconciliationError("payment_not_found");
  const pledgeNeed = peek.pledgeId ? (await tx.select({ needId: pledges.needId }).from(pledges).where(eq(pledges.id, peek.pledgeId)).limit(1))[0]?.needId : null;
  const needIds = [...new Set([pledgeNeed, peek.needId].filter((x): x is string => Boolean(x)))].sort();
  const locked = new Map<string, Need>();
  for (const id of needIds) {
    const [row] = await tx.select().from(needs).where(eq(needs.id, id)).for("update");
    if (row) locked.set(id, row);
  }
  const pledge = peek.pledgeId ? ((await tx.select().from(pledges).where(eq(pledges.id, peek.pledgeId)).for("update"))[0] ?? null) : null;
  const [payment] = await tx.select().from(payments).where(eq(payments.id, paymentId)).for("update");
  if (!payment) throw new ReconciliationError("payment_not_found");
  if (payment.status === "reversed") return payment;
  if (payment.refundedMinor > 0 || payment.status === "refunded" || payment.status === "partly_refunded") throw new ReconciliationError("payment_refunded");
  if (payment.status !== "succeeded" || !payment.ledgerEntryId) throw new ReconciliationError("payment_not_reversible", { state: payment.status });
  if (payment.needId && !locked.has(payment.needId)) throw new ReconciliationError("invalid_state");

  // Any other entry of this payment (attached from suspense, moved, refunded): its money moved on.
  const [other] = await tx
    .select({ id: ledgerEntries.id })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.paymentId, payment.id), ne(ledgerEntries.id, payment.ledgerEntryId), isNull(ledgerEntries.reversesEntryId)))
    .limit(1);
  if (other) throw new ReconciliationError("payment_reallocated");

  const holdings = await paymentHoldings(tx, payment.id);
  const inNeed = holdings.filter((h) => h.account.kind === "need_fund");
  const applied = inNeed.reduce((t, h) => t + h.amountMinor, 0);
  const need = payment.needId ? locked.get(payment.needId)! : null;
  if (applied > 0) {
    if (!need || inNeed.some((h) => h.account.needId !== need.id)) throw new ReconciliationError("payment_reallocated");
    if ((await needFundBalance(tx, need.id)) < applied) throw new ReconciliationError("payment_disbursed");
    if (need.state === "disbursed" || need.state === "closed") throw new ReconciliationError("payment_disbursed");
  }

  const reversal = await reverseEntry(tx, {
    entryId: payment.ledgerEntryId,
    idempotencyKey: `reverse:${payment.id}`,
    memo: `Reversed: ${options.reason}`.slice(0, 500),
    actorUserId: actor.userId,
    valueDate: payment.valueDate,
  });

  let pledgeChange: Record<string, unknown> | null = null;
  if (applied > 0 && need) {
    let reservedDelta = 0;
    let donorDelta = 0;
    if (pledge && pledge.needId === need.id) {
      const fromPledge = Math.min(applied, pledge.paidMinor);
      const paidMinor = pledge.paidMinor - fromPledge;
      const holdOver = pledge.expiresAt !== null && pledge.expiresAt.getTime() <= now.getTime();
      const canLive = !holdOver && OPEN_NEED.includes(need.state) && ["pending", "awaiting_payment", "paid"].includes(pledge.status);
      const wasLive = LIVE.includes(pledge.status);
      const status: Pledge["status"] = canLive ? (wasLive ? pledge.status : "pending") : paidMinor > 0 ? "part_paid" : pledge.status === "paid" || wasLive ? "expired" : pledge.status;
      const isLive = LIVE.includes(status);
      const reservedBefore = wasLive ? pledge.amountMinor - pledge.paidMinor : 0;
      const reservedAfter = isLive ? pledge.amountMinor - paidMinor : 0;
      reservedDelta = reservedAfter - reservedBefore;
      if (pledge.paidMinor > 0 && paidMinor === 0) donorDelta = -1;
      await tx
        .update(pledges)
        .set({ paidMinor, status, paidAt: paidMinor > 0 ? pledge.paidAt : null, ...(isLive ? {} : { releasedAt: pledge.releasedAt ?? now }), updatedAt: now })
        .where(eq(pledges.id, pledge.id));
      pledgeChange = { reference: pledge.reference, from: pledge.status, to: status, paidMinor };
    }
    await tx
      .update(needs)
      .set({
        paidMinor: sql`${needs.paidMinor} - ${applied}`,
        reservedMinor: sql`${needs.reservedMinor} + ${reservedDelta}`,
        donorCount: sql`${needs.donorCount} + ${donorDelta}`,
        updatedAt: now,
      })
      .where(eq(needs.id, need.id));
    await settleNeedState(tx, SYSTEM_ACTOR, need.id, now);
  }

  const [reversed] = await tx
    .update(payments)
    .set({ status: "reversed", reversedAt: now, reversedBy: actor.userId, needId: null, updatedAt: now })
    .where(eq(payments.id, payment.id))
    .returning();
  await tx.update(receipts).set({ voidedAt: now }).where(and(eq(receipts.paymentId, payment.id), isNull(receipts.voidedAt)));
  if (pledgeChange) {
    await recordAudit(tx, actor, { orgId: payment.orgId, action: "pledge.payment_reversed", entityType: "pledge", entityId: payment.pledgeId!, change: { ...pledgeChange, paymentId: payment.id, appliedMinor: applied } });
  }
  await recordAudit(tx, actor, {
    orgId: payment.orgId,
    action: "payment.reverse",
    entityType: "payment",
    entityId: payment.id,
    change: { reason: options.reason.slice(0, 500), amountMinor: payment.amountMinor, currency: payment.currency, entryId: reversal.entryId, externalId: payment.externalId },
  });
  return reversed;
}
