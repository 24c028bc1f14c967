import { and, asc, eq, gte, inArray, lt, lte, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import {
  disbursementBatches,
  disbursements,
  households,
  ledgerAccounts,
  ledgerEntries,
  ledgerPostings,
  moneyAccounts,
  needs,
  payees,
  payments,
  pledges,
  receipts,
  statementLines,
  statementMatches,
} from "#db/schema";
import { z } from "zod";
import type { AccountKind } from "~/modules/ledger/ledger";
import { currencyDigits } from "~/utils/format";
import { decimalOf, toCsv, type CsvCell } from "./csv";
import { EXPORT_KINDS, type ExportKind } from "./export-kinds";

/**
 * CSV exports for accounting software (issue 10): the journal (one row per posting), payments,
 * receipts, disbursements and the reconciled statement lines, for a date range or a month.
 * ISO dates, integer minor units plus a decimal column in the currency's digits, UTF-8 with BOM,
 * formula-safe text (csv.ts). Nothing private of a household: no names, phones or addresses —
 * a household payee appears as its household's reference. Staff-only (finance) routes serve them.
 */

export { EXPORT_KINDS, type ExportKind };

/** At most this many rows per file (the route says so in a header when it cut). */
export const EXPORT_MAX_ROWS = 50_000;

const DAY = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d));

export const ExportQuerySchema = z
  .object({
    kind: z.enum(EXPORT_KINDS),
    from: DAY.optional(),
    to: DAY.optional(),
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional(),
  })
  .refine((q) => !(q.from && q.to) || q.from <= q.to, { path: ["to"], message: "to_before_from" })
  .transform((q) => {
    if (!q.month) return { kind: q.kind, from: q.from, to: q.to };
    const first = `${q.month}-01`;
    const next = new Date(Date.UTC(Number(q.month.slice(0, 4)), Number(q.month.slice(5, 7)), 1));
    const last = new Date(next.getTime() - 86_400_000).toISOString().slice(0, 10);
    return { kind: q.kind, from: first, to: last };
  });
export type ExportQuery = z.infer<typeof ExportQuerySchema>;

/** A stable chart-of-accounts code per account kind (assets 1…, liabilities 2…, equity 3…, income 4…, expenses 5…). */
export const ACCOUNT_CODES: Record<AccountKind, string> = {
  bank: "1010",
  cash: "1020",
  transfer_agent: "1030",
  stripe: "1040",
  in_transit: "1050",
  need_fund: "2010",
  unrestricted_fund: "2020",
  zakat_fund: "2050",
  refunds_payable: "2030",
  suspense: "2040",
  opening_balance: "3010",
  fee_cover: "4010",
  interest_income: "4020",
  processing_fees: "5010",
  bank_charges: "5020",
};

const ACCOUNT_NAMES: Record<AccountKind, string> = {
  bank: "Bank",
  cash: "Cash",
  transfer_agent: "Transfer agent",
  stripe: "Stripe balance",
  in_transit: "Transfers in transit",
  need_fund: "Need fund",
  unrestricted_fund: "Unrestricted fund",
  zakat_fund: "Zakat fund",
  refunds_payable: "Refunds payable",
  suspense: "Suspense",
  opening_balance: "Opening balances",
  fee_cover: "Fee cover income",
  interest_income: "Interest income",
  processing_fees: "Processing fees",
  bank_charges: "Bank charges",
};

const dec = (minor: number, currency: string) => decimalOf(minor, currencyDigits(currency));
const range = (column: SQL.Aliased | Parameters<typeof gte>[0], from?: string, to?: string) => [from ? gte(column, from) : undefined, to ? lte(column, to) : undefined];

export interface CsvFile {
  fileName: string;
  body: string;
  rows: number;
  truncated: boolean;
}

export const JOURNAL_HEADER = [
  "date",
  "entry_id",
  "entry_kind",
  "memo",
  "account_code",
  "account_name",
  "currency",
  "debit_minor",
  "credit_minor",
  "amount",
  "need_public_id",
  "payment_id",
  "reverses_entry_id",
] as const;

async function journalRows(db: DbOrTx, orgId: string, q: ExportQuery): Promise<CsvCell[][]> {
  const rows = await db
    .select({
      valueDate: ledgerEntries.valueDate,
      entryId: ledgerEntries.id,
      kind: ledgerEntries.kind,
      memo: ledgerEntries.memo,
      accountKind: ledgerAccounts.kind,
      currency: ledgerPostings.currency,
      amountMinor: ledgerPostings.amountMinor,
      needPublicId: needs.publicId,
      moneyAccountName: moneyAccounts.name,
      paymentId: ledgerEntries.paymentId,
      reversesEntryId: ledgerEntries.reversesEntryId,
    })
    .from(ledgerPostings)
    .innerJoin(ledgerEntries, eq(ledgerEntries.id, ledgerPostings.entryId))
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .leftJoin(needs, eq(needs.id, ledgerAccounts.needId))
    .leftJoin(moneyAccounts, eq(moneyAccounts.id, ledgerAccounts.moneyAccountId))
    .where(and(eq(ledgerPostings.orgId, orgId), ...range(ledgerEntries.valueDate, q.from, q.to)))
    .orderBy(asc(ledgerEntries.valueDate), asc(ledgerEntries.createdAt), asc(ledgerEntries.id), asc(ledgerPostings.id))
    .limit(EXPORT_MAX_ROWS + 1);
  return rows.map((r) => {
    const amount = Number(r.amountMinor);
    const kind = r.accountKind as AccountKind;
    const suffix = r.needPublicId ?? r.moneyAccountName;
    return [
      r.valueDate,
      r.entryId,
      r.kind,
      r.memo,
      r.needPublicId ? `${ACCOUNT_CODES[kind]}-${r.needPublicId}` : ACCOUNT_CODES[kind],
      suffix ? `${ACCOUNT_NAMES[kind]} · ${suffix}` : ACCOUNT_NAMES[kind],
      r.currency,
      amount > 0 ? amount : 0,
      amount < 0 ? -amount : 0,
      dec(amount, r.currency),
      r.needPublicId,
      r.paymentId,
      r.reversesEntryId,
    ];
  });
}

export const PAYMENTS_HEADER = [
  "value_date",
  "payment_id",
  "method",
  "status",
  "allocation",
  "pledge_reference",
  "need_public_id",
  "money_account",
  "currency",
  "amount_minor",
  "amount",
  "fee_minor",
  "fee",
  "refunded_minor",
  "refunded",
  "external_id",
  "ledger_entry_id",
  "recorded_at",
] as const;

async function paymentRows(db: DbOrTx, orgId: string, q: ExportQuery): Promise<CsvCell[][]> {
  const rows = await db
    .select({
      p: payments,
      pledgeReference: pledges.reference,
      needPublicId: needs.publicId,
      moneyAccountName: moneyAccounts.name,
    })
    .from(payments)
    .leftJoin(pledges, eq(pledges.id, payments.pledgeId))
    .leftJoin(needs, eq(needs.id, payments.needId))
    .leftJoin(moneyAccounts, eq(moneyAccounts.id, payments.moneyAccountId))
    .where(and(eq(payments.orgId, orgId), ...range(payments.valueDate, q.from, q.to)))
    .orderBy(asc(payments.valueDate), asc(payments.recordedAt))
    .limit(EXPORT_MAX_ROWS + 1);
  return rows.map(({ p, pledgeReference, needPublicId, moneyAccountName }) => [
    p.valueDate,
    p.id,
    p.method,
    p.status,
    p.allocation,
    pledgeReference,
    needPublicId,
    moneyAccountName ?? (p.method === "card" ? "Stripe" : null),
    p.currency,
    Number(p.amountMinor),
    dec(Number(p.amountMinor), p.currency),
    Number(p.feeMinor),
    dec(Number(p.feeMinor), p.currency),
    Number(p.refundedMinor),
    dec(Number(p.refundedMinor), p.currency),
    p.externalId,
    p.ledgerEntryId,
    p.recordedAt.toISOString(),
  ]);
}

export const RECEIPTS_HEADER = ["issued_on", "number", "kind", "payment_id", "currency", "amount_minor", "amount", "donor_name", "voided_on"] as const;

async function receiptRows(db: DbOrTx, orgId: string, q: ExportQuery): Promise<CsvCell[][]> {
  const issuedDay = sql<string>`to_char(${receipts.issuedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  const rows = await db
    .select({ r: receipts, issuedOn: issuedDay })
    .from(receipts)
    .where(
      and(
        eq(receipts.orgId, orgId),
        q.from ? gte(receipts.issuedAt, new Date(`${q.from}T00:00:00Z`)) : undefined,
        q.to ? lt(receipts.issuedAt, new Date(new Date(`${q.to}T00:00:00Z`).getTime() + 86_400_000)) : undefined,
      ),
    )
    .orderBy(asc(receipts.issuedAt), asc(receipts.number))
    .limit(EXPORT_MAX_ROWS + 1);
  return rows.map(({ r, issuedOn }) => {
    const signed = r.kind === "credit_note" ? -Number(r.amountMinor) : Number(r.amountMinor);
    return [issuedOn, r.number, r.kind, r.paymentId, r.currency, signed, dec(signed, r.currency), r.donorName, r.voidedAt ? r.voidedAt.toISOString().slice(0, 10) : null];
  });
}

export const DISBURSEMENTS_HEADER = [
  "paid_date",
  "batch_number",
  "status",
  "method",
  "payee_kind",
  "payee",
  "need_public_id",
  "money_account",
  "currency",
  "amount_minor",
  "amount",
  "paid_reference",
  "ledger_entry_id",
  "requested_at",
] as const;

async function disbursementRows(db: DbOrTx, orgId: string, q: ExportQuery): Promise<CsvCell[][]> {
  const day = sql<string>`coalesce(${disbursementBatches.paidDate}, (${disbursementBatches.requestedAt} at time zone 'UTC')::date)`;
  const rows = await db
    .select({
      b: disbursementBatches,
      needPublicId: needs.publicId,
      amountMinor: disbursements.amountMinor,
      payeeName: payees.name,
      payeeKind: payees.kind,
      householdRef: households.reference,
      moneyAccountName: moneyAccounts.name,
    })
    .from(disbursements)
    .innerJoin(disbursementBatches, eq(disbursementBatches.id, disbursements.batchId))
    .innerJoin(needs, eq(needs.id, disbursements.needId))
    .innerJoin(payees, eq(payees.id, disbursementBatches.payeeId))
    .leftJoin(households, eq(households.id, payees.householdId))
    .leftJoin(moneyAccounts, eq(moneyAccounts.id, disbursementBatches.moneyAccountId))
    .where(and(eq(disbursements.orgId, orgId), q.from ? sql`${day} >= ${q.from}` : undefined, q.to ? sql`${day} <= ${q.to}` : undefined))
    .orderBy(asc(day), asc(disbursementBatches.number), asc(needs.publicId))
    .limit(EXPORT_MAX_ROWS + 1);
  return rows.map((r) => [
    r.b.paidDate,
    r.b.number,
    r.b.status,
    r.b.method,
    r.payeeKind,
    // A household is a private person: its reference, never a name.
    r.payeeKind === "household" ? (r.householdRef ?? null) : r.payeeName,
    r.needPublicId,
    r.moneyAccountName,
    r.b.currency,
    Number(r.amountMinor),
    dec(Number(r.amountMinor), r.b.currency),
    r.b.paidReference,
    r.b.ledgerEntryId,
    r.b.requestedAt.toISOString(),
  ]);
}

export const RECONCILIATION_HEADER = [
  "value_date",
  "line_id",
  "money_account",
  "currency",
  "amount_minor",
  "amount",
  "balance_minor",
  "status",
  "matched_minor",
  "not_donation_kind",
  "description",
  "bank_reference",
  "matched_to",
  "ledger_entry_id",
] as const;

async function reconciliationRows(db: DbOrTx, orgId: string, q: ExportQuery): Promise<CsvCell[][]> {
  const rows = await db
    .select({ l: statementLines, moneyAccountName: moneyAccounts.name })
    .from(statementLines)
    .innerJoin(moneyAccounts, eq(moneyAccounts.id, statementLines.moneyAccountId))
    .where(and(eq(statementLines.orgId, orgId), ...range(statementLines.valueDate, q.from, q.to)))
    .orderBy(asc(moneyAccounts.name), asc(statementLines.valueDate), asc(statementLines.lineNo))
    .limit(EXPORT_MAX_ROWS + 1);
  const ids = rows.map((r) => r.l.id);
  const matches = ids.length
    ? await db
        .select({
          lineId: statementMatches.lineId,
          paymentId: statementMatches.paymentId,
          pledgeReference: pledges.reference,
          batchNumber: disbursementBatches.number,
          payoutId: statementMatches.payoutId,
        })
        .from(statementMatches)
        .leftJoin(pledges, eq(pledges.id, statementMatches.pledgeId))
        .leftJoin(disbursementBatches, eq(disbursementBatches.id, statementMatches.disbursementBatchId))
        .where(and(inArray(statementMatches.lineId, ids), eq(statementMatches.status, "active")))
    : [];
  const byLine = new Map<string, string[]>();
  for (const m of matches) {
    const label = m.batchNumber ?? m.payoutId ?? m.pledgeReference ?? (m.paymentId ? `payment:${m.paymentId}` : null);
    if (label) byLine.set(m.lineId, [...(byLine.get(m.lineId) ?? []), label]);
  }
  return rows.map(({ l, moneyAccountName }) => [
    l.valueDate,
    l.id,
    moneyAccountName,
    l.currency,
    Number(l.amountMinor),
    dec(Number(l.amountMinor), l.currency),
    l.balanceMinor === null ? null : Number(l.balanceMinor),
    l.status,
    Number(l.matchedMinor),
    l.notDonationKind,
    l.description,
    l.reference,
    (byLine.get(l.id) ?? []).join(" "),
    l.ledgerEntryId,
  ]);
}

const BUILDERS: Record<ExportKind, { header: readonly string[]; rows: (db: DbOrTx, orgId: string, q: ExportQuery) => Promise<CsvCell[][]> }> = {
  journal: { header: JOURNAL_HEADER, rows: journalRows },
  payments: { header: PAYMENTS_HEADER, rows: paymentRows },
  receipts: { header: RECEIPTS_HEADER, rows: receiptRows },
  disbursements: { header: DISBURSEMENTS_HEADER, rows: disbursementRows },
  reconciliation: { header: RECONCILIATION_HEADER, rows: reconciliationRows },
};

/** One export as a CSV file (at most EXPORT_MAX_ROWS rows; `truncated` when there were more). */
export async function exportCsv(db: DbOrTx, orgId: string, orgSlug: string, q: ExportQuery): Promise<CsvFile> {
  const builder = BUILDERS[q.kind];
  const all = await builder.rows(db, orgId, q);
  const truncated = all.length > EXPORT_MAX_ROWS;
  const rows = all.slice(0, EXPORT_MAX_ROWS);
  const span = q.from || q.to ? `-${q.from ?? "start"}_${q.to ?? "end"}` : "";
  return { fileName: `${q.kind}-${orgSlug}${span}.csv`, body: toCsv(builder.header, rows), rows: rows.length, truncated };
}
