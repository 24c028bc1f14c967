import { and, asc, count, desc, eq, gte, inArray, lt } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { disbursementBatches, moneyAccounts, payments, pledges, statementLines, statementMatches } from "#db/schema";
import { UUID, isMonthClosed } from "./matching-steps.server";

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
