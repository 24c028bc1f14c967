import { sql } from "drizzle-orm";
import { bigint, char, check, date, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { ledgerEntries } from "./ledger";
import { organizations } from "./organizations";
import { moneyAccounts, payments } from "./payments";
import { pledges } from "./pledging";

/**
 * Bank statements and their reconciliation (issue 10, decision 057; app/modules/reconciliation).
 * A statement file is imported per money account; each line is stored once (its fingerprint is
 * unique per account, so an overlapping file adds no duplicate); a line is then explained by
 * matches (payments it brought in, disbursements or a Stripe payout it paid out) or by a
 * "not a donation" entry (bank charges, interest, a transfer between the organisation's own accounts).
 */

/** How to read one bank's CSV export, saved per money account (the last mapping used). */
export type StatementMapping = {
  /** Column indexes (0-based) in the file. */
  date: number;
  /** Either one signed amount column, or a debit and a credit column. */
  amount?: number | null;
  debit?: number | null;
  credit?: number | null;
  description?: number | null;
  reference?: number | null;
  balance?: number | null;
  /** Optional second date column (value date) — preferred over `date` when present. */
  valueDate?: number | null;
  /** "dmy" | "mdy" | "ymd" | "auto". */
  dateOrder: "dmy" | "mdy" | "ymd" | "auto";
  /** "." or "," as the decimal mark (the other is a thousands separator). */
  decimalMark: "." | ",";
  delimiter: "," | ";" | "\t" | "|";
  /** Rows before the first data row (header rows, bank preamble). */
  skipRows: number;
  hasHeader: boolean;
  encoding: "utf-8" | "windows-1256";
  /** The header names seen when the mapping was saved (to recognise the same layout next time). */
  headers?: string[];
};

export const statementMappings = pgTable("statement_mappings", {
  moneyAccountId: uuid()
    .primaryKey()
    .references(() => moneyAccounts.id),
  orgId: uuid()
    .notNull()
    .references(() => organizations.id),
  mapping: jsonb().$type<StatementMapping>().notNull(),
  updatedBy: uuid().references(() => users.id),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const statementImportStatusEnum = pgEnum("statement_import_status", ["uploaded", "importing", "matching", "done", "failed"]);

export type StatementProblem = { line: number; code: string; detail?: string };

export const statementImports = pgTable(
  "statement_imports",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    moneyAccountId: uuid()
      .notNull()
      .references(() => moneyAccounts.id),
    fileName: text().notNull(),
    sha256: text().notNull(),
    sizeBytes: integer().notNull(),
    /** The file, decoded to text (the import job reads it from here). */
    content: text().notNull(),
    mapping: jsonb().$type<StatementMapping>().notNull(),
    status: statementImportStatusEnum().notNull().default("uploaded"),
    /** Progress, for the progress bar: data rows in the file, and how many are done. */
    totalRows: integer().notNull().default(0),
    processedRows: integer().notNull().default(0),
    /** New lines stored, lines already known (overlap), malformed rows. */
    newLines: integer().notNull().default(0),
    duplicateLines: integer().notNull().default(0),
    malformedRows: integer().notNull().default(0),
    matchedAuto: integer().notNull().default(0),
    suggested: integer().notNull().default(0),
    unmatched: integer().notNull().default(0),
    /** Malformed rows and running-balance breaks, by line number in the file. */
    problems: jsonb().$type<StatementProblem[]>().notNull().default(sql`'[]'::jsonb`),
    /** First and last value dates of the file's lines, and the last running balance (closing). */
    firstDate: date({ mode: "string" }),
    lastDate: date({ mode: "string" }),
    closingBalanceMinor: bigint({ mode: "number" }),
    error: text(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("statement_imports_account_idx").on(t.moneyAccountId, t.createdAt)],
);

export const statementLineStatusEnum = pgEnum("statement_line_status", ["unmatched", "suggested", "matched", "not_donation"]);
export const notDonationKindEnum = pgEnum("not_donation_kind", ["bank_charge", "interest", "internal_transfer", "opening_balance", "other"]);

export type MatchSuggestion = {
  kind: "pledge" | "disbursement" | "payout";
  id: string;
  /** Pledge reference / batch number / payout id, for display. */
  label: string;
  score: number;
  /** Reason codes with their values, shown translated (e.g. {code: "amount_equal"}, {code: "partial_reference", value: "7K3Q"}). */
  reasons: { code: string; value?: string | number }[];
};

export const statementLines = pgTable(
  "statement_lines",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    moneyAccountId: uuid()
      .notNull()
      .references(() => moneyAccounts.id),
    /** The import that first brought it, and its line number in that file. */
    importId: uuid()
      .notNull()
      .references(() => statementImports.id),
    lineNo: integer().notNull(),
    /** Same date, amount, text and balance, plus the occurrence among identical rows of one day: unique per account. */
    fingerprint: text().notNull(),
    valueDate: date({ mode: "string" }).notNull(),
    /** Signed minor units of the account's currency: money in positive, money out negative. */
    amountMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    description: text().notNull().default(""),
    reference: text(),
    /** The running balance the bank printed after this line, when the file has one. */
    balanceMinor: bigint({ mode: "number" }),
    status: statementLineStatusEnum().notNull().default("unmatched"),
    /** Ranked suggestions with their reasons, for the unmatched queue. */
    suggestions: jsonb().$type<MatchSuggestion[]>().notNull().default(sql`'[]'::jsonb`),
    /** The part of the line already explained by active matches (|amount| when fully matched). */
    matchedMinor: bigint({ mode: "number" }).notNull().default(0),
    notDonationKind: notDonationKindEnum(),
    /** The entry booked for a "not a donation" line (bank charge, interest, own transfer). */
    ledgerEntryId: uuid().references(() => ledgerEntries.id),
    /** Who explained it (null when the matcher did, as the system). */
    matchedBy: uuid().references(() => users.id),
    matchedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("statement_lines_fingerprint_key").on(t.moneyAccountId, t.fingerprint),
    index("statement_lines_account_date_idx").on(t.moneyAccountId, t.valueDate),
    index("statement_lines_import_idx").on(t.importId, t.lineNo),
    index("statement_lines_org_status_idx").on(t.orgId, t.status, t.valueDate),
    check("statement_lines_amount_nonzero", sql`${t.amountMinor} <> 0`),
  ],
);

export const statementMatchKindEnum = pgEnum("statement_match_kind", ["reference", "amount_date", "manual", "payout", "disbursement"]);

/**
 * One part of a line's explanation: a payment it brought in (one per pledge it settled), a
 * disbursement batch or a Stripe payout it paid out. Undone matches stay (status undone) with the
 * entry that reversed them.
 */
export const statementMatches = pgTable(
  "statement_matches",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    lineId: uuid()
      .notNull()
      .references(() => statementLines.id),
    kind: statementMatchKindEnum().notNull(),
    /** The part of the line's amount it explains (positive). */
    amountMinor: bigint({ mode: "number" }).notNull(),
    /** A bank fee taken out of it (amount short by a plausible fee), recorded on the payment. */
    feeMinor: bigint({ mode: "number" }).notNull().default(0),
    pledgeId: uuid().references(() => pledges.id),
    paymentId: uuid().references(() => payments.id),
    disbursementBatchId: uuid(),
    payoutId: text(),
    /** Why: the reasons the matcher gave, or "manual". */
    reasons: jsonb().$type<{ code: string; value?: string | number }[]>().notNull().default(sql`'[]'::jsonb`),
    status: text().notNull().default("active"),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    undoneBy: uuid().references(() => users.id),
    undoneAt: timestamp({ withTimezone: true }),
    undoEntryId: uuid().references(() => ledgerEntries.id),
  },
  (t) => [
    index("statement_matches_line_idx").on(t.lineId),
    index("statement_matches_payment_idx").on(t.paymentId),
    index("statement_matches_batch_idx").on(t.disbursementBatchId),
    check("statement_matches_amount_positive", sql`${t.amountMinor} > 0`),
    check("statement_matches_status", sql`${t.status} in ('active', 'undone')`),
  ],
);

/**
 * Month-end (issue 10): per money account and month, the statement's closing balance against the
 * ledger's, the unexplained items, and who closed it. A closed month is locked: no ledger entry
 * touching the account may carry a value date inside it (a trigger refuses it); later changes
 * are dated in the first open month (adjusting entries).
 */
export const reconciliationPeriods = pgTable(
  "reconciliation_periods",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    moneyAccountId: uuid()
      .notNull()
      .references(() => moneyAccounts.id),
    /** First day of the month, YYYY-MM-01. */
    month: date({ mode: "string" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    statementClosingMinor: bigint({ mode: "number" }),
    ledgerClosingMinor: bigint({ mode: "number" }).notNull(),
    differenceMinor: bigint({ mode: "number" }).notNull(),
    /** What was still unexplained when it was closed (should be empty), frozen for the record. */
    snapshot: jsonb().$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
    closedBy: uuid()
      .notNull()
      .references(() => users.id),
    closedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("reconciliation_periods_key").on(t.moneyAccountId, t.month),
    index("reconciliation_periods_org_idx").on(t.orgId, t.month),
    check("reconciliation_periods_first_day", sql`extract(day from ${t.month}) = 1`),
  ],
);

export const payoutStatusEnum = pgEnum("stripe_payout_status", ["paid", "failed", "canceled"]);

/** A Stripe payout (`payout.paid`): Stripe balance → the organisation's bank account. */
export const stripePayouts = pgTable(
  "stripe_payouts",
  {
    /** Stripe's po_… id. */
    id: text().primaryKey(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** App minor units of `currency`. */
    amountMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    arrivalDate: date({ mode: "string" }).notNull(),
    status: payoutStatusEnum().notNull(),
    /** The bank account it lands in (the organisation's bank account in that currency). */
    moneyAccountId: uuid().references(() => moneyAccounts.id),
    /** Bank debit / Stripe balance credit. */
    ledgerEntryId: uuid().references(() => ledgerEntries.id),
    /** Stripe's statement descriptor / trace id, which the bank line usually carries. */
    statementDescriptor: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stripe_payouts_org_idx").on(t.orgId, t.arrivalDate), check("stripe_payouts_amount_positive", sql`${t.amountMinor} > 0`)],
);
