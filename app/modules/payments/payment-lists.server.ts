import { aliasedTable, and, asc, desc, eq, gte, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import { type DbOrTx } from "#db/client.server";
import { ledgerEntries, moneyAccounts, needs, paymentDocuments, payments, pledges, receipts, refunds, users } from "#db/schema";
import { isUuid, type PaymentListFilter } from "./schemas";
import { PAYMENTS_PAGE_SIZE } from "./inbox-pledges.server";
import { journalPostings } from "./journal.server";

/** The payments list with its queues and counts, and one payment's detail page. */
// ---------------------------------------------------------------- payments

export interface PaymentCounts {
  awaiting: number;
  suspense: number;
  flagged: number;
  closed: number;
}

const IN_LEDGER = sql`${payments.status} in ('succeeded', 'partly_refunded', 'disputed')`;

function queueWhere(queue: string | undefined): SQL | undefined {
  switch (queue) {
    case "awaiting":
      return eq(payments.status, "awaiting_confirmation");
    case "suspense":
      return and(eq(payments.allocation, "suspense"), IN_LEDGER);
    case "flagged":
      return and(isNotNull(payments.flag), isNull(payments.flagResolvedAt));
    case "closed":
      return and(eq(payments.allocation, "need_fund"), IN_LEDGER, sql`${needs.state} in ('cancelled', 'expired')`);
    default:
      return undefined;
  }
}

/** How many payments wait in each of finance's queues (one query). */
export async function paymentCounts(db: DbOrTx, orgId: string): Promise<PaymentCounts> {
  const [row] = await db
    .select({
      awaiting: sql<number>`(count(*) filter (where ${queueWhere("awaiting")}))::int`,
      suspense: sql<number>`(count(*) filter (where ${queueWhere("suspense")}))::int`,
      flagged: sql<number>`(count(*) filter (where ${queueWhere("flagged")}))::int`,
      closed: sql<number>`(count(*) filter (where ${queueWhere("closed")}))::int`,
    })
    .from(payments)
    .leftJoin(needs, eq(needs.id, payments.needId))
    .where(eq(payments.orgId, orgId));
  return {
    awaiting: Number(row?.awaiting ?? 0),
    suspense: Number(row?.suspense ?? 0),
    flagged: Number(row?.flagged ?? 0),
    closed: Number(row?.closed ?? 0),
  };
}

export interface PaymentRow {
  id: string;
  method: string;
  status: string;
  allocation: string;
  amountMinor: number;
  feeMinor: number;
  refundedMinor: number;
  surplusMinor: number;
  currency: string;
  valueDate: string;
  recordedAt: Date;
  recordedBy: string | null;
  recordedByName: string | null;
  externalId: string | null;
  flag: string | null;
  flagResolvedAt: Date | null;
  pledgeId: string | null;
  pledgeReference: string | null;
  needId: string | null;
  needPublicId: string | null;
  needTitleAr: string | null;
  needTitleEn: string | null;
  needState: string | null;
  donorName: string | null;
  moneyAccountName: string | null;
}

const recorder = aliasedTable(users, "recorder");

const paymentColumns = {
  id: payments.id,
  method: payments.method,
  status: payments.status,
  allocation: payments.allocation,
  amountMinor: payments.amountMinor,
  feeMinor: payments.feeMinor,
  refundedMinor: payments.refundedMinor,
  surplusMinor: payments.surplusMinor,
  currency: payments.currency,
  valueDate: payments.valueDate,
  recordedAt: payments.recordedAt,
  recordedBy: payments.recordedBy,
  recordedByName: recorder.displayName,
  externalId: payments.externalId,
  flag: payments.flag,
  flagResolvedAt: payments.flagResolvedAt,
  pledgeId: payments.pledgeId,
  pledgeReference: pledges.reference,
  needId: needs.id,
  needPublicId: needs.publicId,
  needTitleAr: needs.titleAr,
  needTitleEn: needs.titleEn,
  needState: needs.state,
  donorName: sql<string | null>`coalesce(${payments.donorName}, case when ${pledges.anonymous} then null else ${pledges.displayName} end)`,
  moneyAccountName: moneyAccounts.name,
};

/** The need a payment is about: where its money sits, else its pledge's need. */
const paymentNeedJoin = sql`${needs.id} = coalesce(${payments.needId}, ${pledges.needId}) and ${needs.orgId} = ${payments.orgId}`;

function paymentsBase(db: DbOrTx) {
  return db
    .select(paymentColumns)
    .from(payments)
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .leftJoin(needs, paymentNeedJoin)
    .leftJoin(recorder, eq(recorder.id, payments.recordedBy))
    .leftJoin(moneyAccounts, eq(moneyAccounts.id, payments.moneyAccountId));
}

/** One page of the organisation's payments, newest first, filtered (and a queue). */
export async function listPayments(
  db: DbOrTx,
  input: { orgId: string; filter: PaymentListFilter; page?: number; pageSize?: number },
): Promise<{ payments: PaymentRow[]; total: number; page: number; pages: number }> {
  const { filter } = input;
  const conditions: (SQL | undefined)[] = [eq(payments.orgId, input.orgId)];
  if (filter.method) conditions.push(eq(payments.method, filter.method));
  if (filter.status) conditions.push(eq(payments.status, filter.status));
  if (filter.flagged) conditions.push(queueWhere("flagged"));
  if (filter.from) conditions.push(gte(payments.valueDate, filter.from));
  if (filter.to) conditions.push(lte(payments.valueDate, filter.to));
  conditions.push(queueWhere(filter.queue));
  const where = and(...conditions);
  const pageSize = input.pageSize ?? PAYMENTS_PAGE_SIZE;
  const [{ total }] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(payments)
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .leftJoin(needs, paymentNeedJoin)
    .where(where);
  const pages = Math.max(1, Math.ceil(Number(total) / pageSize));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const rows = await paymentsBase(db)
    .where(where)
    .orderBy(desc(payments.recordedAt), desc(payments.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { payments: rows, total: Number(total), page, pages };
}

export interface PaymentDetail extends PaymentRow {
  orgId: string;
  coverFeeMinor: number;
  confirmedBy: string | null;
  confirmedByName: string | null;
  confirmedAt: Date | null;
  note: string | null;
  donorEmail: string | null;
  proof: { id: string; fileName: string; mimeType: string; sizeBytes: number } | null;
  pledge: { amountMinor: number; paidMinor: number; status: string; email: string; needId: string } | null;
  postings: {
    entryId: string;
    kind: string;
    memo: string;
    valueDate: string;
    createdAt: Date;
    actorName: string | null;
    actorUserId: string | null;
    accountKind: string;
    accountLabel: string | null;
    amountMinor: number;
    currency: string;
  }[];
  receipts: { id: string; kind: string; number: string; amountMinor: number; currency: string; issuedAt: Date }[];
  refunds: {
    id: string;
    amountMinor: number;
    currency: string;
    status: string;
    stripeRefundId: string | null;
    externalId: string | null;
    reason: string | null;
    createdAt: Date;
    recordedByName: string | null;
  }[];
}

/** Everything the payment page shows, or null when it is not this organisation's. */
export async function paymentDetail(db: DbOrTx, orgId: string, paymentId: string): Promise<PaymentDetail | null> {
  if (!isUuid(paymentId)) return null;
  const confirmer = aliasedTable(users, "confirmer");
  const [row] = await db
    .select({
      ...paymentColumns,
      orgId: payments.orgId,
      coverFeeMinor: payments.coverFeeMinor,
      confirmedBy: payments.confirmedBy,
      confirmedByName: confirmer.displayName,
      confirmedAt: payments.confirmedAt,
      note: payments.note,
      donorEmail: sql<string | null>`coalesce(${payments.donorEmail}, ${pledges.email})`,
      proofDocumentId: payments.proofDocumentId,
      pledgeAmountMinor: pledges.amountMinor,
      pledgePaidMinor: pledges.paidMinor,
      pledgeStatus: pledges.status,
      pledgeEmail: pledges.email,
      pledgeNeedId: pledges.needId,
    })
    .from(payments)
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .leftJoin(needs, paymentNeedJoin)
    .leftJoin(recorder, eq(recorder.id, payments.recordedBy))
    .leftJoin(confirmer, eq(confirmer.id, payments.confirmedBy))
    .leftJoin(moneyAccounts, eq(moneyAccounts.id, payments.moneyAccountId))
    .where(and(eq(payments.orgId, orgId), eq(payments.id, paymentId)))
    .limit(1);
  if (!row) return null;

  const proof = row.proofDocumentId
    ? ((
        await db
          .select({ id: paymentDocuments.id, fileName: paymentDocuments.fileName, mimeType: paymentDocuments.mimeType, sizeBytes: paymentDocuments.sizeBytes })
          .from(paymentDocuments)
          .where(and(eq(paymentDocuments.id, row.proofDocumentId), eq(paymentDocuments.orgId, orgId)))
          .limit(1)
      )[0] ?? null)
    : null;

  const refundRows = await db
    .select({
      id: refunds.id,
      amountMinor: refunds.amountMinor,
      currency: refunds.currency,
      status: refunds.status,
      stripeRefundId: refunds.stripeRefundId,
      externalId: refunds.externalId,
      reason: refunds.reason,
      createdAt: refunds.createdAt,
      recordedByName: users.displayName,
    })
    .from(refunds)
    .leftJoin(users, eq(users.id, refunds.recordedBy))
    .where(and(eq(refunds.orgId, orgId), eq(refunds.paymentId, paymentId)))
    .orderBy(asc(refunds.createdAt), asc(refunds.id));

  const postings = await journalPostings(db, orgId, and(eq(ledgerEntries.paymentId, paymentId))!);

  const receiptRows = await db
    .select({ id: receipts.id, kind: receipts.kind, number: receipts.number, amountMinor: receipts.amountMinor, currency: receipts.currency, issuedAt: receipts.issuedAt })
    .from(receipts)
    .where(and(eq(receipts.orgId, orgId), eq(receipts.paymentId, paymentId)))
    .orderBy(asc(receipts.issuedAt), asc(receipts.id));

  const {
    proofDocumentId: _proof,
    pledgeAmountMinor,
    pledgePaidMinor,
    pledgeStatus,
    pledgeEmail,
    pledgeNeedId,
    ...rest
  } = row;
  return {
    ...rest,
    proof,
    pledge:
      row.pledgeId && pledgeAmountMinor !== null && pledgeStatus && pledgeEmail && pledgeNeedId
        ? { amountMinor: pledgeAmountMinor, paidMinor: pledgePaidMinor ?? 0, status: pledgeStatus, email: pledgeEmail, needId: pledgeNeedId }
        : null,
    postings: postings.map((p) => ({
      entryId: p.entryId,
      kind: p.kind,
      memo: p.memo,
      valueDate: p.valueDate,
      createdAt: p.createdAt,
      actorName: p.actorName,
      actorUserId: p.actorUserId,
      accountKind: p.accountKind,
      accountLabel: p.accountLabel,
      amountMinor: p.amountMinor,
      currency: p.currency,
    })),
    receipts: receiptRows,
    refunds: refundRows,
  };
}

/** Needs of the organisation that money may move to: published, in this currency, with room. */
export async function reallocationTargets(db: DbOrTx, orgId: string, currency: string, limit = 100) {
  return db
    .select({
      id: needs.id,
      publicId: needs.publicId,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      state: needs.state,
      roomMinor: sql<number>`(${needs.targetMinor} - ${needs.reservedMinor} - ${needs.paidMinor})::bigint`.mapWith(Number),
    })
    .from(needs)
    .where(
      and(
        eq(needs.orgId, orgId),
        eq(needs.currency, currency),
        eq(needs.state, "published"),
        sql`${needs.targetMinor} - ${needs.reservedMinor} - ${needs.paidMinor} > 0`,
      ),
    )
    .orderBy(asc(needs.publicId))
    .limit(limit);
}

/** A need of this organisation by id (for checking a reallocation target), or null. */
export async function orgNeed(db: DbOrTx, orgId: string, needId: string) {
  if (!isUuid(needId)) return null;
  const [row] = await db
    .select({ id: needs.id, currency: needs.currency, state: needs.state, publicId: needs.publicId })
    .from(needs)
    .where(and(eq(needs.orgId, orgId), eq(needs.id, needId)))
    .limit(1);
  return row ?? null;
}

/** The payment a request (its idempotency key) already recorded in this organisation, if any. */
export async function paymentByRequestKey(db: DbOrTx, orgId: string, idempotencyKey: string): Promise<{ id: string } | null> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), eq(payments.idempotencyKey, idempotencyKey)))
    .limit(1);
  return row ?? null;
}
