import { count, eq, like } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { ledgerEntries, notDonationKindEnum, payments, pledges, statementLines, statementMatches } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { BANK_CHARGES, IN_TRANSIT, INTEREST, OPENING_BALANCE, SUSPENSE, type AccountRef, type EntryKind, type Posting } from "~/modules/ledger/ledger";
import { postEntry, reverseEntry } from "~/modules/ledger/ledger.server";
import { reversePayment } from "~/modules/payments/reverse.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { ReconciliationError } from "./errors";
import { lockLine, requireFinance, UUID, bookOnLine, isMonthClosed, type StatementMatch, type BookAllocation, type NotDonationKind, type StatementLine } from "./matching-steps.server";

// ---------------------------------------------------------------- manual

export type ManualAllocation = {
  pledgeReference?: string | null;
  paymentId?: string | null;
  batchId?: string | null;
  payoutId?: string | null;
  amountMinor: number;
  feeMinor?: number;
};

/**
 * Finance explains a line by hand: one allocation, or several for a split (a line paying several
 * pledges, or part of it). Refused: a pledge of another organisation (other_org) or currency
 * (currency_mismatch), more than the line still has to explain (over_allocation), a payment already
 * linked, a line already explained as not a donation. The line is locked; one transaction.
 */
export async function manualMatch(db: Db, actor: Actor, lineId: string, allocations: ManualAllocation[], options: { orgId?: string; now?: Date } = {}): Promise<StatementMatch[]> {
  const now = options.now ?? new Date();
  if (!Array.isArray(allocations) || allocations.length === 0 || allocations.length > 20) throw new ReconciliationError("amount_invalid");
  return db.transaction(async (tx) => {
    const line = await lockLine(tx, lineId, options.orgId);
    await requireFinance(tx, actor, line.orgId, false);
    const book: BookAllocation[] = [];
    for (const a of allocations) {
      const fee = a.feeMinor ?? 0;
      if (!Number.isSafeInteger(a.amountMinor) || a.amountMinor <= 0 || !Number.isSafeInteger(fee) || fee < 0) throw new ReconciliationError("amount_invalid");
      const reasons = [{ code: "manual" }];
      if (a.pledgeReference) {
        const reference = normalizeReference(a.pledgeReference);
        if (!reference) throw new ReconciliationError("pledge_not_found");
        const [pledge] = await tx.select({ id: pledges.id, orgId: pledges.orgId }).from(pledges).where(eq(pledges.reference, reference)).limit(1);
        if (!pledge) throw new ReconciliationError("pledge_not_found");
        if (pledge.orgId !== line.orgId) throw new ReconciliationError("other_org");
        book.push({ kind: "pledge", pledgeId: pledge.id, amountMinor: a.amountMinor, feeMinor: fee, reasons });
      } else if (a.paymentId && UUID.test(a.paymentId)) book.push({ kind: "payment", paymentId: a.paymentId, amountMinor: a.amountMinor, reasons });
      else if (a.batchId && UUID.test(a.batchId)) book.push({ kind: "disbursement", batchId: a.batchId, amountMinor: a.amountMinor, reasons });
      else if (a.payoutId) book.push({ kind: "payout", payoutId: a.payoutId, amountMinor: a.amountMinor, reasons });
      else throw new ReconciliationError("pledge_not_found");
    }
    return bookOnLine(tx, actor, line, book, "manual", now);
  });
}

// ---------------------------------------------------------------- not a donation

function notDonationPostings(kind: NotDonationKind, bank: AccountRef, amountMinor: number): { entryKind: EntryKind; postings: Posting[] } {
  const abs = Math.abs(amountMinor);
  const into = amountMinor > 0;
  const pair = (other: AccountRef): Posting[] =>
    into
      ? [
          { account: bank, amountMinor: abs },
          { account: other, amountMinor: -abs },
        ]
      : [
          { account: other, amountMinor: abs },
          { account: bank, amountMinor: -abs },
        ];
  switch (kind) {
    case "bank_charge":
      if (into) throw new ReconciliationError("wrong_direction");
      return { entryKind: "bank_charge", postings: pair(BANK_CHARGES) };
    case "interest":
      if (!into) throw new ReconciliationError("wrong_direction");
      return { entryKind: "interest", postings: pair(INTEREST) };
    case "internal_transfer":
      return { entryKind: "internal_transfer", postings: pair(IN_TRANSIT) };
    case "opening_balance":
      return { entryKind: "opening_balance", postings: pair(OPENING_BALANCE) };
    default:
      // Anything else finance cannot place yet waits in suspense (an entry, so month-end balances).
      return { entryKind: "adjustment", postings: pair(SUSPENSE) };
  }
}

/** The schema's `not_donation_kind` values (db/schema/reconciliation.ts). */
export const NOT_DONATION_KINDS = notDonationKindEnum.enumValues satisfies readonly NotDonationKind[];

/**
 * The line is not a donation: bank charges (Dr bank_charges / Cr bank), interest (Dr bank / Cr
 * interest_income), a transfer between the organisation's own accounts (bank ↔ in_transit), the
 * opening balance (bank ↔ opening_balance), other (bank ↔ suspense). One entry, idempotency key
 * `line:<lineId>:not_donation`. Refused on a line with matches.
 */
export async function markNotDonation(db: Db, actor: Actor, lineId: string, kind: NotDonationKind, note?: string | null, options: { orgId?: string; now?: Date } = {}): Promise<StatementLine> {
  const now = options.now ?? new Date();
  if (!(NOT_DONATION_KINDS as readonly string[]).includes(kind)) throw new ReconciliationError("invalid_state");
  return db.transaction(async (tx) => {
    const line = await lockLine(tx, lineId, options.orgId);
    await requireFinance(tx, actor, line.orgId, false);
    if (line.status === "not_donation") return line;
    if (line.status === "matched" || line.matchedMinor > 0) throw new ReconciliationError("already_explained");
    const { entryKind, postings } = notDonationPostings(kind, { kind: "bank", moneyAccountId: line.moneyAccountId }, line.amountMinor);
    const [{ earlier }] = await tx.select({ earlier: count() }).from(ledgerEntries).where(like(ledgerEntries.idempotencyKey, `line:${line.id}:not_donation%`));
    const { entryId } = await postEntry(tx, {
      orgId: line.orgId,
      currency: line.currency,
      kind: entryKind,
      idempotencyKey: `line:${line.id}:not_donation${Number(earlier) > 0 ? `:${Number(earlier)}` : ""}`,
      memo: `${kind.replace("_", " ")}: ${line.description}${note?.trim() ? ` — ${note.trim()}` : ""}`.slice(0, 500),
      actorUserId: actor.userId,
      valueDate: line.valueDate,
      postings,
    });
    const [updated] = await tx
      .update(statementLines)
      .set({ status: "not_donation", notDonationKind: kind, ledgerEntryId: entryId, matchedMinor: Math.abs(line.amountMinor), suggestions: [], matchedBy: actor.userId, matchedAt: now })
      .where(eq(statementLines.id, line.id))
      .returning();
    await recordAudit(tx, actor, { orgId: line.orgId, action: "statement.not_donation", entityType: "statement_line", entityId: line.id, change: { kind, amountMinor: line.amountMinor, currency: line.currency, entryId, note: note?.trim()?.slice(0, 500) ?? null } });
    return updated;
  });
}

/** Undoes "not a donation": its entry reversed, the line back in the queue. Refused in a closed month. */
export async function undoNotDonation(db: Db, actor: Actor, lineId: string, options: { orgId?: string } = {}): Promise<StatementLine> {
  return db.transaction(async (tx) => {
    const line = await lockLine(tx, lineId, options.orgId);
    await requireFinance(tx, actor, line.orgId, false);
    if (line.status !== "not_donation" || !line.ledgerEntryId) throw new ReconciliationError("invalid_state");
    if (await isMonthClosed(tx, line)) throw new ReconciliationError("month_closed");
    const reversal = await reverseEntry(tx, { entryId: line.ledgerEntryId, idempotencyKey: `undo:${line.ledgerEntryId}`, memo: `Undo not a donation (${line.notDonationKind})`, actorUserId: actor.userId, valueDate: line.valueDate });
    const [updated] = await tx
      .update(statementLines)
      .set({ status: line.suggestions.length ? "suggested" : "unmatched", notDonationKind: null, ledgerEntryId: null, matchedMinor: 0, matchedBy: null, matchedAt: null })
      .where(eq(statementLines.id, line.id))
      .returning();
    await recordAudit(tx, actor, { orgId: line.orgId, action: "statement.undo_not_donation", entityType: "statement_line", entityId: line.id, change: { kind: line.notDonationKind, entryId: line.ledgerEntryId, reversalId: reversal.entryId } });
    return updated;
  });
}

/**
 * Undoes one match: a payment the match created is reversed (reversePayment: ledger, pledge, need,
 * receipt voided); a link to a hand-recorded payment, a batch or a payout is just undone. Refused
 * in a closed month (month_closed) and when the payment's money moved on (refunded, reallocated,
 * disbursed).
 */
export async function undoMatch(db: Db, actor: Actor, matchId: string, options: { orgId?: string; reason?: string; now?: Date } = {}): Promise<StatementMatch> {
  const now = options.now ?? new Date();
  if (!UUID.test(matchId)) throw new ReconciliationError("match_not_found");
  return db.transaction(async (tx) => {
    const [peek] = await tx.select({ lineId: statementMatches.lineId }).from(statementMatches).where(eq(statementMatches.id, matchId)).limit(1);
    if (!peek) throw new ReconciliationError("match_not_found");
    const line = await lockLine(tx, peek.lineId, options.orgId);
    await requireFinance(tx, actor, line.orgId, false);
    const [match] = await tx.select().from(statementMatches).where(eq(statementMatches.id, matchId)).for("update");
    if (match.status !== "active") throw new ReconciliationError("invalid_state");
    if (await isMonthClosed(tx, line)) throw new ReconciliationError("month_closed");
    let undoEntryId: string | null = null;
    if (match.paymentId) {
      const [payment] = await tx.select({ externalId: payments.externalId, ledgerEntryId: payments.ledgerEntryId }).from(payments).where(eq(payments.id, match.paymentId)).limit(1);
      const createdHere = payment?.externalId?.startsWith(`stmt:${line.id}`) ?? false;
      if (createdHere) {
        await reversePayment(tx, actor, match.paymentId, { reason: options.reason?.trim() || `Statement match undone (line ${line.lineNo})`, now });
        const [rev] = payment.ledgerEntryId ? await tx.select({ id: ledgerEntries.id }).from(ledgerEntries).where(eq(ledgerEntries.reversesEntryId, payment.ledgerEntryId)).limit(1) : [];
        undoEntryId = rev?.id ?? null;
      }
    }
    const [undone] = await tx.update(statementMatches).set({ status: "undone", undoneBy: actor.userId, undoneAt: now, undoEntryId }).where(eq(statementMatches.id, match.id)).returning();
    const matchedMinor = Math.max(0, line.matchedMinor - match.amountMinor);
    await tx
      .update(statementLines)
      .set({ matchedMinor, status: matchedMinor >= Math.abs(line.amountMinor) ? "matched" : line.suggestions.length ? "suggested" : "unmatched", ...(matchedMinor === 0 ? { matchedBy: null, matchedAt: null } : {}) })
      .where(eq(statementLines.id, line.id));
    await recordAudit(tx, actor, { orgId: line.orgId, action: "statement.undo_match", entityType: "statement_line", entityId: line.id, change: { matchId: match.id, paymentId: match.paymentId, amountMinor: match.amountMinor, reversal: undoEntryId } });
    return undone;
  });
}
