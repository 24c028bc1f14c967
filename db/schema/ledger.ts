import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  char,
  check,
  date,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./identity";
import { needs } from "./needs";
import { organizations } from "./organizations";
import { moneyAccounts, payments, refunds } from "./payments";
import { pledges } from "./pledging";

/**
 * The double-entry ledger (decision 056; app/modules/ledger). Amounts are signed integers of
 * minor units: a debit is positive, a credit negative, so every entry's postings sum to zero per
 * currency (checked by the module and by a deferred constraint trigger, migration 0009). Entries
 * and postings are append-only (triggers); a correction is a new entry that reverses the old one.
 *
 * | type      | kind               | normal side | one per                          |
 * |-----------|--------------------|-------------|----------------------------------|
 * | asset     | bank               | debit       | money account (bank) + currency  |
 * | asset     | cash               | debit       | money account (cash box)         |
 * | asset     | transfer_agent     | debit       | money account (agent)            |
 * | asset     | stripe             | debit       | organisation + currency          |
 * | liability | need_fund          | credit      | need                             |
 * | liability | unrestricted_fund  | credit      | organisation + currency          |
 * | liability | zakat_fund         | credit      | organisation + currency          |
 * | liability | refunds_payable    | credit      | organisation + currency          |
 * | liability | suspense           | credit      | organisation + currency          |
 * | expense   | processing_fees    | debit       | organisation + currency          |
 * | income    | fee_cover          | credit      | organisation + currency          |
 * | expense   | bank_charges       | debit       | organisation + currency          |
 * | income    | interest_income    | credit      | organisation + currency          |
 * | asset     | in_transit         | debit       | organisation + currency          |
 * | equity    | opening_balance    | credit      | organisation + currency          |
 *
 * in_transit holds money between two of the organisation's own accounts (out of one, not yet
 * into the other); opening_balance is the other side of a money account's balance brought in
 * when the organisation started keeping its books here.
 */
export const ledgerAccountTypeEnum = pgEnum("ledger_account_type", ["asset", "liability", "expense", "income", "equity"]);
export const ledgerAccountKindEnum = pgEnum("ledger_account_kind", [
  "bank",
  "cash",
  "transfer_agent",
  "stripe",
  "need_fund",
  "unrestricted_fund",
  "zakat_fund",
  "refunds_payable",
  "suspense",
  "processing_fees",
  "fee_cover",
  "bank_charges",
  "interest_income",
  "in_transit",
  "opening_balance",
]);

export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    currency: char({ length: 3 }).notNull(),
    type: ledgerAccountTypeEnum().notNull(),
    kind: ledgerAccountKindEnum().notNull(),
    /** Unique per organisation and currency: the kind, plus the need or money account it belongs to (e.g. `need_fund:<uuid>`). */
    key: text().notNull(),
    needId: uuid().references(() => needs.id),
    moneyAccountId: uuid().references(() => moneyAccounts.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ledger_accounts_key").on(t.orgId, t.currency, t.key),
    unique("ledger_accounts_identity").on(t.id, t.orgId, t.currency),
    uniqueIndex("ledger_accounts_need_key").on(t.needId).where(sql`${t.needId} is not null`),
  ],
);

export const ledgerEntryKindEnum = pgEnum("ledger_entry_kind", [
  "payment",
  "fee",
  "refund",
  "reallocation",
  "adjustment",
  "reversal",
  "disbursement",
  "payout",
  "bank_charge",
  "interest",
  "internal_transfer",
  "opening_balance",
]);

export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    kind: ledgerEntryKindEnum().notNull(),
    /** Unique: writing the same entry twice (a retried request, a replayed webhook) finds the first. */
    idempotencyKey: text().notNull(),
    /** A short English/neutral description for the journal, e.g. "Card payment TDM-7K3Q-9FX". */
    memo: text().notNull(),
    /** The person who caused it; null when the system did (a webhook, a job). */
    actorUserId: uuid().references(() => users.id),
    /** When the money moved (value date). */
    valueDate: date({ mode: "string" }).notNull(),
    paymentId: uuid().references(() => payments.id),
    refundId: uuid().references(() => refunds.id),
    pledgeId: uuid().references(() => pledges.id),
    needId: uuid().references(() => needs.id),
    /** The entry this one reverses (a correction); an entry is reversed at most once. */
    reversesEntryId: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("ledger_entries_idempotency_key").on(t.idempotencyKey),
    uniqueIndex("ledger_entries_reverses_key").on(t.reversesEntryId).where(sql`${t.reversesEntryId} is not null`),
    index("ledger_entries_org_created_idx").on(t.orgId, t.createdAt),
    index("ledger_entries_payment_idx").on(t.paymentId),
    index("ledger_entries_need_idx").on(t.needId),
    foreignKey({ columns: [t.reversesEntryId], foreignColumns: [t.id], name: "ledger_entries_reverses_fk" }),
  ],
);

export const ledgerPostings = pgTable(
  "ledger_postings",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    entryId: uuid()
      .notNull()
      .references(() => ledgerEntries.id),
    accountId: uuid().notNull(),
    orgId: uuid().notNull(),
    currency: char({ length: 3 }).notNull(),
    /** Debit positive, credit negative; never zero. */
    amountMinor: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    index("ledger_postings_entry_idx").on(t.entryId),
    index("ledger_postings_account_idx").on(t.accountId),
    index("ledger_postings_org_currency_idx").on(t.orgId, t.currency),
    // The posting's organisation and currency are its account's (a composite key makes it so).
    foreignKey({
      columns: [t.accountId, t.orgId, t.currency],
      foreignColumns: [ledgerAccounts.id, ledgerAccounts.orgId, ledgerAccounts.currency],
      name: "ledger_postings_account_fk",
    }),
    check("ledger_postings_nonzero", sql`${t.amountMinor} <> 0`),
  ],
);
