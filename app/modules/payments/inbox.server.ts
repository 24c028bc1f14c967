import { aliasedTable, and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import {
  ledgerAccounts,
  ledgerEntries,
  ledgerPostings,
  moneyAccounts,
  needs,
  orgPaymentDetails,
  paymentDocuments,
  payments,
  pledges,
  receipts,
  refunds,
  users,
} from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { referenceSearch } from "~/modules/pledging/staff";
import { currencyDigits } from "~/utils/format";
import { toAsciiDigits } from "~/modules/anonymization/normalize";
import {
  ACCOUNT_KIND_OF,
  isUuid,
  UUID_PATTERN,
  type JournalFilter,
  type MoneyAccountKind,
  type OfflineMethod,
  type PaymentListFilter,
} from "./schemas";

/**
 * The read side of the finance screens (payments inbox, payment page, ledger page, money
 * accounts): every query is scoped to the organisation. Money moves only through
 * payments.server.ts and the ledger module; the only writes here are the money accounts' names.
 */

export const PAYMENTS_PAGE_SIZE = 25;
export const JOURNAL_PAGE_SIZE = 30;
/** The CSV export stops here (a year of a busy organisation); the page says so when cut. */
export const CSV_MAX_ROWS = 50_000;

// ---------------------------------------------------------------- pledges to pay

export interface PayablePledge {
  id: string;
  reference: string;
  needId: string;
  needPublicId: string;
  needTitleAr: string | null;
  needTitleEn: string | null;
  needState: string;
  amountMinor: number;
  paidMinor: number;
  currency: string;
  method: string;
  status: string;
  displayName: string | null;
  anonymous: boolean;
  email: string;
  expiresAt: Date | null;
  createdAt: Date;
}

const pledgeColumns = {
  id: pledges.id,
  reference: pledges.reference,
  needId: pledges.needId,
  needPublicId: needs.publicId,
  needTitleAr: needs.titleAr,
  needTitleEn: needs.titleEn,
  needState: needs.state,
  amountMinor: pledges.amountMinor,
  paidMinor: pledges.paidMinor,
  currency: pledges.currency,
  method: pledges.method,
  status: pledges.status,
  displayName: pledges.displayName,
  anonymous: pledges.anonymous,
  email: pledges.email,
  expiresAt: pledges.expiresAt,
  createdAt: pledges.createdAt,
};

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Pledges that money may be for: a reference typed loosely or in part (as on the pledges page),
 * a donor's name or email (or part of it), or an amount (the pledge's amount or what is still
 * outstanding, in any of the organisation's currencies). Money pledges only, newest first.
 */
export async function searchPledges(db: DbOrTx, orgId: string, rawQuery: string, limit = 20): Promise<PayablePledge[]> {
  const q = rawQuery.trim().slice(0, 120);
  if (q.length < 2) return [];
  const matches: SQL[] = [];
  const ref = referenceSearch(q);
  if (ref?.kind === "exact") matches.push(eq(pledges.reference, ref.reference));
  if (ref?.kind === "partial") matches.push(sql`replace(${pledges.reference}, '-', '') like ${`%${ref.fragment}%`}`);
  const pattern = `%${likeEscape(q.toLowerCase())}%`;
  matches.push(sql`lower(coalesce(${pledges.displayName}, '')) like ${pattern}`);
  if (q.includes("@") || /^[\w.+-]{3,}$/.test(q)) matches.push(sql`lower(${pledges.email}) like ${pattern}`);
  const amountText = toAsciiDigits(q).replace(/[\s,\u066C]/g, "").replace(/\u066B/g, ".");
  if (/^\d{1,13}(\.\d{1,3})?$/.test(amountText)) {
    const currencies = await db
      .selectDistinct({ currency: pledges.currency })
      .from(pledges)
      .where(eq(pledges.orgId, orgId));
    for (const { currency } of currencies) {
      const digits = currencyDigits(currency);
      const [whole, fraction = ""] = amountText.split(".");
      if (fraction.replace(/0+$/, "").length > digits) continue;
      const minor = Number(whole + fraction.padEnd(digits, "0").slice(0, digits));
      if (!Number.isSafeInteger(minor) || minor <= 0) continue;
      matches.push(
        and(
          eq(pledges.currency, currency),
          or(eq(pledges.amountMinor, minor), sql`${pledges.amountMinor} - ${pledges.paidMinor} = ${minor}`),
        )!,
      );
    }
  }
  return db
    .select(pledgeColumns)
    .from(pledges)
    .innerJoin(needs, and(eq(needs.id, pledges.needId), eq(needs.orgId, pledges.orgId)))
    .where(and(eq(pledges.orgId, orgId), ne(pledges.method, "delivery"), or(...matches)))
    .orderBy(desc(sql`${pledges.status} in ('pending', 'awaiting_payment')`), desc(pledges.createdAt), desc(pledges.id))
    .limit(limit);
}

/** One money pledge of the organisation (the record form's pledge), or null. */
export async function payablePledge(db: DbOrTx, orgId: string, pledgeId: string): Promise<PayablePledge | null> {
  if (!isUuid(pledgeId)) return null;
  const [row] = await db
    .select(pledgeColumns)
    .from(pledges)
    .innerJoin(needs, and(eq(needs.id, pledges.needId), eq(needs.orgId, pledges.orgId)))
    .where(and(eq(pledges.orgId, orgId), eq(pledges.id, pledgeId), ne(pledges.method, "delivery")))
    .limit(1);
  return row ?? null;
}

/** The organisation's four-eyes threshold for cash (minor units of its default currency), or null. */
export async function cashFourEyesMinor(db: DbOrTx, orgId: string): Promise<number | null> {
  const [row] = await db
    .select({ minor: orgPaymentDetails.cashFourEyesMinor })
    .from(orgPaymentDetails)
    .where(eq(orgPaymentDetails.orgId, orgId))
    .limit(1);
  return row?.minor ?? null;
}

/** Whether the organisation already has a payment with this external id for this method (a duplicate). */
export async function externalIdTaken(db: DbOrTx, orgId: string, method: string, externalId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), sql`${payments.method} = ${method}`, eq(payments.externalId, externalId)))
    .limit(1);
  return Boolean(row);
}

// ---------------------------------------------------------------- money accounts

export type MoneyAccountRow = typeof moneyAccounts.$inferSelect & { used: boolean };

export async function listMoneyAccounts(db: DbOrTx, orgId: string): Promise<MoneyAccountRow[]> {
  const rows = await db
    .select({
      account: moneyAccounts,
      used: sql<boolean>`(exists (select 1 from ${payments} p where p.money_account_id = "money_accounts"."id")
        or exists (select 1 from ${ledgerAccounts} la where la.money_account_id = "money_accounts"."id"))`,
    })
    .from(moneyAccounts)
    .where(eq(moneyAccounts.orgId, orgId))
    .orderBy(asc(moneyAccounts.kind), desc(moneyAccounts.active), asc(moneyAccounts.name));
  return rows.map((r) => ({ ...r.account, used: Boolean(r.used) }));
}

/** The account a method's money lands in by default: the oldest active one of its kind and currency. */
export function defaultMoneyAccount<T extends { id: string; kind: string; currency: string; active: boolean; createdAt: Date | string }>(
  accounts: readonly T[],
  method: OfflineMethod,
  currency: string,
): T | null {
  const kind = ACCOUNT_KIND_OF[method];
  const fitting = accounts
    .filter((a) => a.active && a.kind === kind && a.currency === currency)
    .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime());
  return fitting[0] ?? null;
}

export class MoneyAccountError extends Error {
  constructor(
    readonly messageKey: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(messageKey);
    this.name = "MoneyAccountError";
  }
}

async function orgAccount(db: DbOrTx, orgId: string, accountId: string) {
  const [row] = await db
    .select()
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, orgId), eq(moneyAccounts.id, accountId)))
    .limit(1);
  if (!row) throw new MoneyAccountError("finance:errors.accountNotFound", 404);
  return row;
}

async function nameTaken(db: DbOrTx, orgId: string, name: string, exceptId?: string) {
  const [row] = await db
    .select({ id: moneyAccounts.id })
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, orgId), sql`lower(${moneyAccounts.name}) = ${name.toLowerCase()}`, exceptId ? ne(moneyAccounts.id, exceptId) : undefined))
    .limit(1);
  return Boolean(row);
}

export async function createMoneyAccount(
  db: DbOrTx,
  actor: Actor,
  input: { orgId: string; kind: MoneyAccountKind; name: string; bankName?: string; accountNumber?: string; currency: string },
) {
  return db.transaction(async (tx) => {
    if (await nameTaken(tx, input.orgId, input.name)) throw new MoneyAccountError("finance:errors.nameTaken", 409);
    const [row] = await tx
      .insert(moneyAccounts)
      .values({
        orgId: input.orgId,
        kind: input.kind,
        name: input.name,
        bankName: input.kind === "cash" ? null : (input.bankName ?? null),
        accountNumber: input.kind === "cash" ? null : (input.accountNumber ?? null),
        currency: input.currency,
        createdBy: actor.userId,
      })
      .returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "money_account.create",
      entityType: "money_account",
      entityId: row.id,
      change: { kind: row.kind, name: row.name, currency: row.currency },
    });
    return row;
  });
}

/** Renames an account; its currency may change only while nothing has used it. */
export async function updateMoneyAccount(
  db: DbOrTx,
  actor: Actor,
  input: { orgId: string; accountId: string; name: string; bankName?: string; accountNumber?: string; currency?: string },
) {
  return db.transaction(async (tx) => {
    const account = await orgAccount(tx, input.orgId, input.accountId);
    await tx.execute(sql`select 1 from ${moneyAccounts} where ${moneyAccounts.id} = ${account.id} for update`);
    if (await nameTaken(tx, input.orgId, input.name, account.id)) throw new MoneyAccountError("finance:errors.nameTaken", 409);
    const currency = input.currency ?? account.currency;
    if (currency !== account.currency) {
      const [used] = (await listMoneyAccounts(tx, input.orgId)).filter((a) => a.id === account.id);
      if (used?.used) throw new MoneyAccountError("finance:errors.currencyFixed", 409);
    }
    const [row] = await tx
      .update(moneyAccounts)
      .set({
        name: input.name,
        bankName: account.kind === "cash" ? null : (input.bankName ?? null),
        accountNumber: account.kind === "cash" ? null : (input.accountNumber ?? null),
        currency,
      })
      .where(eq(moneyAccounts.id, account.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: "money_account.update",
      entityType: "money_account",
      entityId: row.id,
      change: { name: [account.name, row.name], currency: [account.currency, row.currency] },
    });
    return row;
  });
}

export async function setMoneyAccountActive(db: DbOrTx, actor: Actor, input: { orgId: string; accountId: string; active: boolean }) {
  return db.transaction(async (tx) => {
    const account = await orgAccount(tx, input.orgId, input.accountId);
    if (account.active === input.active) return account;
    const [row] = await tx.update(moneyAccounts).set({ active: input.active }).where(eq(moneyAccounts.id, account.id)).returning();
    await recordAudit(tx, actor, {
      orgId: input.orgId,
      action: input.active ? "money_account.activate" : "money_account.deactivate",
      entityType: "money_account",
      entityId: row.id,
      change: { name: row.name },
    });
    return row;
  });
}

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

// ---------------------------------------------------------------- ledger

const actorUser = aliasedTable(users, "entry_actor");

/** A ledger account's label: its money account's name, or its need's public id. */
const accountLabel = sql<string | null>`coalesce(${moneyAccounts.name}, ${needs.publicId})`;

async function journalPostings(db: DbOrTx, orgId: string, where: SQL, limit?: number, oldestFirst = false) {
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

/** The payment a request (its idempotency key) already recorded in this organisation, if any. */
export async function paymentByRequestKey(db: DbOrTx, orgId: string, idempotencyKey: string): Promise<{ id: string } | null> {
  const [row] = await db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orgId, orgId), eq(payments.idempotencyKey, idempotencyKey)))
    .limit(1);
  return row ?? null;
}
