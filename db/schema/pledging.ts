import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  smallint,
  boolean,
  char,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { localeEnum, users } from "./identity";
import { needCategoryEnum, needItems, needs } from "./needs";
import { organizations, regions } from "./organizations";

export const pledgeMethodEnum = pgEnum("pledge_method", ["card", "bank_transfer", "cash", "money_transfer", "delivery"]);

/**
 * The life of a pledge (app/modules/pledging/pledges.server.ts moves it, always under the need's
 * row lock, together with the need's `reserved_minor` / `paid_minor`):
 *
 * | status            | counts in the need as | reached by                                          |
 * |-------------------|-----------------------|-----------------------------------------------------|
 * | pending           | reserved              | an offline pledge (bank transfer, cash, transfer shop); expires at `expires_at` |
 * | awaiting_payment  | reserved              | a card pledge; the payments issue completes it (Stripe Checkout)                |
 * | offered           | reserved              | an in-kind offer to deliver an item oneself                                     |
 * | paid              | paid                  | finance / payments confirmed the money (from pending or awaiting_payment)        |
 * | received          | paid                  | staff confirmed an offered item was delivered                                    |
 * | cancelled         | nothing (released)    | the donor cancelled a pending / awaiting_payment pledge                          |
 * | expired           | nothing (released)    | the expiry job: unpaid offline pledge past `expires_at`                          |
 * | declined          | nothing (released)    | staff declined an offered item                                                   |
 * | part_paid         | paid (its paid_minor) | a part payment, then the rest released (expiry or finance)                       |
 * | refunded          | nothing               | every payment of a paid pledge refunded                                          |
 *
 * Money that arrives for a cancelled or expired pledge is never lost: the pledge keeps its status,
 * gets `paid_at` + `late_paid_minor` and `finance_flag` (paid_after_cancelled / paid_after_expired),
 * and the need's totals do not move until finance resolves it (the reconciliation issue).
 */
export const pledgeStatusEnum = pgEnum("pledge_status", [
  "pending",
  "awaiting_payment",
  "paid",
  "cancelled",
  "expired",
  "offered",
  "received",
  "declined",
  "part_paid",
  "refunded",
]);

/**
 * What a pledge gives to (issue 12): one need, or an organisation's solidarity fund — money the
 * allocator later gives to the most urgent verified needs, within the gift's restrictions
 * (categories, a region, zakat). A fund pledge reserves nothing on any need.
 */
export const pledgeKindEnum = pgEnum("pledge_kind", ["need", "fund"]);

/**
 * A monthly gift (issue 12) to an organisation's fund: by card it is a Stripe subscription (each
 * `invoice.paid` becomes that month's pledge and payment), offline it is a standing order (the
 * monthly-gifts job issues each month's pledge with its own reference and emails it). `incomplete`:
 * a card gift whose Checkout is not finished, or an offline one whose first month is unconfirmed;
 * `past_due`: a card payment failed (the donor is asked to update the card) or last month's
 * reference expired unpaid; `cancelled`: by the donor, any time, or by Stripe. A kafala (a monthly
 * gift to one need, decision 067) ends `completed` when its need is funded, or `lapsed` after two
 * months missed in a row — the need is offered for sponsorship again.
 */
export const monthlyGiftStatusEnum = pgEnum("monthly_gift_status", ["incomplete", "active", "past_due", "cancelled", "completed", "lapsed"]);

export const pledgeFinanceFlagEnum = pgEnum("pledge_finance_flag", ["paid_after_cancelled", "paid_after_expired"]);

export const pledges = pgTable(
  "pledges",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Human reference code, e.g. TDM-7K3Q-9FX (Crockford base32 + check symbol); quoted at the bank. */
    reference: text().notNull(),
    kind: pledgeKindEnum().notNull().default("need"),
    /** The need it funds; null for a fund pledge. */
    needId: uuid().references(() => needs.id),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /**
     * Zakat (issue 12): the donor gives this as zakat. Only to a zakat-eligible need, or to the
     * organisation's zakat fund (a ledger account of its own), never to fees; receipts say so.
     */
    zakat: boolean().notNull().default(false),
    /** A fund pledge's restrictions: only needs in these categories (null: any). */
    fundCategories: needCategoryEnum().array(),
    /** A fund pledge's restriction: only needs in this region or below it (null: anywhere). */
    fundRegionId: uuid().references(() => regions.id),
    /** The signed-in donor, or null for a guest (attached when the guest verifies that email). */
    donorUserId: uuid().references(() => users.id),
    /** Always lower-cased and trimmed. */
    email: text().notNull(),
    displayName: text(),
    anonymous: boolean().notNull().default(false),
    message: text(),
    amountMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    method: pledgeMethodEnum().notNull(),
    status: pledgeStatusEnum().notNull(),
    /** A random token rendered in the form: a double submit finds the first pledge (unique). */
    idempotencyKey: text().notNull(),
    /**
     * Unpaid after this, the expiry job releases the reservation: offline pledges (the
     * organisation's number of days) and card pledges (a day, like a Checkout session); none for
     * in-kind offers, which staff receive or decline.
     */
    expiresAt: timestamp({ withTimezone: true }),
    paidAt: timestamp({ withTimezone: true }),
    cancelledAt: timestamp({ withTimezone: true }),
    /** When the reservation was given back (cancelled, expired, declined). */
    releasedAt: timestamp({ withTimezone: true }),
    /** Money received for a pledge that no longer held capacity: kept for finance, never lost. */
    financeFlag: pledgeFinanceFlagEnum(),
    latePaidMinor: bigint({ mode: "number" }),
    /**
     * Money applied to this pledge by its payments, net of refunds (decision 056). A pledge is
     * `paid` when this covers `amount_minor`; short of it the rest stays reserved until the pledge
     * expires or finance releases it, and the pledge ends `part_paid`.
     */
    paidMinor: bigint({ mode: "number" }).notNull().default(0),
    locale: localeEnum().notNull().default("ar"),
    /**
     * When the donor confirmed the pledge (decision 053). A guest's offline pledge starts
     * unconfirmed and held for 24 hours; the link in its instructions email confirms it and extends
     * `expires_at` to the organisation's full period. Every other pledge is confirmed at creation.
     */
    confirmedAt: timestamp({ withTimezone: true }),
    /** SHA-256 (hex) of the single-use confirmation token emailed to a guest; the token itself is never stored. */
    confirmTokenHash: text(),
    /** The monthly gift this pledge is one month of (issue 12), and which month (YYYY-MM, the organisation's time zone). */
    monthlyGiftId: uuid().references((): AnyPgColumn => monthlyGifts.id),
    /** A matching sponsor's pledge to an appeal (decision 068): its money waits in the fund to match the appeal's gifts. */
    appealId: uuid().references((): AnyPgColumn => appeals.id),
    period: char({ length: 7 }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("pledges_monthly_gift_idx").on(t.monthlyGiftId, t.period).where(sql`${t.monthlyGiftId} is not null`),
    check("pledges_monthly_period", sql`(${t.monthlyGiftId} is null) = (${t.period} is null)`),
    uniqueIndex("pledges_reference_key").on(t.reference),
    uniqueIndex("pledges_confirm_token_key").on(t.confirmTokenHash),
    index("pledges_unconfirmed_idx").on(t.orgId).where(sql`${t.confirmedAt} is null`),
    uniqueIndex("pledges_idempotency_key").on(t.idempotencyKey),
    index("pledges_need_status_idx").on(t.needId, t.status),
    index("pledges_org_status_idx").on(t.orgId, t.status, t.createdAt),
    index("pledges_donor_idx").on(t.donorUserId, t.createdAt),
    index("pledges_email_idx").on(t.email, t.createdAt),
    index("pledges_expiry_idx").on(t.expiresAt).where(sql`${t.status} in ('pending', 'awaiting_payment')`),
    index("pledges_finance_flag_idx").on(t.orgId, t.financeFlag).where(sql`${t.financeFlag} is not null`),
    check("pledges_amount_positive", sql`${t.amountMinor} > 0`),
    check("pledges_kind_target", sql`(${t.kind} = 'need') = (${t.needId} is not null)`),
    check("pledges_fund_restrictions", sql`${t.kind} = 'fund' or (${t.fundCategories} is null and ${t.fundRegionId} is null)`),
    check("pledges_email_lower", sql`${t.email} = lower(${t.email})`),
  ],
);

/** A monthly gift to an organisation's fund (see monthly_gift_status); its months are pledges. */
export const monthlyGifts = pgTable(
  "monthly_gifts",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    donorUserId: uuid().references(() => users.id),
    /** Always lower-cased and trimmed. */
    email: text().notNull(),
    displayName: text(),
    anonymous: boolean().notNull().default(false),
    locale: localeEnum().notNull().default("ar"),
    amountMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    method: pledgeMethodEnum().notNull(),
    zakat: boolean().notNull().default(false),
    fundCategories: needCategoryEnum().array(),
    fundRegionId: uuid().references(() => regions.id),
    /** A kafala: the need this sponsor pays each month (null: a gift to the fund). */
    needId: uuid().references(() => needs.id),
    status: monthlyGiftStatusEnum().notNull(),
    stripeSubscriptionId: text(),
    stripeCustomerId: text(),
    /** The last failed card invoice and its attempt (`in_…:2`): the donor is told once per attempt. */
    lastFailure: text(),
    /** A standing order's month (YYYY-MM) whose unpaid reference the donor was last reminded of, days before it expires. */
    remindedPeriod: char({ length: 7 }),
    idempotencyKey: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp({ withTimezone: true }),
    /** Who cancelled: the donor (their user id, or null for a guest's signed link or Stripe). */
    cancelledBy: uuid().references(() => users.id),
  },
  (t) => [
    uniqueIndex("monthly_gifts_idempotency_key").on(t.idempotencyKey),
    uniqueIndex("monthly_gifts_subscription_key").on(t.stripeSubscriptionId),
    index("monthly_gifts_org_idx").on(t.orgId, t.status),
    index("monthly_gifts_email_idx").on(t.email),
    index("monthly_gifts_donor_idx").on(t.donorUserId),
    check("monthly_gifts_amount_positive", sql`${t.amountMinor} > 0`),
    check("monthly_gifts_method", sql`${t.method} <> 'delivery'`),
    check("monthly_gifts_kafala_unrestricted", sql`${t.needId} is null or (${t.fundCategories} is null and ${t.fundRegionId} is null)`),
    index("monthly_gifts_need_idx").on(t.needId).where(sql`${t.needId} is not null`),
    check("monthly_gifts_email_lower", sql`${t.email} = lower(${t.email})`),
  ],
);

/**
 * An appeal (issue 12, decision 068): an organisation's campaign for a set of its needs — chosen
 * (appeal_needs) and/or every published need matching its categories and governorate — with a page
 * of its own, a window, and optionally a matching sponsor: each gift to its needs in the window is
 * matched at `match_percent` (100: doubled) up to `match_cap_minor` in all, from the sponsor's
 * pledge (a fund pledge with this appeal's id). `emergency`: a shock response; its needs are
 * verified first (still by a second person).
 */
export const appealKindEnum = pgEnum("appeal_kind", ["matched", "emergency"]);

export const appeals = pgTable(
  "appeals",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Null: a platform appeal (decision 072), across organisations, by the platform admin; never matched. */
    orgId: uuid().references(() => organizations.id),
    /** A platform appeal's country (null: any); an organisation's appeal has none (it has a governorate). */
    country: char({ length: 2 }),
    slug: text().notNull(),
    kind: appealKindEnum().notNull(),
    titleAr: text(),
    titleEn: text(),
    storyAr: text(),
    storyEn: text(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    /** The filter: published needs of these categories (null: any) … */
    categories: needCategoryEnum().array(),
    /** … in this governorate of the organisation (null: anywhere). Null filter and no chosen needs: every published need. */
    regionId: uuid().references(() => regions.id),
    /** Matching: each gift × percent / 100, up to the cap in all (both null: no matching). */
    matchPercent: smallint(),
    matchCapMinor: bigint({ mode: "number" }),
    currency: char({ length: 3 }).notNull(),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("appeals_slug_key").on(t.slug),
    index("appeals_org_idx").on(t.orgId, t.endsAt),
    check("appeals_window", sql`${t.endsAt} > ${t.startsAt}`),
    check("appeals_match", sql`(${t.matchPercent} is null) = (${t.matchCapMinor} is null)`),
    check("appeals_match_range", sql`${t.matchPercent} is null or (${t.matchPercent} between 1 and 500 and ${t.matchCapMinor} > 0)`),
    check("appeals_some_title", sql`coalesce(${t.titleAr}, ${t.titleEn}) is not null`),
    check("appeals_platform", sql`case when ${t.orgId} is null then ${t.matchPercent} is null and ${t.regionId} is null else ${t.country} is null end`),
  ],
);

/** The needs an appeal names one by one (beside its filter). */
export const appealNeeds = pgTable(
  "appeal_needs",
  {
    appealId: uuid()
      .notNull()
      .references(() => appeals.id, { onDelete: "cascade" }),
    needId: uuid()
      .notNull()
      .references(() => needs.id),
  },
  (t) => [uniqueIndex("appeal_needs_pk").on(t.appealId, t.needId), index("appeal_needs_need_idx").on(t.needId)],
);

/** In-kind: the item lines a pledge funds (or the one item an `offered` pledge will deliver). */
export const pledgeItems = pgTable(
  "pledge_items",
  {
    id: uuid().primaryKey().defaultRandom(),
    pledgeId: uuid()
      .notNull()
      .references(() => pledges.id, { onDelete: "cascade" }),
    needItemId: uuid()
      .notNull()
      .references(() => needItems.id),
    quantity: integer().notNull(),
    amountMinor: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    index("pledge_items_pledge_idx").on(t.pledgeId),
    index("pledge_items_need_item_idx").on(t.needItemId),
    check("pledge_items_quantity", sql`${t.quantity} > 0`),
    check("pledge_items_amount", sql`${t.amountMinor} > 0`),
  ],
);

/** Where donors send offline money: one row per organisation, edited by its org_admin. */
export const orgPaymentDetails = pgTable(
  "org_payment_details",
  {
    orgId: uuid()
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    bankName: text(),
    accountName: text(),
    /** IBAN or local account number. */
    accountNumber: text(),
    swift: text(),
    currency: char({ length: 3 }),
    transferShopInstructionsAr: text(),
    transferShopInstructionsEn: text(),
    officeInstructionsAr: text(),
    officeInstructionsEn: text(),
    /**
     * The offline methods the organisation offers donors (org_admin ticks them). Null: every
     * offline method whose details are filled in (decision 053). A method is offered only with its
     * details (bank: account number; cash: office instructions; money transfer: shop instructions).
     */
    offeredMethods: pledgeMethodEnum().array(),
    /** Unpaid offline pledges expire after this many days. */
    pledgeExpiryDays: integer().notNull().default(7),
    /** Card payments through Stripe (org_admin's choice; shown only when the platform can take cards). */
    cardEnabled: boolean().notNull().default(false),
    /**
     * Cash at or above this amount (minor units of the organisation's default currency) needs a
     * second finance person to confirm it; cash in any other currency always does. Null: never.
     */
    cashFourEyesMinor: bigint({ mode: "number" }),
    updatedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("org_payment_details_expiry_days", sql`${t.pledgeExpiryDays} between 1 and 60`)],
);
