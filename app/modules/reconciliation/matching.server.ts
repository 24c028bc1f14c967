import { and, asc, count, desc, eq, gte, inArray, isNull, like, lt, ne, notInArray, or, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import {
  disbursementBatches,
  ledgerEntries,
  memberships,
  moneyAccounts,
  payments,
  pledges,
  reconciliationPeriods,
  statementLines,
  statementMatches,
  stripePayouts,
  type MatchSuggestion,
} from "#db/schema";
import { isSystemActor, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { BANK_CHARGES, IN_TRANSIT, INTEREST, OPENING_BALANCE, SUSPENSE, type AccountRef, type EntryKind, type Posting } from "~/modules/ledger/ledger";
import { monthOf, postEntry, reverseEntry } from "~/modules/ledger/ledger.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { reversePayment } from "~/modules/payments/reverse.server";
import { normalizeReference } from "~/modules/pledging/reference";
import { ReconciliationError } from "./errors";
import { buildMatchIndex, matchLine, type Allocation, type Candidate, type Decision, type MatchIndex, type MatchOptions, type PaymentCandidate, type PledgeCandidate } from "./matcher";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Reconciliation in the database (issue 10, module C): statement lines matched with what they
 * explain. Each line is settled in its own transaction with its row locked (`for update`), so two
 * officers, or the import job and an officer, never explain a line twice; every payment it books
 * has an idempotency key derived from the line (`stmt:<lineId>:<pledgeId>`), so a retry books
 * nothing new.
 *
 * A match to a pledge records the payment with recordPayment exactly like an offline confirmation
 * (ledger entry, pledge and need counters, receipt) — method bank_transfer, the line's money
 * account, value date and external id `stmt:<lineId>` (`stmt:<lineId>:<n>` when a line pays several
 * pledges). A hand-recorded bank payment that the line proves is LINKED instead (no second payment).
 */

export type StatementLine = typeof statementLines.$inferSelect;
export type StatementMatch = typeof statementMatches.$inferSelect;
export type NotDonationKind = NonNullable<StatementLine["notDonationKind"]>;

const UUID = UUID_PATTERN;
const FINANCE = ["finance", "org_admin"] as const;
const OPEN_PLEDGE = ["pending", "awaiting_payment"] as const;

async function requireFinance(tx: DbOrTx, actor: Actor, orgId: string, systemAllowed: boolean): Promise<void> {
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

async function lockLine(tx: Tx, lineId: string, orgId?: string): Promise<StatementLine> {
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

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

// ---------------------------------------------------------------- candidates

/**
 * Everything lines of these money accounts might explain, for the matcher: open pledges of the
 * organisation in the accounts' currencies, hand-recorded bank payments not yet linked to any
 * active match (on these accounts or the default bank account of their currency), paid
 * disbursement batches and Stripe payouts not yet matched.
 */
export async function loadCandidates(db: DbOrTx, orgId: string, accounts: { id: string; currency: string }[]): Promise<Candidate[]> {
  const currencies = [...new Set(accounts.map((a) => a.currency))];
  if (currencies.length === 0) return [];
  const out: Candidate[] = [];
  const pledgeRows = await db
    .select({
      id: pledges.id,
      reference: pledges.reference,
      currency: pledges.currency,
      amountMinor: pledges.amountMinor,
      paidMinor: pledges.paidMinor,
      createdAt: pledges.createdAt,
      expiresAt: pledges.expiresAt,
      email: pledges.email,
      displayName: pledges.displayName,
    })
    .from(pledges)
    .where(and(eq(pledges.orgId, orgId), inArray(pledges.currency, currencies), inArray(pledges.status, [...OPEN_PLEDGE]), ne(pledges.method, "delivery")));
  for (const p of pledgeRows) {
    out.push({
      kind: "pledge",
      id: p.id,
      orgId,
      currency: p.currency,
      reference: p.reference,
      outstandingMinor: Number(p.amountMinor) - Number(p.paidMinor),
      createdDate: day(p.createdAt)!,
      expiresDate: day(p.expiresAt),
      donorKey: p.email.trim().toLowerCase(),
      donorName: p.displayName,
    });
  }
  // Default bank account of each currency (oldest active one): payments recorded without an account land there.
  const banks = await db
    .select({ id: moneyAccounts.id, currency: moneyAccounts.currency })
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, orgId), eq(moneyAccounts.kind, "bank"), eq(moneyAccounts.active, true)))
    .orderBy(asc(moneyAccounts.createdAt), asc(moneyAccounts.id));
  const defaults = new Set<string>();
  const seen = new Set<string>();
  for (const b of banks) {
    if (seen.has(b.currency)) continue;
    seen.add(b.currency);
    defaults.add(b.id);
  }
  const accountIds = [...new Set([...accounts.map((a) => a.id), ...defaults])];
  const linked = db.select({ id: statementMatches.paymentId }).from(statementMatches).where(and(eq(statementMatches.orgId, orgId), eq(statementMatches.status, "active"), sql`${statementMatches.paymentId} is not null`));
  const paymentRows = await db
    .select({
      id: payments.id,
      currency: payments.currency,
      moneyAccountId: payments.moneyAccountId,
      amountMinor: payments.amountMinor,
      feeMinor: payments.feeMinor,
      valueDate: payments.valueDate,
      reference: pledges.reference,
    })
    .from(payments)
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .where(
      and(
        eq(payments.orgId, orgId),
        eq(payments.method, "bank_transfer"),
        inArray(payments.status, ["succeeded", "partly_refunded"]),
        isNull(payments.reversedAt),
        inArray(payments.currency, currencies),
        inArray(payments.moneyAccountId, accountIds),
        or(isNull(payments.externalId), sql`${payments.externalId} not like 'stmt:%'`),
        notInArray(payments.id, linked),
      ),
    );
  for (const p of paymentRows) {
    out.push({
      kind: "payment",
      id: p.id,
      orgId,
      currency: p.currency,
      moneyAccountId: p.moneyAccountId,
      onDefaultAccount: p.moneyAccountId !== null && defaults.has(p.moneyAccountId),
      amountMinor: Number(p.amountMinor),
      feeMinor: Number(p.feeMinor),
      valueDate: p.valueDate,
      pledgeReference: p.reference ?? null,
    });
  }
  const linkedBatches = db.select({ id: statementMatches.disbursementBatchId }).from(statementMatches).where(and(eq(statementMatches.orgId, orgId), eq(statementMatches.status, "active"), sql`${statementMatches.disbursementBatchId} is not null`));
  const batches = await db
    .select({ id: disbursementBatches.id, number: disbursementBatches.number, currency: disbursementBatches.currency, totalMinor: disbursementBatches.totalMinor, paidDate: disbursementBatches.paidDate })
    .from(disbursementBatches)
    .where(and(eq(disbursementBatches.orgId, orgId), eq(disbursementBatches.status, "paid"), inArray(disbursementBatches.currency, currencies), notInArray(disbursementBatches.id, linkedBatches)));
  for (const b of batches) out.push({ kind: "disbursement", id: b.id, orgId, currency: b.currency, number: b.number, totalMinor: Number(b.totalMinor), date: b.paidDate! });
  const linkedPayouts = db.select({ id: statementMatches.payoutId }).from(statementMatches).where(and(eq(statementMatches.orgId, orgId), eq(statementMatches.status, "active"), sql`${statementMatches.payoutId} is not null`));
  const payouts = await db
    .select()
    .from(stripePayouts)
    .where(and(eq(stripePayouts.orgId, orgId), eq(stripePayouts.status, "paid"), inArray(stripePayouts.currency, currencies), notInArray(stripePayouts.id, linkedPayouts)));
  for (const p of payouts) out.push({ kind: "payout", id: p.id, orgId, currency: p.currency, amountMinor: Number(p.amountMinor), arrivalDate: p.arrivalDate, descriptor: p.statementDescriptor });
  return out;
}

// ---------------------------------------------------------------- booking

type BookAllocation =
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
async function bookOnLine(tx: Tx, actor: Actor, line: StatementLine, allocations: BookAllocation[], kind: StatementMatch["kind"], now: Date): Promise<StatementMatch[]> {
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

function toBook(a: Allocation): BookAllocation {
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

// ---------------------------------------------------------------- automatic

export interface AutoMatchOutcome {
  lineId: string;
  status: StatementLine["status"];
  /** Pledge references the line settled (empty when it settled none). */
  references: string[];
}

export interface AutoMatchResult {
  matched: number;
  suggested: number;
  unmatched: number;
  outcomes: AutoMatchOutcome[];
}

/**
 * Matches lines (unmatched or suggested ones; others are left alone) of one organisation: the
 * matcher decides on candidates loaded once; each line is then settled in its own transaction
 * under its row lock. A line whose booking is refused (a pledge paid meanwhile, a currency
 * changed) keeps its suggestions and stays for finance. As the system (import job) or finance.
 */
export async function autoMatchLines(
  db: Db,
  actor: Actor,
  input: { orgId: string; lineIds: string[]; now?: Date; options?: Partial<MatchOptions>; onProgress?: (done: number) => void },
): Promise<AutoMatchResult> {
  const now = input.now ?? new Date();
  await requireFinance(db, actor, input.orgId, true);
  const result: AutoMatchResult = { matched: 0, suggested: 0, unmatched: 0, outcomes: [] };
  const ids = [...new Set(input.lineIds.filter((id) => UUID.test(id)))];
  if (ids.length === 0) return result;
  const lines: StatementLine[] = [];
  for (let i = 0; i < ids.length; i += 5_000) {
    lines.push(
      ...(await db
        .select()
        .from(statementLines)
        .where(and(inArray(statementLines.id, ids.slice(i, i + 5_000)), eq(statementLines.orgId, input.orgId), inArray(statementLines.status, ["unmatched", "suggested"])))),
    );
  }
  lines.sort((a, b) => (a.valueDate < b.valueDate ? -1 : a.valueDate > b.valueDate ? 1 : a.lineNo - b.lineNo));
  const accounts = [...new Map(lines.map((l) => [l.moneyAccountId, { id: l.moneyAccountId, currency: l.currency }])).values()];
  const candidates = await loadCandidates(db, input.orgId, accounts);
  const index = buildMatchIndex(candidates);
  const pledgeById = new Map<string, PledgeCandidate>();
  const paymentById = new Map<string, PaymentCandidate>();
  for (const c of candidates) {
    if (c.kind === "pledge") pledgeById.set(c.id, c);
    if (c.kind === "payment") paymentById.set(c.id, c);
  }
  let done = 0;
  // Lines the matcher cannot settle only get their suggestions: written together, a batch at a time.
  let quiet: { id: string; suggestions: MatchSuggestion[] }[] = [];
  const flush = async () => {
    if (quiet.length === 0) return;
    const rows = quiet.map((q) => ({ id: q.id, suggestions: q.suggestions, status: q.suggestions.length ? "suggested" : "unmatched" }));
    quiet = [];
    await db.execute(sql`
      update statement_lines l set suggestions = u.suggestions, status = u.status::statement_line_status
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as u(id uuid, suggestions jsonb, status text)
      where l.id = u.id and l.status in ('unmatched', 'suggested') and l.matched_minor = 0`);
  };
  for (const line of lines) {
    const decision = decide(line, index, input.options);
    if (decision.status !== "matched") {
      const suggestions = decision.status === "suggested" ? (decision.suggestions as unknown as MatchSuggestion[]) : [];
      quiet.push({ id: line.id, suggestions });
      const status = suggestions.length ? "suggested" : "unmatched";
      result.outcomes.push({ lineId: line.id, status, references: [] });
      if (status === "suggested") result.suggested += 1;
      else result.unmatched += 1;
      done += 1;
      if (quiet.length >= 2_000) await flush();
      if (input.onProgress && done % 500 === 0) input.onProgress(done);
      continue;
    }
    const outcome = await settleLine(db, actor, line, index, input.options, now, decision);
    if (outcome.decision.status === "matched" && outcome.status === "matched") {
      for (const a of outcome.decision.allocations) {
        const p = a.kind === "pledge" ? pledgeById.get(a.id) : undefined;
        if (p) p.outstandingMinor -= Math.min(p.outstandingMinor, a.amountMinor + a.feeMinor);
        const pay = a.kind === "payment" ? paymentById.get(a.id) : undefined;
        if (pay) pay.used = true;
      }
    }
    result.outcomes.push({ lineId: line.id, status: outcome.status, references: outcome.references });
    if (outcome.status === "matched") result.matched += 1;
    else if (outcome.status === "suggested") result.suggested += 1;
    else if (outcome.status === "unmatched") result.unmatched += 1;
    done += 1;
    if (input.onProgress && done % 500 === 0) input.onProgress(done);
  }
  await flush();
  return result;
}

function decide(snapshot: StatementLine, index: MatchIndex, options: Partial<MatchOptions> | undefined): Decision {
  return matchLine(
    { id: snapshot.id, orgId: snapshot.orgId, moneyAccountId: snapshot.moneyAccountId, currency: snapshot.currency, amountMinor: snapshot.amountMinor, valueDate: snapshot.valueDate, description: snapshot.description, reference: snapshot.reference },
    index,
    options,
  );
}

async function settleLine(db: Db, actor: Actor, snapshot: StatementLine, index: MatchIndex, options: Partial<MatchOptions> | undefined, now: Date, decided?: Decision) {
  const decision: Decision = decided ?? decide(snapshot, index, options);
  const suggestions = decision.status === "suggested" ? (decision.suggestions as unknown as MatchSuggestion[]) : [];
  const write = async (tx: Tx, line: StatementLine) => {
    const status = line.matchedMinor > 0 ? line.status : suggestions.length ? "suggested" : "unmatched";
    await tx.update(statementLines).set({ suggestions, status }).where(eq(statementLines.id, line.id));
    return status;
  };
  if (decision.status !== "matched") {
    const status = await db.transaction(async (tx) => {
      const line = await lockLine(tx, snapshot.id);
      if (line.status === "matched" || line.status === "not_donation") return line.status;
      return write(tx, line);
    });
    return { decision, status, references: [] as string[] };
  }
  try {
    return await db.transaction(async (tx) => {
      const line = await lockLine(tx, snapshot.id);
      if (line.status === "matched" || line.status === "not_donation" || line.matchedMinor > 0) return { decision, status: line.status, references: [] as string[] };
      const matches = await bookOnLine(tx, actor, line, decision.allocations.map(toBook), decision.kind, now);
      const references = decision.allocations.filter((a) => a.kind === "pledge").map((a) => a.label);
      return { decision, status: matches.length ? ("matched" as const) : line.status, references };
    });
  } catch (error) {
    // Refused (the pledge moved on meanwhile…): the line stays for finance with the matched candidates as suggestions.
    console.warn("[reconciliation] automatic match refused", snapshot.id, error instanceof Error ? error.message : error);
    const fallback = decision.allocations.map((a) => ({ kind: a.kind, id: a.id, label: a.label, score: 50, reasons: a.reasons })) as unknown as MatchSuggestion[];
    await db.transaction(async (tx) => {
      const line = await lockLine(tx, snapshot.id);
      if (line.status === "unmatched" || line.status === "suggested") await tx.update(statementLines).set({ suggestions: fallback, status: "suggested" }).where(eq(statementLines.id, line.id));
    });
    return { decision, status: "suggested" as const, references: [] as string[] };
  }
}

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

export const NOT_DONATION_KINDS = ["bank_charge", "interest", "internal_transfer", "opening_balance", "other"] as const satisfies readonly NotDonationKind[];

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

// ---------------------------------------------------------------- reading

export const PAGE_SIZE = 25;

export interface QueueFilter {
  status?: "open" | "matched" | "not_donation" | "all";
  moneyAccountId?: string | null;
  /** YYYY-MM. */
  month?: string | null;
  page?: number;
}

/** Lines of an organisation for the queue, newest first, one page. */
export async function listLines(db: DbOrTx, orgId: string, filter: QueueFilter = {}) {
  const page = Math.max(1, Math.floor(filter.page ?? 1));
  const status = filter.status ?? "open";
  const where = and(
    eq(statementLines.orgId, orgId),
    status === "open" ? inArray(statementLines.status, ["unmatched", "suggested"]) : status === "all" ? undefined : eq(statementLines.status, status),
    filter.moneyAccountId && UUID.test(filter.moneyAccountId) ? eq(statementLines.moneyAccountId, filter.moneyAccountId) : undefined,
    filter.month && /^\d{4}-\d{2}$/.test(filter.month) ? and(gte(statementLines.valueDate, `${filter.month}-01`), lt(statementLines.valueDate, nextMonthOf(filter.month))) : undefined,
  );
  const [{ total }] = await db.select({ total: count() }).from(statementLines).where(where);
  const rows = await db
    .select()
    .from(statementLines)
    .where(where)
    .orderBy(desc(statementLines.valueDate), asc(statementLines.lineNo), asc(statementLines.id))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
  return { rows, total: Number(total), page, pageSize: PAGE_SIZE };
}

function nextMonthOf(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
}

/** One line of the organisation with its matches (pledge references, payments), or null. */
export async function getLine(db: DbOrTx, orgId: string, lineId: string) {
  if (!UUID.test(lineId)) return null;
  const [line] = await db.select().from(statementLines).where(and(eq(statementLines.id, lineId), eq(statementLines.orgId, orgId))).limit(1);
  if (!line) return null;
  const matches = await db
    .select({ match: statementMatches, reference: pledges.reference, paymentStatus: payments.status, batchNumber: disbursementBatches.number })
    .from(statementMatches)
    .leftJoin(pledges, eq(pledges.id, statementMatches.pledgeId))
    .leftJoin(payments, eq(payments.id, statementMatches.paymentId))
    .leftJoin(disbursementBatches, eq(disbursementBatches.id, statementMatches.disbursementBatchId))
    .where(eq(statementMatches.lineId, line.id))
    .orderBy(asc(statementMatches.createdAt), asc(statementMatches.id));
  const [account] = await db.select({ name: moneyAccounts.name }).from(moneyAccounts).where(eq(moneyAccounts.id, line.moneyAccountId)).limit(1);
  return { line, matches, accountName: account?.name ?? "", monthClosed: await isMonthClosed(db, line) };
}

/** The organisation's money accounts, for the queue's filter. */
export async function listMoneyAccounts(db: DbOrTx, orgId: string) {
  return db.select({ id: moneyAccounts.id, name: moneyAccounts.name, currency: moneyAccounts.currency, kind: moneyAccounts.kind }).from(moneyAccounts).where(eq(moneyAccounts.orgId, orgId)).orderBy(asc(moneyAccounts.name));
}
