import { and, asc, eq, inArray, isNull, ne, notInArray, or, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { disbursementBatches, moneyAccounts, payments, pledges, statementLines, statementMatches, stripePayouts, type MatchSuggestion } from "#db/schema";
import { type Actor } from "~/modules/audit/audit.server";
import { buildMatchIndex, matchLine, type Candidate, type Decision, type MatchIndex, type MatchOptions, type PaymentCandidate, type PledgeCandidate } from "./matcher";
import { OPEN_PLEDGE, day, requireFinance, UUID, lockLine, bookOnLine, toBook, type StatementLine } from "./matching-steps.server";

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
