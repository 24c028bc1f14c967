import { sql } from "drizzle-orm";
import { bigint, boolean, char, check, index, jsonb, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { ledgerEntries } from "./ledger";
import { needCategoryEnum, needs } from "./needs";
import { organizations } from "./organizations";
import { payments } from "./payments";
import { appeals } from "./pledging";
import { DIGEST_FREQUENCIES } from "../../app/modules/giving/frequencies";

/**
 * Giving (issue 12): what a donor wants to support, and how often they want to hear of it.
 * Regions are public regions only (governorates); organisations are any organisation. Every
 * list empty means "anything".
 */
export const digestFrequencyEnum = pgEnum("digest_frequency", DIGEST_FREQUENCIES);

export const givingPreferences = pgTable(
  "giving_preferences",
  {
    userId: uuid()
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    categories: needCategoryEnum().array().notNull().default(sql`'{}'`),
    regionIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    orgIds: uuid().array().notNull().default(sql`'{}'::uuid[]`),
    /** Only zakat-eligible needs. */
    zakatOnly: boolean().notNull().default(false),
    /** What the donor means to give a month (a guide shown back to them; never charged from here). */
    monthlyBudgetMinor: bigint({ mode: "number" }),
    budgetCurrency: char({ length: 3 }),
    digest: digestFrequencyEnum().notNull().default("off"),
    /** Needs published after this are "new" for the next digest; null: since the preferences were saved. */
    digestSentAt: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      "giving_preferences_budget",
      sql`(${t.monthlyBudgetMinor} is null and ${t.budgetCurrency} is null) or (${t.monthlyBudgetMinor} > 0 and ${t.budgetCurrency} is not null)`,
    ),
  ],
);

/**
 * A run of the solidarity fund's allocator (issue 12): by finance ("run now") or by the system
 * (the scheduled job, actor null). One transaction moves the money and writes the run and its
 * allocations; the idempotency key makes a retried run find the first.
 */
export const allocationRuns = pgTable(
  "allocation_runs",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    currency: char({ length: 3 }).notNull(),
    capPerNeedMinor: bigint({ mode: "number" }).notNull(),
    /** Who ran it; null when the system did (the scheduled job). */
    actorUserId: uuid().references(() => users.id),
    allocatedMinor: bigint({ mode: "number" }).notNull().default(0),
    idempotencyKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("allocation_runs_idempotency_key").on(t.idempotencyKey),
    index("allocation_runs_org_idx").on(t.orgId, t.createdAt),
    check("allocation_runs_cap_positive", sql`${t.capPerNeedMinor} > 0`),
  ],
);

/** One allocation of a run: money of one payment moved from the fund to one need, and why (the score's parts). */
export const fundAllocations = pgTable(
  "fund_allocations",
  {
    id: uuid().primaryKey().defaultRandom(),
    runId: uuid()
      .notNull()
      .references(() => allocationRuns.id),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    needId: uuid()
      .notNull()
      .references(() => needs.id),
    currency: char({ length: 3 }).notNull(),
    amountMinor: bigint({ mode: "number" }).notNull(),
    score: smallint().notNull(),
    /** The score's parts: { urgency, deadline, waiting, received, closeToDone }. */
    parts: jsonb().$type<Record<string, number>>().notNull(),
    ledgerEntryId: uuid()
      .notNull()
      .references(() => ledgerEntries.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("fund_allocations_run_payment_need").on(t.runId, t.paymentId, t.needId),
    index("fund_allocations_org_idx").on(t.orgId, t.createdAt),
    index("fund_allocations_need_idx").on(t.needId),
    index("fund_allocations_payment_idx").on(t.paymentId),
    check("fund_allocations_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);

/**
 * Donor credit (issue 12): money a donor gave that its need can no longer use — the need was
 * cancelled, or expired before it was funded. For a window (platform_settings.credit_window_days)
 * the donor may choose another need in one click (a signed link in the email, or their account);
 * when the window ends the system moves it to the organisation's fund and the allocator gives it
 * to the most urgent need that fits, and the donor is told where it went.
 *
 * | status    | meaning                                                                        |
 * |-----------|--------------------------------------------------------------------------------|
 * | open      | offered to the donor; the money still sits in the old need's fund              |
 * | used      | the donor chose a need (`to_need_id`); the money moved there                   |
 * | allocated | the window ended; moved to the fund and the allocator gave it (to_need_id)     |
 * | to_fund   | the window ended; moved to the fund, no need fitted yet: the weekly run will   |
 * | void      | the money left the old need some other way (refunded, moved by finance)        |
 */
export const donorCreditStatusEnum = pgEnum("donor_credit_status", ["open", "used", "allocated", "to_fund", "void"]);

export const donorCredits = pgTable(
  "donor_credits",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    /** The need the money sat on when it could no longer be used. */
    fromNeedId: uuid()
      .notNull()
      .references(() => needs.id),
    currency: char({ length: 3 }).notNull(),
    amountMinor: bigint({ mode: "number" }).notNull(),
    /** Where the offer went (the pledge's email or the payment's contact). */
    email: text().notNull(),
    zakat: boolean().notNull().default(false),
    status: donorCreditStatusEnum().notNull().default("open"),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    toNeedId: uuid().references(() => needs.id),
    resolvedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("donor_credits_payment_need").on(t.paymentId, t.fromNeedId),
    index("donor_credits_open_idx").on(t.expiresAt).where(sql`${t.status} = 'open'`),
    index("donor_credits_email_idx").on(t.email),
    check("donor_credits_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);

/**
 * A gift matched by an appeal's sponsor (decision 068): one per donor payment, the amount moved
 * from the sponsor's payment in the fund to the gift's need (the ledger entry), keyed by the
 * donor's payment so a gift is matched once.
 */
export const appealMatches = pgTable(
  "appeal_matches",
  {
    id: uuid().primaryKey().defaultRandom(),
    appealId: uuid()
      .notNull()
      .references(() => appeals.id),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** The donor's payment that was matched. */
    paymentId: uuid()
      .notNull()
      .references(() => payments.id),
    needId: uuid()
      .notNull()
      .references(() => needs.id),
    /** The sponsor's payment the match came from. */
    sponsorPaymentId: uuid()
      .notNull()
      .references(() => payments.id),
    giftMinor: bigint({ mode: "number" }).notNull(),
    amountMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    entryId: uuid().references(() => ledgerEntries.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("appeal_matches_payment_idx").on(t.paymentId),
    uniqueIndex("appeal_matches_payment_sponsor_key").on(t.paymentId, t.sponsorPaymentId),
    index("appeal_matches_appeal_idx").on(t.appealId, t.createdAt),
    check("appeal_matches_amount_positive", sql`${t.amountMinor} > 0`),
  ],
);
