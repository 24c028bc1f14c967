import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { auditLog, disbursementBatches, disbursements, ledgerEntries, moneyAccounts, needs, paymentDocuments, payees, users } from "#db/schema";
import { entryPostings } from "~/modules/ledger/ledger.server";
import type { Posting } from "~/modules/ledger/ledger";
import { availableMinor, type DisbursementStatus } from "./rules";
import { UUID, DISBURSEMENT_PAGE_SIZE, balancesOf, type Need, type Batch } from "./disbursement-steps.server";

// ---------------------------------------------------------------- read

export type FundsAvailableRow = {
  needId: string;
  publicId: string;
  titleAr: string | null;
  titleEn: string | null;
  state: Need["state"];
  currency: string;
  payeeId: string | null;
  fundMinor: number;
  claimedMinor: number;
  availableMinor: number;
};

/**
 * The organisation's needs (of a payee, in a currency) whose fund holds money: the balance, what
 * open batches already ask for, and what is left for a new batch.
 */
export async function fundsAvailable(db: DbOrTx, orgId: string, options: { payeeId?: string | null; currency: string }): Promise<FundsAvailableRow[]> {
  if (!UUID.test(orgId)) return [];
  if (options.payeeId && !UUID.test(options.payeeId)) return [];
  const fund = sql<string>`coalesce((select -sum(lp.amount_minor) from ledger_postings lp join ledger_accounts la on la.id = lp.account_id where la.kind = 'need_fund' and la.need_id = "needs"."id"), 0)`;
  const claimed = sql<string>`coalesce((select sum(d.amount_minor) from disbursements d join disbursement_batches b on b.id = d.batch_id where d.need_id = "needs"."id" and b.status in ('requested', 'approved')), 0)`;
  const rows = await db
    .select({
      needId: needs.id,
      publicId: needs.publicId,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      state: needs.state,
      currency: needs.currency,
      payeeId: needs.payeeId,
      fund,
      claimed,
    })
    .from(needs)
    .where(and(eq(needs.orgId, orgId), eq(needs.currency, options.currency), options.payeeId ? eq(needs.payeeId, options.payeeId) : undefined, sql`${fund} > 0`))
    .orderBy(asc(needs.createdAt), asc(needs.id));
  return rows.map((r) => {
    const fundMinor = Number(r.fund);
    const claimedMinor = Number(r.claimed);
    return { ...r, fundMinor, claimedMinor, availableMinor: availableMinor(fundMinor, claimedMinor) };
  });
}

export type BatchListRow = Batch & { payeeName: string; payeeKind: (typeof payees.$inferSelect)["kind"]; needCount: number; requesterName: string };

/** The organisation's batches, newest first, by status, a page at a time. */
export async function listDisbursements(
  db: DbOrTx,
  orgId: string,
  options: { status?: DisbursementStatus | null; payeeId?: string | null; needId?: string | null; page?: number; pageSize?: number } = {},
): Promise<{ rows: BatchListRow[]; total: number; page: number; pages: number }> {
  const pageSize = options.pageSize ?? DISBURSEMENT_PAGE_SIZE;
  const where = and(
    eq(disbursementBatches.orgId, orgId),
    options.status ? eq(disbursementBatches.status, options.status) : undefined,
    options.payeeId ? eq(disbursementBatches.payeeId, options.payeeId) : undefined,
    options.needId ? sql`exists (select 1 from disbursements d where d.batch_id = ${disbursementBatches.id} and d.need_id = ${options.needId})` : undefined,
  );
  const [{ total }] = await db.select({ total: count() }).from(disbursementBatches).where(where);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
  const rows = await db
    .select({
      batch: disbursementBatches,
      payeeName: payees.name,
      payeeKind: payees.kind,
      requesterName: users.displayName,
      needCount: sql<number>`(select count(*)::int from disbursements d where d.batch_id = ${disbursementBatches.id})`,
    })
    .from(disbursementBatches)
    .innerJoin(payees, eq(payees.id, disbursementBatches.payeeId))
    .innerJoin(users, eq(users.id, disbursementBatches.requestedBy))
    .where(where)
    .orderBy(desc(disbursementBatches.requestedAt), desc(disbursementBatches.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    rows: rows.map((r) => ({ ...r.batch, payeeName: r.payeeName, payeeKind: r.payeeKind, requesterName: r.requesterName, needCount: Number(r.needCount) })),
    total,
    page,
    pages,
  };
}

/** How many batches of each status the organisation has (for the tabs and the finance home). */
export async function disbursementCounts(db: DbOrTx, orgId: string): Promise<Record<DisbursementStatus, number>> {
  const rows = await db
    .select({ status: disbursementBatches.status, n: count() })
    .from(disbursementBatches)
    .where(eq(disbursementBatches.orgId, orgId))
    .groupBy(disbursementBatches.status);
  const out: Record<DisbursementStatus, number> = { requested: 0, approved: 0, rejected: 0, paid: 0, cancelled: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** One batch of the organisation with its payee, its needs (and their funds now), the people, its history and — once paid — its ledger entry. Null when not this organisation's. */
export async function getDisbursement(db: DbOrTx, orgId: string, batchId: string) {
  if (!UUID.test(batchId) || !UUID.test(orgId)) return null;
  const [batch] = await db
    .select()
    .from(disbursementBatches)
    .where(and(eq(disbursementBatches.id, batchId), eq(disbursementBatches.orgId, orgId)))
    .limit(1);
  if (!batch) return null;
  const [payee] = await db.select().from(payees).where(eq(payees.id, batch.payeeId)).limit(1);
  const [account] = await db.select().from(moneyAccounts).where(eq(moneyAccounts.id, batch.moneyAccountId)).limit(1);
  const itemRows = await db
    .select({ item: disbursements, publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, state: needs.state, disbursedMinor: needs.disbursedMinor })
    .from(disbursements)
    .innerJoin(needs, eq(needs.id, disbursements.needId))
    .where(eq(disbursements.batchId, batch.id))
    .orderBy(asc(needs.createdAt), asc(needs.id));
  const balances = await balancesOf(db, itemRows.map((r) => r.item.needId), batch.id);
  const people = [batch.requestedBy, batch.decidedBy, batch.paidBy].filter((x): x is string => Boolean(x));
  const names = new Map(
    (people.length ? await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, people)) : []).map((u) => [u.id, u.name]),
  );
  const history = await db
    .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, actorUserId: auditLog.actorUserId, actorName: users.displayName, change: auditLog.change })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.entityType, "disbursement_batch"), eq(auditLog.entityId, batch.id)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  let entry: { id: string; valueDate: string; memo: string; postings: Posting[] } | null = null;
  if (batch.ledgerEntryId) {
    const [e] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, batch.ledgerEntryId)).limit(1);
    if (e) entry = { id: e.id, valueDate: e.valueDate, memo: e.memo, postings: (await entryPostings(db, e.id)).postings };
  }
  let proof: { id: string; fileName: string } | null = null;
  if (batch.proofDocumentId) {
    const [doc] = await db.select({ id: paymentDocuments.id, fileName: paymentDocuments.fileName }).from(paymentDocuments).where(eq(paymentDocuments.id, batch.proofDocumentId)).limit(1);
    proof = doc ?? null;
  }
  return {
    batch,
    payee: payee ?? null,
    account: account ?? null,
    items: itemRows.map((r) => {
      const b = balances.get(r.item.needId)!;
      return { ...r.item, publicId: r.publicId, titleAr: r.titleAr, titleEn: r.titleEn, state: r.state, disbursedMinor: r.disbursedMinor, fundMinor: b.fundMinor, otherClaimsMinor: b.claimedMinor };
    }),
    names: Object.fromEntries(names),
    history,
    entry,
    proof,
  };
}

/** A need's batches (for the staff need page): number, status, amount for this need, payee kind, dates. */
export async function needDisbursements(db: DbOrTx, orgId: string, needId: string) {
  if (!UUID.test(needId) || !UUID.test(orgId)) return [];
  return db
    .select({
      batchId: disbursementBatches.id,
      number: disbursementBatches.number,
      status: disbursementBatches.status,
      amountMinor: disbursements.amountMinor,
      currency: disbursements.currency,
      payeeKind: payees.kind,
      requestedAt: disbursementBatches.requestedAt,
      paidDate: disbursementBatches.paidDate,
    })
    .from(disbursements)
    .innerJoin(disbursementBatches, eq(disbursementBatches.id, disbursements.batchId))
    .innerJoin(payees, eq(payees.id, disbursementBatches.payeeId))
    .where(and(eq(disbursements.needId, needId), eq(disbursements.orgId, orgId)))
    .orderBy(desc(disbursementBatches.requestedAt))
    .limit(50);
}

/** The organisation's money accounts a method can pay from (active, of the method's kind). */
export async function payingAccounts(db: DbOrTx, orgId: string) {
  return db
    .select({ id: moneyAccounts.id, name: moneyAccounts.name, kind: moneyAccounts.kind, currency: moneyAccounts.currency })
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, orgId), eq(moneyAccounts.active, true)))
    .orderBy(asc(moneyAccounts.kind), asc(moneyAccounts.name));
}

/** The organisation's active payees matching `q` (name, contact; Arabic-normalized search text too), a page at a time. */
export async function searchPayees(db: DbOrTx, orgId: string, options: { q?: string | null; page?: number; pageSize?: number } = {}) {
  const pageSize = options.pageSize ?? DISBURSEMENT_PAGE_SIZE;
  const q = (options.q ?? "").trim().slice(0, 100);
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = and(
    eq(payees.orgId, orgId),
    eq(payees.status, "active"),
    q ? sql`(${payees.name} ilike ${like} or ${payees.searchText} ilike ${like} or coalesce(${payees.contactName}, '') ilike ${like})` : undefined,
  );
  const [{ total }] = await db.select({ total: count() }).from(payees).where(where);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
  const rows = await db
    .select({
      id: payees.id,
      name: payees.name,
      kind: payees.kind,
      collection: payees.collection,
      detailsApproved: sql<boolean>`${payees.detailsApprovedAt} is not null`,
      needsWithMoney: sql<number>`(select count(*)::int from needs n where n.payee_id = ${payees.id} and coalesce((select -sum(lp.amount_minor) from ledger_postings lp join ledger_accounts la on la.id = lp.account_id where la.kind = 'need_fund' and la.need_id = n.id), 0) > 0)`,
    })
    .from(payees)
    .where(where)
    .orderBy(asc(payees.name), asc(payees.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total, page, pages };
}

/** One active payee of the organisation (for the request form), or null. */
export async function payeeOf(db: DbOrTx, orgId: string, payeeId: string) {
  if (!UUID.test(payeeId)) return null;
  const [row] = await db.select().from(payees).where(and(eq(payees.id, payeeId), eq(payees.orgId, orgId))).limit(1);
  return row ?? null;
}
