import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  char,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { localeEnum, users } from "./identity";
import { needs } from "./needs";
import { organizations } from "./organizations";
import { pledges } from "./pledging";

/**
 * Money in (decision 056). A payment is money that really arrived: by card through Stripe, or
 * offline (bank transfer, cash at the office, a money-transfer shop), recorded as it arrived
 * (amount, value date, reference, proof). Pledges are promises; payments are their own records.
 */

/** Where an organisation keeps money: each bank account (with its currency), the cash box, money-transfer agents. */
export const moneyAccountKindEnum = pgEnum("money_account_kind", ["bank", "cash", "transfer_agent"]);

export const moneyAccounts = pgTable(
  "money_accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    kind: moneyAccountKindEnum().notNull(),
    /** What finance calls it, e.g. "BLOM USD current account", "Office cash box". */
    name: text().notNull(),
    bankName: text(),
    /** IBAN or local account number (staff only; donors see org_payment_details). */
    accountNumber: text(),
    currency: char({ length: 3 }).notNull(),
    active: boolean().notNull().default(true),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("money_accounts_org_idx").on(t.orgId, t.kind),
    uniqueIndex("money_accounts_org_name_key").on(t.orgId, t.name),
  ],
);

export const paymentMethodEnum = pgEnum("payment_method", ["card", "bank_transfer", "cash", "money_transfer"]);

/**
 * - awaiting_confirmation: cash above the organisation's threshold, recorded by one finance
 *   person and waiting for a second (four-eyes); nothing is in the ledger yet.
 * - succeeded: in the ledger; partly_refunded / refunded after refunds; disputed while a card
 *   dispute is open; rejected: the second person refused an unconfirmed cash record.
 */
export const paymentStatusEnum = pgEnum("payment_status", [
  "awaiting_confirmation",
  "succeeded",
  "partly_refunded",
  "refunded",
  "disputed",
  "rejected",
  "reversed",
]);

/**
 * Where a payment's money sits now (the ledger is the truth, this is its cache for lists):
 * the pledge's need fund, the organisation's unrestricted fund, or suspense (not yet explained).
 */
export const paymentAllocationEnum = pgEnum("payment_allocation", ["need_fund", "unrestricted_fund", "zakat_fund", "suspense"]);

/** Why finance must look at a payment. */
export const paymentFlagEnum = pgEnum("payment_flag", [
  "unknown_pledge",
  "paid_after_cancelled",
  "paid_after_expired",
  "need_closed",
  "disputed",
  "dispute_lost",
]);

export const payments = pgTable(
  "payments",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** The pledge it pays, or null for money with no usable reference (suspense). */
    pledgeId: uuid().references(() => pledges.id),
    /** The need whose fund holds it now (null in suspense or the unrestricted fund). */
    needId: uuid().references(() => needs.id),
    method: paymentMethodEnum().notNull(),
    /** The money account it arrived in (bank/cash/agent); null for card (the Stripe balance). */
    moneyAccountId: uuid().references(() => moneyAccounts.id),
    /** Gross: what the donor gave, in the app's minor units of `currency` (fee included). */
    amountMinor: bigint({ mode: "number" }).notNull(),
    /** Taken by Stripe or the bank on the way; the money account receives amount − fee. */
    feeMinor: bigint({ mode: "number" }).notNull().default(0),
    /** Part of the amount the donor added to cover the processing fee (kept apart from the gift). */
    coverFeeMinor: bigint({ mode: "number" }).notNull().default(0),
    /** Part of the gift beyond the pledge, put in the unrestricted fund (over-payment). */
    surplusMinor: bigint({ mode: "number" }).notNull().default(0),
    currency: char({ length: 3 }).notNull(),
    /** When the money arrived (the bank's value date), in the organisation's calendar. */
    valueDate: date({ mode: "string" }).notNull(),
    recordedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** The finance person who recorded it; null when the system did (a webhook, a job). */
    recordedBy: uuid().references(() => users.id),
    /** The second finance person for cash above the threshold (four-eyes, never the recorder). */
    confirmedBy: uuid().references(() => users.id),
    confirmedAt: timestamp({ withTimezone: true }),
    /** Stripe payment intent, bank reference, receipt-book number, shop transfer code. */
    externalId: text(),
    proofDocumentId: uuid(),
    note: text(),
    status: paymentStatusEnum().notNull(),
    allocation: paymentAllocationEnum().notNull(),
    refundedMinor: bigint({ mode: "number" }).notNull().default(0),
    flag: paymentFlagEnum(),
    flagResolvedAt: timestamp({ withTimezone: true }),
    /** Reversed (issue 10): a wrong statement match undone; its entry reversed, its external id free again. */
    reversedAt: timestamp({ withTimezone: true }),
    reversedBy: uuid().references(() => users.id),
    /** The Stripe payout that carried this card payment to the bank (issue 10). */
    stripePayoutId: text(),
    /** The journal entry that brought it in (null while awaiting confirmation). */
    ledgerEntryId: uuid(),
    /** The donor's locale for the receipt (copied from the pledge, or chosen by finance). */
    locale: localeEnum().notNull().default("ar"),
    /** Donor contact for receipts when there is no pledge (suspense money later attached gets the pledge's). */
    donorEmail: text(),
    donorName: text(),
    /** The request that made it: a retry with the same key finds this payment (unique). */
    idempotencyKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("payments_idempotency_key").on(t.idempotencyKey),
    uniqueIndex("payments_external_id_key").on(t.orgId, t.method, t.externalId).where(sql`${t.externalId} is not null and ${t.reversedAt} is null`),
    index("payments_payout_idx").on(t.stripePayoutId).where(sql`${t.stripePayoutId} is not null`),
    index("payments_pledge_idx").on(t.pledgeId),
    index("payments_need_idx").on(t.needId),
    index("payments_org_recorded_idx").on(t.orgId, t.recordedAt),
    index("payments_org_flag_idx").on(t.orgId, t.flag).where(sql`${t.flag} is not null and ${t.flagResolvedAt} is null`),
    index("payments_org_status_idx").on(t.orgId, t.status),
    check("payments_amount_positive", sql`${t.amountMinor} > 0`),
    check("payments_fee_range", sql`${t.feeMinor} >= 0 and ${t.feeMinor} < ${t.amountMinor}`),
    check("payments_cover_range", sql`${t.coverFeeMinor} >= 0 and ${t.coverFeeMinor} < ${t.amountMinor}`),
    check("payments_surplus_range", sql`${t.surplusMinor} >= 0 and ${t.surplusMinor} <= ${t.amountMinor}`),
    check("payments_refunded_range", sql`${t.refundedMinor} >= 0 and ${t.refundedMinor} <= ${t.amountMinor}`),
    /** Four-eyes, enforced here like verification: the confirmer is never the recorder. */
    check("payments_four_eyes", sql`${t.confirmedBy} is null or ${t.recordedBy} is null or ${t.confirmedBy} <> ${t.recordedBy}`),
  ],
);

/** A proof of payment (bank slip, receipt-book page): private storage, like household evidence. */
export const paymentDocuments = pgTable(
  "payment_documents",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    fileName: text().notNull(),
    mimeType: text().notNull(),
    sizeBytes: integer().notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    uploadedBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("payment_documents_org_idx").on(t.orgId), check("payment_documents_size", sql`${t.sizeBytes} > 0 and ${t.sizeBytes} <= 10485760`)],
);

export const refundStatusEnum = pgEnum("refund_status", ["pending", "succeeded", "failed"]);

/** A refund of (part of) a payment: through Stripe for a card, recorded by finance otherwise. */
export const refunds = pgTable(
  "refunds",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    amountMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    /** Stripe's re_… id for a card refund (unique); null for an offline refund. */
    stripeRefundId: text(),
    /** For an offline refund: how and with which reference the money went back. */
    externalId: text(),
    reason: text(),
    status: refundStatusEnum().notNull(),
    recordedBy: uuid().references(() => users.id),
    idempotencyKey: text().notNull(),
    ledgerEntryId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("refunds_idempotency_key").on(t.idempotencyKey),
    uniqueIndex("refunds_stripe_key").on(t.stripeRefundId).where(sql`${t.stripeRefundId} is not null`),
    index("refunds_payment_idx").on(t.paymentId),
    check("refunds_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);

export const stripeEventStatusEnum = pgEnum("stripe_event_status", ["received", "processed", "deferred", "ignored", "failed"]);

/** Every Stripe event, stored once by its id before anything else happens (a replay is a no-op). */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text().primaryKey(),
    type: text().notNull(),
    livemode: boolean().notNull().default(false),
    /** Stripe's `created` (seconds), for ordering. */
    createdAtStripe: bigint({ mode: "number" }).notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    status: stripeEventStatusEnum().notNull().default("received"),
    attempts: integer().notNull().default(0),
    lastError: text(),
    receivedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp({ withTimezone: true }),
    /** A deferred event (it came before what it depends on) is retried after this. */
    retryAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("stripe_events_pending_idx").on(t.status, t.retryAt).where(sql`${t.status} in ('received', 'deferred')`)],
);

export const checkoutStatusEnum = pgEnum("checkout_status", ["open", "complete", "expired"]);

/** A Stripe Checkout Session opened for a card pledge (or the stand-in's equivalent). */
export const checkoutSessions = pgTable(
  "checkout_sessions",
  {
    /** Stripe's cs_… id. */
    id: text().primaryKey(),
    pledgeId: uuid()
      .notNull()
      .references(() => pledges.id),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** The gift, in the app's minor units. */
    giftMinor: bigint({ mode: "number" }).notNull(),
    /** What the donor added to cover the fee, in the app's minor units (0 when not chosen). */
    coverFeeMinor: bigint({ mode: "number" }).notNull().default(0),
    currency: char({ length: 3 }).notNull(),
    status: checkoutStatusEnum().notNull().default("open"),
    url: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("checkout_sessions_pledge_idx").on(t.pledgeId, t.createdAt)],
);

export const receiptKindEnum = pgEnum("receipt_kind", ["receipt", "credit_note"]);

/**
 * A receipt for each confirmed payment and a credit note for each refund: numbered per
 * organisation, kind and year without gaps (an org_counters row locked in the same
 * transaction), e.g. R-2026-000012 / CN-2026-000003. Reissuing keeps the number.
 */
export const receipts = pgTable(
  "receipts",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    kind: receiptKindEnum().notNull(),
    number: text().notNull(),
    year: integer().notNull(),
    sequence: integer().notNull(),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    refundId: uuid().references(() => refunds.id),
    /** A credit note's receipt. */
    refersToReceiptId: uuid(),
    amountMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    donorEmail: text(),
    donorName: text(),
    donorUserId: uuid().references(() => users.id),
    locale: localeEnum().notNull().default("ar"),
    issuedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    reissuedAt: timestamp({ withTimezone: true }),
    /** Voided (issue 10): its payment was a wrong statement match, undone. The number stays used. */
    voidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("receipts_number_key").on(t.orgId, t.kind, t.year, t.sequence),
    uniqueIndex("receipts_payment_key").on(t.paymentId).where(sql`${t.kind} = 'receipt'`),
    uniqueIndex("receipts_refund_key").on(t.refundId).where(sql`${t.refundId} is not null`),
    index("receipts_donor_idx").on(t.donorUserId, t.issuedAt),
    index("receipts_email_idx").on(t.donorEmail, t.issuedAt),
  ],
);
