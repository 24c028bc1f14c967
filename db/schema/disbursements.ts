import { sql } from "drizzle-orm";
import { bigint, char, check, date, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { ledgerEntries } from "./ledger";
import { needs } from "./needs";
import { organizations } from "./organizations";
import { payees } from "./payees";
import { moneyAccounts, paymentDocuments } from "./payments";

/**
 * Money out (issue 10, decision 057; app/modules/disbursements). Finance requests a payment from
 * one or more needs' funds to one payee (a batch: one school, many children's fees, one bank
 * transfer); a different finance officer approves or rejects (a CHECK); it is then marked paid
 * with method, date, reference and proof, and posted to the ledger (each need's fund debited, the
 * bank or cash box credited).
 */
export const disbursementStatusEnum = pgEnum("disbursement_status", ["requested", "approved", "rejected", "paid", "cancelled"]);
export const disbursementMethodEnum = pgEnum("disbursement_method", ["bank_transfer", "cash", "money_transfer", "cheque"]);

export const disbursementBatches = pgTable(
  "disbursement_batches",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** DSB-2026-000012, numbered per organisation and year (org_counters). */
    number: text().notNull(),
    payeeId: uuid()
      .notNull()
      .references(() => payees.id),
    currency: char({ length: 3 }).notNull(),
    totalMinor: bigint({ mode: "number" }).notNull(),
    method: disbursementMethodEnum().notNull(),
    /** The money account it is paid from (bank account or cash box) in `currency`. */
    moneyAccountId: uuid()
      .notNull()
      .references(() => moneyAccounts.id),
    status: disbursementStatusEnum().notNull().default("requested"),
    note: text(),
    requestedBy: uuid()
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    rejectionReason: text(),
    paidBy: uuid().references(() => users.id),
    paidAt: timestamp({ withTimezone: true }),
    /** When the money left (value date), the bank's or the cash receipt's reference, proof. */
    paidDate: date({ mode: "string" }),
    paidReference: text(),
    proofDocumentId: uuid().references(() => paymentDocuments.id),
    ledgerEntryId: uuid().references(() => ledgerEntries.id),
    idempotencyKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("disbursement_batches_number_key").on(t.orgId, t.number),
    uniqueIndex("disbursement_batches_idempotency_key").on(t.idempotencyKey),
    index("disbursement_batches_org_status_idx").on(t.orgId, t.status, t.requestedAt),
    index("disbursement_batches_payee_idx").on(t.payeeId),
    check("disbursement_batches_total_positive", sql`${t.totalMinor} > 0`),
    // Four-eyes, in the database: the approver (or rejecter) is never the requester.
    check("disbursement_batches_four_eyes", sql`${t.decidedBy} is null or ${t.decidedBy} <> ${t.requestedBy}`),
    check(
      "disbursement_batches_paid_complete",
      sql`${t.status} <> 'paid' or (${t.paidDate} is not null and ${t.ledgerEntryId} is not null and ${t.decidedBy} is not null)`,
    ),
  ],
);

/** One need's part of a batch. */
export const disbursements = pgTable(
  "disbursements",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    batchId: uuid()
      .notNull()
      .references(() => disbursementBatches.id),
    needId: uuid()
      .notNull()
      .references(() => needs.id),
    amountMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("disbursements_batch_need_key").on(t.batchId, t.needId),
    index("disbursements_need_idx").on(t.needId),
    check("disbursements_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);
