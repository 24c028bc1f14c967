import { aliasedTable, and, asc, desc, eq, gte, inArray, lte, or, sql, type SQL } from "drizzle-orm";
import { type DbOrTx } from "#db/client.server";
import { ledgerAccounts, ledgerEntries, ledgerPostings, moneyAccounts, needs, pledges, users } from "#db/schema";
import { UUID_PATTERN, type JournalFilter } from "./schemas";
import { JOURNAL_PAGE_SIZE, CSV_MAX_ROWS } from "./inbox-pledges.server";

/** The ledger as finance reads it: the journal with filters and CSV, the trial balance, each need's fund. */
// ---------------------------------------------------------------- ledger

const actorUser = aliasedTable(users, "entry_actor");

/** A ledger account's label: its money account's name, or its need's public id. */
export const accountLabel = sql<string | null>`coalesce(${moneyAccounts.name}, ${needs.publicId})`;

export async function journalPostings(db: DbOrTx, orgId: string, where: SQL, limit?: number, oldestFirst = false) {
  const query = db
    .select({
      postingId: ledgerPostings.id,
      entryId: ledgerEntries.id,
      kind: ledgerEntries.kind,
      memo: ledgerEntries.memo,
      valueDate: ledgerEntries.valueDate,
      createdAt: ledgerEntries.createdAt,
      paymentId: ledgerEntries.paymentId,
      refundId: ledgerEntries.refundId,
      reversesEntryId: ledgerEntries.reversesEntryId,
      actorUserId: ledgerEntries.actorUserId,
      actorName: actorUser.displayName,
      accountId: ledgerAccounts.id,
      accountKind: ledgerAccounts.kind,
      accountKey: ledgerAccounts.key,
      accountLabel,
      needPublicId: needs.publicId,
      amountMinor: ledgerPostings.amountMinor,
      currency: ledgerPostings.currency,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .leftJoin(moneyAccounts, eq(moneyAccounts.id, ledgerAccounts.moneyAccountId))
    .leftJoin(needs, eq(needs.id, ledgerAccounts.needId))
    .leftJoin(actorUser, eq(actorUser.id, ledgerEntries.actorUserId))
    .where(and(eq(ledgerEntries.orgId, orgId), where))
    .orderBy(
      oldestFirst ? asc(ledgerEntries.createdAt) : desc(ledgerEntries.createdAt),
      oldestFirst ? asc(ledgerEntries.id) : desc(ledgerEntries.id),
      asc(ledgerPostings.id),
    );
  return limit ? query.limit(limit) : query;
}

export interface TrialBalanceRow {
  currency: string;
  accountId: string;
  kind: string;
  type: string;
  label: string | null;
  balanceMinor: number;
}

/** Every account's balance (debit +), per currency: the trial balance. */
export async function trialBalance(db: DbOrTx, orgId: string) {
  const rows = await db
    .select({
      currency: ledgerAccounts.currency,
      accountId: ledgerAccounts.id,
      kind: ledgerAccounts.kind,
      type: ledgerAccounts.type,
      label: accountLabel,
      balanceMinor: sql<number>`coalesce(sum(${ledgerPostings.amountMinor}), 0)::bigint`.mapWith(Number),
    })
    .from(ledgerAccounts)
    .leftJoin(ledgerPostings, eq(ledgerPostings.accountId, ledgerAccounts.id))
    .leftJoin(moneyAccounts, eq(moneyAccounts.id, ledgerAccounts.moneyAccountId))
    .leftJoin(needs, eq(needs.id, ledgerAccounts.needId))
    .where(eq(ledgerAccounts.orgId, orgId))
    .groupBy(ledgerAccounts.id, moneyAccounts.name, needs.publicId)
    .orderBy(asc(ledgerAccounts.currency), asc(ledgerAccounts.type), asc(ledgerAccounts.kind), asc(accountLabel));
  const byCurrency = new Map<string, { currency: string; rows: TrialBalanceRow[]; debitMinor: number; creditMinor: number; balanced: boolean }>();
  for (const row of rows) {
    let group = byCurrency.get(row.currency);
    if (!group) byCurrency.set(row.currency, (group = { currency: row.currency, rows: [], debitMinor: 0, creditMinor: 0, balanced: true }));
    group.rows.push(row);
    if (row.balanceMinor > 0) group.debitMinor += row.balanceMinor;
    else group.creditMinor -= row.balanceMinor;
  }
  for (const group of byCurrency.values()) group.balanced = group.debitMinor === group.creditMinor;
  return [...byCurrency.values()];
}

export interface NeedFundRow {
  needId: string;
  publicId: string;
  titleAr: string | null;
  titleEn: string | null;
  state: string;
  currency: string;
  targetMinor: number;
  fundMinor: number;
  deliveriesMinor: number;
  paidMinor: number;
  reservedMinor: number;
  expectedReservedMinor: number;
  paidDifferenceMinor: number;
  reservedDifferenceMinor: number;
}

/**
 * Each need with a fund or counters: the fund's balance (credit, shown positive) and received
 * deliveries beside `needs.paid_minor`, and what open pledges still expect beside
 * `needs.reserved_minor` (the contract's rules). A difference is a problem.
 */
export async function needFunds(db: DbOrTx, orgId: string): Promise<NeedFundRow[]> {
  const rows = await db
    .select({
      needId: needs.id,
      publicId: needs.publicId,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      state: needs.state,
      currency: needs.currency,
      targetMinor: needs.targetMinor,
      paidMinor: needs.paidMinor,
      reservedMinor: needs.reservedMinor,
      fundMinor: sql<number>`coalesce((select -sum(p.amount_minor) from ${ledgerPostings} p join ${ledgerAccounts} a on a.id = p.account_id
        where a.need_id = "needs"."id" and a.kind = 'need_fund'), 0)::bigint`.mapWith(Number),
      deliveriesMinor: sql<number>`coalesce((select sum(pl.amount_minor) from ${pledges} pl
        where pl.need_id = "needs"."id" and pl.method = 'delivery' and pl.status = 'received'), 0)::bigint`.mapWith(Number),
      expectedReservedMinor: sql<number>`coalesce((select sum(pl.amount_minor - pl.paid_minor) from ${pledges} pl
        where pl.need_id = "needs"."id" and pl.status in ('pending', 'awaiting_payment', 'offered')), 0)::bigint`.mapWith(Number),
    })
    .from(needs)
    .where(
      and(
        eq(needs.orgId, orgId),
        or(
          sql`${needs.paidMinor} > 0`,
          sql`${needs.reservedMinor} > 0`,
          sql`exists (select 1 from ${ledgerAccounts} a where a.need_id = "needs"."id")`,
        ),
      ),
    )
    .orderBy(asc(needs.currency), asc(needs.publicId));
  return rows.map((r) => ({
    ...r,
    paidDifferenceMinor: r.paidMinor - (r.fundMinor + r.deliveriesMinor),
    reservedDifferenceMinor: r.reservedMinor - r.expectedReservedMinor,
  }));
}

/** The organisation's ledger accounts, for the journal's account filter. */
export async function ledgerAccountOptions(db: DbOrTx, orgId: string) {
  return db
    .select({ id: ledgerAccounts.id, kind: ledgerAccounts.kind, currency: ledgerAccounts.currency, label: accountLabel })
    .from(ledgerAccounts)
    .leftJoin(moneyAccounts, eq(moneyAccounts.id, ledgerAccounts.moneyAccountId))
    .leftJoin(needs, eq(needs.id, ledgerAccounts.needId))
    .where(eq(ledgerAccounts.orgId, orgId))
    .orderBy(asc(ledgerAccounts.currency), asc(ledgerAccounts.kind), asc(accountLabel));
}

/** The entries matching the journal filter (an entry matches when one of its postings does). */
async function journalEntryWhere(db: DbOrTx, orgId: string, filter: JournalFilter): Promise<SQL | null> {
  const conditions: (SQL | undefined)[] = [eq(ledgerEntries.orgId, orgId)];
  if (filter.kind) conditions.push(eq(ledgerEntries.kind, filter.kind));
  if (filter.from) conditions.push(gte(ledgerEntries.valueDate, filter.from));
  if (filter.to) conditions.push(lte(ledgerEntries.valueDate, filter.to));
  const postingConditions: SQL[] = [];
  if (filter.account) postingConditions.push(sql`p.account_id = ${filter.account}`);
  if (filter.currency) postingConditions.push(sql`p.currency = ${filter.currency}`);
  if (filter.need) {
    const [need] = await db
      .select({ id: needs.id })
      .from(needs)
      .where(and(eq(needs.orgId, orgId), UUID_PATTERN.test(filter.need) ? eq(needs.id, filter.need) : eq(needs.publicId, filter.need.toUpperCase())))
      .limit(1);
    if (!need) return null;
    conditions.push(
      or(
        eq(ledgerEntries.needId, need.id),
        sql`exists (select 1 from ${ledgerPostings} p2 join ${ledgerAccounts} a2 on a2.id = p2.account_id where p2.entry_id = "ledger_entries"."id" and a2.need_id = ${need.id})`,
      ),
    );
  }
  if (postingConditions.length > 0) {
    conditions.push(sql`exists (select 1 from ${ledgerPostings} p where p.entry_id = "ledger_entries"."id" and ${sql.join(postingConditions, sql` and `)})`);
  }
  return and(...conditions)!;
}

/** One page of journal entries (newest first) with their postings. */
export async function journal(db: DbOrTx, input: { orgId: string; filter: JournalFilter; page?: number; pageSize?: number }) {
  const pageSize = input.pageSize ?? JOURNAL_PAGE_SIZE;
  const where = await journalEntryWhere(db, input.orgId, input.filter);
  if (!where) return { entries: [], total: 0, page: 1, pages: 1 };
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(ledgerEntries).where(where);
  const pages = Math.max(1, Math.ceil(Number(total) / pageSize));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const entries = await db
    .select({
      id: ledgerEntries.id,
      kind: ledgerEntries.kind,
      memo: ledgerEntries.memo,
      valueDate: ledgerEntries.valueDate,
      createdAt: ledgerEntries.createdAt,
      paymentId: ledgerEntries.paymentId,
      reversesEntryId: ledgerEntries.reversesEntryId,
      actorUserId: ledgerEntries.actorUserId,
      actorName: actorUser.displayName,
    })
    .from(ledgerEntries)
    .leftJoin(actorUser, eq(actorUser.id, ledgerEntries.actorUserId))
    .where(where)
    .orderBy(desc(ledgerEntries.createdAt), desc(ledgerEntries.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const ids = entries.map((e) => e.id);
  const postings = ids.length
    ? await db
        .select({
          entryId: ledgerPostings.entryId,
          accountId: ledgerAccounts.id,
          accountKind: ledgerAccounts.kind,
          accountLabel,
          amountMinor: ledgerPostings.amountMinor,
          currency: ledgerPostings.currency,
        })
        .from(ledgerPostings)
        .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
        .leftJoin(moneyAccounts, eq(moneyAccounts.id, ledgerAccounts.moneyAccountId))
        .leftJoin(needs, eq(needs.id, ledgerAccounts.needId))
        .where(inArray(ledgerPostings.entryId, ids))
        .orderBy(asc(ledgerPostings.id))
    : [];
  return {
    entries: entries.map((e) => ({ ...e, postings: postings.filter((p) => p.entryId === e.id).map(({ entryId: _e, ...p }) => p) })),
    total: Number(total),
    page,
    pages,
  };
}

/** The filtered journal, one row per posting (oldest first), for the CSV export. */
export async function journalCsvRows(db: DbOrTx, orgId: string, filter: JournalFilter) {
  const where = await journalEntryWhere(db, orgId, filter);
  if (!where) return [];
  return journalPostings(db, orgId, where, CSV_MAX_ROWS + 1, true);
}
