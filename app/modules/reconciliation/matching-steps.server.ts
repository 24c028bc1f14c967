import { and, count, eq } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { disbursementBatches, memberships, payments, pledges, reconciliationPeriods, statementLines, statementMatches, stripePayouts, type MatchSuggestion } from "#db/schema";
import { isSystemActor, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { monthOf } from "~/modules/ledger/ledger.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { ReconciliationError } from "./errors";
import { type Allocation } from "./matcher";
import { UUID_PATTERN } from "~/utils/uuid";

/** Shared steps of the matching modules: access, the line's lock, the month's state, booking a match on a line. */

export type StatementLine = typeof statementLines.$inferSelect;
export type StatementMatch = typeof statementMatches.$inferSelect;
export type NotDonationKind = NonNullable<StatementLine["notDonationKind"]>;

export const UUID = UUID_PATTERN;
const FINANCE = ["finance", "org_admin"] as const;
export const OPEN_PLEDGE = ["pending", "awaiting_payment"] as const;

export async function requireFinance(tx: DbOrTx, actor: Actor, orgId: string, systemAllowed: boolean): Promise<void> {
  if (isSystemActor(actor)) {
    if (systemAllowed) return;
    throw new ReconciliationError("not_allowed");
  }
  if (!UUID.test(orgId)) throw new ReconciliationError("not_allowed");
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId!)));
  if (!rows.some((r) => (FINANCE as readonly string[]).includes(r.role))) throw new ReconciliationError("not_allowed");
}

export async function lockLine(tx: Tx, lineId: string, orgId?: string): Promise<StatementLine> {
  if (!UUID.test(lineId)) throw new ReconciliationError("line_not_found");
  const [line] = await tx.select().from(statementLines).where(eq(statementLines.id, lineId)).for("update");
  if (!line || (orgId && line.orgId !== orgId)) throw new ReconciliationError("line_not_found");
  return line;
}

/** True when the line's month is closed for its money account (month-end). */
export async function isMonthClosed(db: DbOrTx, line: Pick<StatementLine, "moneyAccountId" | "valueDate">): Promise<boolean> {
  const [row] = await db
    .select({ id: reconciliationPeriods.id })
    .from(reconciliationPeriods)
    .where(and(eq(reconciliationPeriods.moneyAccountId, line.moneyAccountId), eq(reconciliationPeriods.month, monthOf(line.valueDate))))
    .limit(1);
  return Boolean(row);
}

export const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

// ---------------------------------------------------------------- booking

export type BookAllocation =
  | { kind: "pledge"; pledgeId: string; amountMinor: number; feeMinor: number; reasons: MatchSuggestion["reasons"] }
  | { kind: "payment"; paymentId: string; amountMinor: number; reasons: MatchSuggestion["reasons"] }
  | { kind: "disbursement"; batchId: string; amountMinor: number; reasons: MatchSuggestion["reasons"] }
  | { kind: "payout"; payoutId: string; amountMinor: number; reasons: MatchSuggestion["reasons"] };

async function activeMatchOf(tx: Tx, column: "paymentId" | "disbursementBatchId" | "payoutId", id: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: statementMatches.id })
    .from(statementMatches)
    .where(and(eq(statementMatches[column], id), eq(statementMatches.status, "active")))
    .limit(1);
  return Boolean(row);
}

/**
 * Books allocations on a locked line: payments recorded (or linked), statement_matches written,
 * the line's matchedMinor/status updated. Refuses more than the line still has to explain.
 */
export async function bookOnLine(tx: Tx, actor: Actor, line: StatementLine, allocations: BookAllocation[], kind: StatementMatch["kind"], now: Date): Promise<StatementMatch[]> {
  const abs = Math.abs(line.amountMinor);
  const total = allocations.reduce((t, a) => t + a.amountMinor, 0);
  if (allocations.some((a) => !Number.isSafeInteger(a.amountMinor) || a.amountMinor <= 0)) throw new ReconciliationError("amount_invalid");
  if (total + line.matchedMinor > abs) throw new ReconciliationError("over_allocation", { maxMinor: abs - line.matchedMinor });
  if (line.status === "not_donation") throw new ReconciliationError("already_explained");
  const [{ undone }] = await tx.select({ undone: count() }).from(statementMatches).where(and(eq(statementMatches.lineId, line.id), eq(statementMatches.status, "undone")));
  const generation = Number(undone) > 0 ? `:g${Number(undone)}` : "";
  const [{ active }] = await tx.select({ active: count() }).from(statementMatches).where(and(eq(statementMatches.lineId, line.id), eq(statementMatches.status, "active")));
  const several = allocations.filter((a) => a.kind === "pledge").length > 1 || Number(active) > 0;
  const created: StatementMatch[] = [];
  let n = Number(active);
  for (const a of allocations) {
    n += 1;
    const row: typeof statementMatches.$inferInsert = { orgId: line.orgId, lineId: line.id, kind, amountMinor: a.amountMinor, reasons: a.reasons, createdBy: actor.userId, createdAt: now };
    if (a.kind === "pledge") {
      if (line.amountMinor < 0) throw new ReconciliationError("wrong_direction");
      const [pledge] = await tx.select({ id: pledges.id, orgId: pledges.orgId, currency: pledges.currency, reference: pledges.reference }).from(pledges).where(eq(pledges.id, a.pledgeId)).limit(1);
      if (!pledge) throw new ReconciliationError("pledge_not_found");
      if (pledge.orgId !== line.orgId) throw new ReconciliationError("other_org");
      if (pledge.currency !== line.currency) throw new ReconciliationError("currency_mismatch", { currency: pledge.currency });
      const fee = a.feeMinor;
      const result = await recordPayment(tx as unknown as Db, actor, {
        orgId: line.orgId,
        pledgeId: pledge.id,
        method: "bank_transfer",
        moneyAccountId: line.moneyAccountId,
        amountMinor: a.amountMinor + fee,
        feeMinor: fee,
        currency: line.currency,
        valueDate: line.valueDate,
        externalId: several ? `stmt:${line.id}:${n}${generation}` : `stmt:${line.id}${generation}`,
        idempotencyKey: `stmt:${line.id}:${pledge.id}${generation}`,
        note: `Bank statement line ${line.lineNo} (${line.valueDate})`.slice(0, 2000),
        statementMatch: isSystemActor(actor),
        now,
      });
      Object.assign(row, { pledgeId: pledge.id, paymentId: result.payment.id, feeMinor: fee });
    } else if (a.kind === "payment") {
      if (line.amountMinor < 0) throw new ReconciliationError("wrong_direction");
      const [payment] = await tx.select().from(payments).where(eq(payments.id, a.paymentId)).for("update");
      if (!payment) throw new ReconciliationError("payment_not_found");
      if (payment.orgId !== line.orgId) throw new ReconciliationError("other_org");
      if (payment.currency !== line.currency) throw new ReconciliationError("currency_mismatch", { currency: payment.currency });
      if (payment.reversedAt || !["succeeded", "partly_refunded"].includes(payment.status)) throw new ReconciliationError("invalid_state");
      if (await activeMatchOf(tx, "paymentId", payment.id)) throw new ReconciliationError("payment_linked");
      Object.assign(row, { paymentId: payment.id, pledgeId: payment.pledgeId, feeMinor: payment.feeMinor });
    } else if (a.kind === "disbursement") {
      if (line.amountMinor > 0) throw new ReconciliationError("wrong_direction");
      const [batch] = await tx.select().from(disbursementBatches).where(eq(disbursementBatches.id, a.batchId)).for("update");
      if (!batch) throw new ReconciliationError("batch_not_found");
      if (batch.orgId !== line.orgId) throw new ReconciliationError("other_org");
      if (batch.currency !== line.currency) throw new ReconciliationError("currency_mismatch", { currency: batch.currency });
      if (await activeMatchOf(tx, "disbursementBatchId", batch.id)) throw new ReconciliationError("already_explained");
      Object.assign(row, { disbursementBatchId: batch.id });
    } else {
      if (line.amountMinor < 0) throw new ReconciliationError("wrong_direction");
      const [payout] = await tx.select().from(stripePayouts).where(eq(stripePayouts.id, a.payoutId)).for("update");
      if (!payout) throw new ReconciliationError("payout_not_found");
      if (payout.orgId !== line.orgId) throw new ReconciliationError("other_org");
      if (payout.currency !== line.currency) throw new ReconciliationError("currency_mismatch", { currency: payout.currency });
      if (await activeMatchOf(tx, "payoutId", payout.id)) throw new ReconciliationError("already_explained");
      Object.assign(row, { payoutId: payout.id });
    }
    const [match] = await tx.insert(statementMatches).values(row).returning();
    created.push(match);
  }
  const matchedMinor = line.matchedMinor + total;
  await tx
    .update(statementLines)
    .set({
      matchedMinor,
      status: matchedMinor >= abs ? "matched" : line.suggestions.length ? "suggested" : "unmatched",
      suggestions: matchedMinor >= abs ? [] : line.suggestions,
      matchedBy: actor.userId,
      matchedAt: now,
    })
    .where(eq(statementLines.id, line.id));
  await recordAudit(tx, actor, {
    orgId: line.orgId,
    action: "statement.match",
    entityType: "statement_line",
    entityId: line.id,
    change: { kind, amountMinor: total, currency: line.currency, matches: created.map((m) => ({ id: m.id, pledgeId: m.pledgeId, paymentId: m.paymentId, batchId: m.disbursementBatchId, payoutId: m.payoutId, amountMinor: m.amountMinor, feeMinor: m.feeMinor })) },
  });
  return created;
}

export function toBook(a: Allocation): BookAllocation {
  switch (a.kind) {
    case "pledge":
      return { kind: "pledge", pledgeId: a.id, amountMinor: a.amountMinor, feeMinor: a.feeMinor, reasons: a.reasons };
    case "payment":
      return { kind: "payment", paymentId: a.id, amountMinor: a.amountMinor, reasons: a.reasons };
    case "disbursement":
      return { kind: "disbursement", batchId: a.id, amountMinor: a.amountMinor, reasons: a.reasons };
    default:
      return { kind: "payout", payoutId: a.id, amountMinor: a.amountMinor, reasons: a.reasons };
  }
}
