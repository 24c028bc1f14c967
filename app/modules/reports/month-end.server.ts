import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from "drizzle-orm";
import type { DbOrTx, Db } from "#db/client.server";
import { ledgerAccounts, ledgerEntries, ledgerPostings, memberships, moneyAccounts, organizations, reconciliationPeriods, statementLines, users } from "#db/schema";
import { recordAudit, isSystemActor, type Actor } from "~/modules/audit/audit.server";
import { monthOf, nextMonth } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { MonthEndError } from "./errors";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Month-end (issue 10, decision 057), per money account and month: the bank statement's closing
 * balance against the ledger's, and every item that explains neither side. A month closes only
 * when the two agree to the minor unit and nothing is unexplained; closing locks it (a database
 * trigger refuses postings on the account dated inside it; postEntry dates them in the next open month).
 */

const UUID = UUID_PATTERN;

/** "YYYY-MM" or "YYYY-MM-01" → "YYYY-MM-01"; anything else refused. */
export function normalizeMonth(month: string): string {
  const m = /^(\d{4})-(0[1-9]|1[0-2])(?:-01)?$/.exec(String(month ?? "").trim());
  if (!m) throw new MonthEndError("month_invalid");
  return `${m[1]}-${m[2]}-01`;
}

/** The last day of a month (YYYY-MM-DD). */
export function monthLastDay(month: string): string {
  const next = new Date(`${nextMonth(month)}T00:00:00Z`);
  return new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export interface UnexplainedLine {
  id: string;
  lineNo: number;
  valueDate: string;
  amountMinor: number;
  matchedMinor: number;
  status: "unmatched" | "suggested" | "matched" | "not_donation";
  description: string;
  reference: string | null;
}

export interface UnexplainedPosting {
  entryId: string;
  kind: string;
  memo: string;
  valueDate: string;
  /** What the entry moved on the money account (debit positive: money in). */
  amountMinor: number;
  paymentId: string | null;
}

export interface MonthEnd {
  orgId: string;
  moneyAccountId: string;
  moneyAccountName: string;
  currency: string;
  /** YYYY-MM-01. */
  month: string;
  /** The statement's balance at the end of the month; null when no statement line is known up to then. */
  statementClosingMinor: number | null;
  /**
   * `bank_balance`: the running balance printed on the month's last line; `computed`: the last
   * printed balance before it (or 0 when the file had none) plus the lines after it; null: no lines.
   */
  statementClosingSource: "bank_balance" | "computed" | null;
  /** Debit-positive sum of the account's postings with a value date up to the month's end. */
  ledgerClosingMinor: number;
  /** statement − ledger (a missing statement counts as 0). Must be 0 to close. */
  differenceMinor: number;
  statementLineCount: number;
  unexplainedStatement: UnexplainedLine[];
  unexplainedLedger: UnexplainedPosting[];
  closed: { closedAt: Date; closedBy: string; closedByName: string | null } | null;
}

async function moneyAccountOf(db: DbOrTx, orgId: string, moneyAccountId: string) {
  if (!UUID.test(orgId) || !UUID.test(moneyAccountId)) throw new MonthEndError("account_not_found");
  const [account] = await db
    .select()
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.id, moneyAccountId), eq(moneyAccounts.orgId, orgId)))
    .limit(1);
  if (!account) throw new MonthEndError("account_not_found");
  return account;
}

/**
 * The ledger entries on the account that a statement line explains: the payments its active
 * matches brought in (or linked), the disbursement batches and Stripe payouts it paid out, the
 * entry booked for a not-a-donation line; plus the reversals of those. An entry and its reversal
 * both dated up to `until` cancel out and need no line either.
 */
function explainedEntriesSql(orgId: string, moneyAccountId: string, until: string) {
  return sql`(
    with explained as (
      select p.ledger_entry_id as id from statement_matches sm
        join statement_lines sl on sl.id = sm.line_id
        join payments p on p.id = sm.payment_id
        where sm.status = 'active' and sl.money_account_id = ${moneyAccountId} and p.ledger_entry_id is not null
      union
      select le.id from statement_matches sm
        join statement_lines sl on sl.id = sm.line_id
        join ledger_entries le on le.payment_id = sm.payment_id and le.kind in ('payment', 'fee')
        where sm.status = 'active' and sl.money_account_id = ${moneyAccountId}
      union
      select db.ledger_entry_id from statement_matches sm
        join statement_lines sl on sl.id = sm.line_id
        join disbursement_batches db on db.id = sm.disbursement_batch_id
        where sm.status = 'active' and sl.money_account_id = ${moneyAccountId} and db.ledger_entry_id is not null
      union
      select sp.ledger_entry_id from statement_matches sm
        join statement_lines sl on sl.id = sm.line_id
        join stripe_payouts sp on sp.id = sm.payout_id
        where sm.status = 'active' and sl.money_account_id = ${moneyAccountId} and sp.ledger_entry_id is not null
      union
      select sl.ledger_entry_id from statement_lines sl
        where sl.money_account_id = ${moneyAccountId} and sl.status = 'not_donation' and sl.ledger_entry_id is not null
    )
    select id from explained
    union
    select r.id from ledger_entries r join explained e on r.reverses_entry_id = e.id
    union
    select r.id from ledger_entries r join ledger_entries o on o.id = r.reverses_entry_id
      where r.org_id = ${orgId} and r.value_date <= ${until} and o.value_date <= ${until}
    union
    select o.id from ledger_entries r join ledger_entries o on o.id = r.reverses_entry_id
      where r.org_id = ${orgId} and r.value_date <= ${until} and o.value_date <= ${until}
  )`;
}

/** The month's figures for one money account (read only). */
export async function monthEnd(db: DbOrTx, input: { orgId: string; moneyAccountId: string; month: string }): Promise<MonthEnd> {
  const month = normalizeMonth(input.month);
  const next = nextMonth(month);
  const last = monthLastDay(month);
  const account = await moneyAccountOf(db, input.orgId, input.moneyAccountId);

  // The statement side.
  const monthLines = await db
    .select()
    .from(statementLines)
    .where(and(eq(statementLines.moneyAccountId, account.id), gte(statementLines.valueDate, month), lt(statementLines.valueDate, next)))
    .orderBy(asc(statementLines.valueDate), asc(statementLines.createdAt), asc(statementLines.lineNo));
  let statementClosingMinor: number | null = null;
  let statementClosingSource: MonthEnd["statementClosingSource"] = null;
  const lastLine = monthLines.at(-1);
  if (lastLine && lastLine.balanceMinor !== null) {
    statementClosingMinor = Number(lastLine.balanceMinor);
    statementClosingSource = "bank_balance";
  } else {
    // The last printed balance up to the month's end, plus every line after it.
    const [anchor] = await db
      .select()
      .from(statementLines)
      .where(and(eq(statementLines.moneyAccountId, account.id), lte(statementLines.valueDate, last), sql`${statementLines.balanceMinor} is not null`))
      .orderBy(desc(statementLines.valueDate), desc(statementLines.createdAt), desc(statementLines.lineNo))
      .limit(1);
    const [sum] = await db
      .select({ n: sql<number>`count(*)::int`, total: sql<string>`coalesce(sum(${statementLines.amountMinor}), 0)` })
      .from(statementLines)
      .where(
        and(
          eq(statementLines.moneyAccountId, account.id),
          lte(statementLines.valueDate, last),
          anchor
            ? // Compared with the anchor's own row: a JavaScript Date would drop PostgreSQL's microseconds.
              sql`(${statementLines.valueDate}, ${statementLines.createdAt}, ${statementLines.lineNo}) > (select a.value_date, a.created_at, a.line_no from statement_lines a where a.id = ${anchor.id})`
            : undefined,
        ),
      );
    if (anchor || Number(sum?.n ?? 0) > 0) {
      statementClosingMinor = (anchor ? Number(anchor.balanceMinor) : 0) + Number(sum?.total ?? 0);
      statementClosingSource = "computed";
    }
  }

  // The ledger side: the account's ledger account (one per money account and currency).
  const ledgerAccountIds = (
    await db
      .select({ id: ledgerAccounts.id })
      .from(ledgerAccounts)
      .where(and(eq(ledgerAccounts.orgId, account.orgId), eq(ledgerAccounts.moneyAccountId, account.id), eq(ledgerAccounts.currency, account.currency)))
  ).map((r) => r.id);
  let ledgerClosingMinor = 0;
  let unexplainedLedger: UnexplainedPosting[] = [];
  if (ledgerAccountIds.length > 0) {
    const [bal] = await db
      .select({ total: sql<string>`coalesce(sum(${ledgerPostings.amountMinor}), 0)` })
      .from(ledgerPostings)
      .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
      .where(and(inArray(ledgerPostings.accountId, ledgerAccountIds), lte(ledgerEntries.valueDate, last)));
    ledgerClosingMinor = Number(bal?.total ?? 0);
    const rows = await db
      .select({
        entryId: ledgerEntries.id,
        kind: ledgerEntries.kind,
        memo: ledgerEntries.memo,
        valueDate: ledgerEntries.valueDate,
        paymentId: ledgerEntries.paymentId,
        amountMinor: sql<string>`sum(${ledgerPostings.amountMinor})`,
      })
      .from(ledgerPostings)
      .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
      .where(
        and(
          inArray(ledgerPostings.accountId, ledgerAccountIds),
          gte(ledgerEntries.valueDate, month),
          lt(ledgerEntries.valueDate, next),
          sql`${ledgerEntries.id} not in ${explainedEntriesSql(account.orgId, account.id, last)}`,
        ),
      )
      .groupBy(ledgerEntries.id)
      .orderBy(asc(ledgerEntries.valueDate), asc(ledgerEntries.createdAt));
    unexplainedLedger = rows
      .map((r) => ({ entryId: r.entryId, kind: r.kind, memo: r.memo, valueDate: r.valueDate, paymentId: r.paymentId, amountMinor: Number(r.amountMinor) }))
      .filter((r) => r.amountMinor !== 0);
  }

  const unexplainedStatement: UnexplainedLine[] = monthLines
    .filter((l) => {
      if (l.status === "unmatched" || l.status === "suggested") return true;
      if (l.status === "not_donation") return l.ledgerEntryId === null;
      return Number(l.matchedMinor) < Math.abs(Number(l.amountMinor));
    })
    .map((l) => ({
      id: l.id,
      lineNo: l.lineNo,
      valueDate: l.valueDate,
      amountMinor: Number(l.amountMinor),
      matchedMinor: Number(l.matchedMinor),
      status: l.status,
      description: l.description,
      reference: l.reference,
    }));

  const [closed] = await db
    .select({ closedAt: reconciliationPeriods.closedAt, closedBy: reconciliationPeriods.closedBy, closedByName: users.displayName })
    .from(reconciliationPeriods)
    .leftJoin(users, eq(users.id, reconciliationPeriods.closedBy))
    .where(and(eq(reconciliationPeriods.moneyAccountId, account.id), eq(reconciliationPeriods.month, month)))
    .limit(1);

  return {
    orgId: account.orgId,
    moneyAccountId: account.id,
    moneyAccountName: account.name,
    currency: account.currency,
    month,
    statementClosingMinor,
    statementClosingSource,
    ledgerClosingMinor,
    differenceMinor: (statementClosingMinor ?? 0) - ledgerClosingMinor,
    statementLineCount: monthLines.length,
    unexplainedStatement,
    unexplainedLedger,
    closed: closed ? { closedAt: closed.closedAt, closedBy: closed.closedBy, closedByName: closed.closedByName ?? null } : null,
  };
}

export type ClosedPeriod = typeof reconciliationPeriods.$inferSelect & { closedByName: string | null };

/** The closed months of the organisation (optionally one account), newest first. */
export async function listClosedMonths(db: DbOrTx, orgId: string, moneyAccountId?: string): Promise<ClosedPeriod[]> {
  const rows = await db
    .select({ period: reconciliationPeriods, closedByName: users.displayName })
    .from(reconciliationPeriods)
    .leftJoin(users, eq(users.id, reconciliationPeriods.closedBy))
    .where(and(eq(reconciliationPeriods.orgId, orgId), moneyAccountId ? eq(reconciliationPeriods.moneyAccountId, moneyAccountId) : undefined))
    .orderBy(desc(reconciliationPeriods.month), asc(reconciliationPeriods.moneyAccountId))
    .limit(240);
  return rows.map((r) => ({ ...r.period, closedByName: r.closedByName ?? null }));
}

/**
 * Closes a month of a money account (finance only). Refused: a month not over yet, a month
 * already closed, an earlier month with statement lines still open (months close in order), a
 * difference other than zero, or any unexplained item. One transaction (the account row locked),
 * audited; the period row keeps a snapshot of the figures.
 */
export async function closeMonth(
  db: Db,
  actor: Actor,
  input: { orgId: string; moneyAccountId: string; month: string; now?: Date },
): Promise<{ period: typeof reconciliationPeriods.$inferSelect; monthEnd: MonthEnd }> {
  const month = normalizeMonth(input.month);
  if (isSystemActor(actor) || !UUID.test(input.orgId)) throw new MonthEndError("not_allowed");
  return db.transaction(async (tx) => {
    const roles = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, input.orgId), eq(memberships.userId, actor.userId!)));
    if (!roles.some((r) => r.role === "finance")) throw new MonthEndError("not_allowed");
    const account = await moneyAccountOf(tx, input.orgId, input.moneyAccountId);
    // Serialises closing on the account (two officers pressing the button at once).
    await tx.select({ id: moneyAccounts.id }).from(moneyAccounts).where(eq(moneyAccounts.id, account.id)).for("update");
    const [org] = await tx.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, input.orgId)).limit(1);
    const today = todayIn(org?.timeZone ?? "UTC", input.now ?? new Date());
    if (month >= monthOf(today)) throw new MonthEndError("month_not_over", { month });

    const [already] = await tx
      .select({ id: reconciliationPeriods.id })
      .from(reconciliationPeriods)
      .where(and(eq(reconciliationPeriods.moneyAccountId, account.id), eq(reconciliationPeriods.month, month)))
      .limit(1);
    if (already) throw new MonthEndError("already_closed", { month });

    // Months close in order: the earliest month with statement lines that is not closed comes first.
    const [earlier] = await tx
      .select({ month: sql<string>`to_char(date_trunc('month', ${statementLines.valueDate}), 'YYYY-MM-DD')` })
      .from(statementLines)
      .where(
        and(
          eq(statementLines.moneyAccountId, account.id),
          lt(statementLines.valueDate, month),
          sql`not exists (select 1 from reconciliation_periods rp where rp.money_account_id = ${account.id} and rp.month = date_trunc('month', ${statementLines.valueDate})::date)`,
        ),
      )
      .orderBy(asc(statementLines.valueDate))
      .limit(1);
    if (earlier) throw new MonthEndError("earlier_month_open", { month: earlier.month });

    const figures = await monthEnd(tx, { orgId: input.orgId, moneyAccountId: account.id, month });
    if (figures.differenceMinor !== 0) throw new MonthEndError("difference_not_zero", { differenceMinor: figures.differenceMinor });
    if (figures.unexplainedStatement.length > 0 || figures.unexplainedLedger.length > 0)
      throw new MonthEndError("unexplained_items", { statementLines: figures.unexplainedStatement.length, ledgerEntries: figures.unexplainedLedger.length });

    const snapshot = {
      statementClosingSource: figures.statementClosingSource,
      statementLineCount: figures.statementLineCount,
      unexplainedStatement: figures.unexplainedStatement,
      unexplainedLedger: figures.unexplainedLedger,
    };
    const [period] = await tx
      .insert(reconciliationPeriods)
      .values({
        orgId: input.orgId,
        moneyAccountId: account.id,
        month,
        currency: account.currency,
        statementClosingMinor: figures.statementClosingMinor,
        ledgerClosingMinor: figures.ledgerClosingMinor,
        differenceMinor: figures.differenceMinor,
        snapshot,
        closedBy: actor.userId!,
      })
      .returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "month_end.close",
      entityType: "reconciliation_period",
      entityId: period.id,
      change: {
        moneyAccountId: account.id,
        month,
        currency: account.currency,
        statementClosingMinor: figures.statementClosingMinor,
        ledgerClosingMinor: figures.ledgerClosingMinor,
      },
    });
    return { period, monthEnd: { ...figures, closed: { closedAt: period.closedAt, closedBy: period.closedBy, closedByName: null } } };
  });
}

/** The organisation's money accounts (for the month-end picker). */
export async function moneyAccountOptions(db: DbOrTx, orgId: string) {
  return db
    .select({ id: moneyAccounts.id, name: moneyAccounts.name, kind: moneyAccounts.kind, currency: moneyAccounts.currency, active: moneyAccounts.active })
    .from(moneyAccounts)
    .where(eq(moneyAccounts.orgId, orgId))
    .orderBy(asc(moneyAccounts.currency), asc(moneyAccounts.name));
}
