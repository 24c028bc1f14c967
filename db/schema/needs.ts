import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  char,
  check,
  customType,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./identity";
import { organizations, regions } from "./organizations";
import { payeeKindEnum, payees } from "./payees";
import { households } from "./registry";

/** PostgreSQL's tsvector (read as its text form; only the database writes it). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const needCategoryEnum = pgEnum("need_category", [
  "school_fees",
  "medical_treatment",
  "surgery",
  "medication",
  "in_kind_item",
  "rent",
  "food",
  "livelihood_asset",
  "other",
]);

/** The states of app/modules/needs/lifecycle.ts (funded onwards are moved by later work). */
export const needStateEnum = pgEnum("need_state", [
  "draft",
  "submitted",
  "returned",
  "verified",
  "published",
  "rejected",
  "cancelled",
  "funded",
  "disbursed",
  "closed",
  "expired",
]);

export const urgencyEnum = pgEnum("need_urgency", ["critical", "high", "normal"]);
export const ageBandEnum = pgEnum("age_band", ["0-4", "5-11", "12-17", "18-29", "30-59", "60+"]);
export const genderEnum = pgEnum("beneficiary_gender", ["female", "male"]);
/**
 * Who may receive zakat (the asnaf of Quran 9:60) that a need can serve. Those who administer
 * zakat (al-amilin) are left out on purpose: zakat here never pays fees or overhead.
 */
export const zakatCategoryEnum = pgEnum("zakat_category", ["fuqara", "masakin", "gharimin", "ibn_sabil", "fi_sabilillah", "riqab", "muallafa"]);

export const needs = pgTable(
  "needs",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Random public identifier used in public URLs; never sequential. */
    publicId: text().notNull(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    householdId: uuid()
      .notNull()
      .references(() => households.id),
    category: needCategoryEnum().notNull(),
    /** Target in integer minor units of `currency`. */
    targetMinor: bigint({ mode: "number" }).notNull(),
    currency: char({ length: 3 }).notNull(),
    deadline: date({ mode: "string" }).notNull(),
    urgency: urgencyEnum().notNull().default("normal"),
    payeeKind: payeeKindEnum().notNull(),
    /** The payee record (issue 10); the free text below is kept as the caseworker's note and migrated into a payee. */
    payeeId: uuid().references(() => payees.id),
    /** Private: who is paid and how (school, hospital…); never public. */
    payeeName: text(),
    payeeDetails: text(),
    /** Public text (anonymized, checked by the guard), Arabic and/or English. */
    titleAr: text(),
    titleEn: text(),
    storyAr: text(),
    storyEn: text(),
    /** Public region: governorate level only. */
    publicRegionId: uuid().references(() => regions.id),
    ageBand: ageBandEnum(),
    /** Zakat-eligible when set: the category of recipient, marked by staff (issue 12). */
    zakatCategory: zakatCategoryEnum(),
    /**
     * Kafala (issue 12, decision 067): offered as a sponsorship — one sponsor pays the target in
     * this many monthly instalments (the target divided up, the last month the rest). Null: an
     * ordinary need.
     */
    sponsorshipMonths: smallint(),
    gender: genderEnum(),
    state: needStateEnum().notNull().default("draft"),
    authorId: uuid()
      .notNull()
      .references(() => users.id),
    verifierId: uuid().references(() => users.id),
    submittedAt: timestamp({ withTimezone: true }),
    verifiedAt: timestamp({ withTimezone: true }),
    publishedAt: timestamp({ withTimezone: true }),
    /** The latest reason given when returned, rejected or cancelled. */
    lastReason: text(),
    /**
     * Money promised by pending pledges and money received, in minor units, kept by the pledging
     * module in the same transaction (under the need's row lock) as the pledge that moves them.
     * reserved + paid never exceeds the target (also a CHECK).
     */
    reservedMinor: bigint({ mode: "number" }).notNull().default(0),
    paidMinor: bigint({ mode: "number" }).notNull().default(0),
    donorCount: integer().notNull().default(0),
    /** Money paid out of the need's fund to its payee (disbursement batches marked paid), minor units. */
    disbursedMinor: bigint({ mode: "number" }).notNull().default(0),
    /**
     * The author's "this is not the person's name" confirmations: occurrence ids of the guard's
     * confirm-hits (`field:word:n`). Only ids matching a current confirm-hit are kept on save.
     */
    guardConfirmations: text().array().notNull().default(sql`'{}'::text[]`),
    /** Published in one language only ('ar' or 'en'); null: both titles and stories are required to verify. */
    onlyLanguage: text(),
    /**
     * Re-identification check (decision 055): the public details the card leaves out because fewer
     * than k active households of the organisation share them ('age_band', then 'gender').
     */
    publicHides: text().array().notNull().default(sql`'{}'::text[]`),
    /** Details the verifier chose to keep public despite the check, with the (audited) reason. */
    keptDetails: text().array().notNull().default(sql`'{}'::text[]`),
    keptReason: text(),
    /** Arabic-normalized public text (titles, stories, category and region names) for public search. */
    searchText: text().notNull().default(""),
    /**
     * Which version of buildSearchText wrote search_text (SEARCH_TEXT_VERSION in
     * app/modules/marketplace/search-text.ts). The default is the current version, so a new need is
     * current; a migration that bumps the default leaves older rows behind, and start-up recomputes
     * them in batches (refreshSearchText).
     */
    searchTextVersion: smallint().notNull().default(1),
    /**
     * search_text as a tsvector, kept by the database (a stored generated column): the listing's
     * search tests it per row without re-parsing the text (an ordered index scan stopping after a
     * page or after the capped count), and its GIN index (needs_public_search_idx) serves rare words.
     * Never written by the app.
     */
    searchVector: tsvector().generatedAlwaysAs(sql`to_tsvector('simple'::regconfig, search_text)`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("needs_public_id_key").on(t.publicId),
    index("needs_org_state_idx").on(t.orgId, t.state, t.createdAt),
    index("needs_household_idx").on(t.householdId),
    index("needs_search_text_version_idx").on(t.searchTextVersion),
    check("needs_target_positive", sql`${t.targetMinor} > 0`),
    // Four-eyes, in the database too: the verifier is never the author.
    check("needs_verifier_not_author", sql`${t.verifierId} is null or ${t.verifierId} <> ${t.authorId}`),
    check("needs_sponsorship_months", sql`${t.sponsorshipMonths} is null or (${t.sponsorshipMonths} between 2 and 60 and ${t.category} <> 'in_kind_item')`),
    check("needs_some_title", sql`coalesce(${t.titleAr}, ${t.titleEn}) is not null`),
    check("needs_only_language", sql`${t.onlyLanguage} is null or ${t.onlyLanguage} in ('ar', 'en')`),
    check("needs_capacity", sql`${t.reservedMinor} >= 0 and ${t.paidMinor} >= 0 and ${t.reservedMinor} + ${t.paidMinor} <= ${t.targetMinor}`),
    // Public listing (decision 059): every sort is a keyset (its sort key, then id) with an index
    // in that order, and every filter's index ends with the default sort's keyset, so a deep page is
    // an index range scan from the cursor, never an OFFSET. Partial on published needs.
    index("needs_public_urgency_idx").on(t.urgency, t.deadline, t.id).where(sql`${t.state} = 'published'`),
    index("needs_public_deadline_idx").on(t.deadline, t.urgency, t.id).where(sql`${t.state} = 'published'`),
    index("needs_public_published_idx")
      .on(sql`coalesce(${t.publishedAt}, ${t.createdAt})`, t.id)
      .where(sql`${t.state} = 'published'`),
    index("needs_public_category_idx").on(t.category, t.urgency, t.deadline, t.id).where(sql`${t.state} = 'published'`),
    index("needs_public_region_idx").on(t.publicRegionId, t.urgency, t.deadline, t.id).where(sql`${t.state} = 'published'`),
    index("needs_public_org_idx").on(t.orgId, t.urgency, t.deadline, t.id).where(sql`${t.state} = 'published'`),
    index("needs_public_currency_idx").on(t.currency, t.urgency, t.deadline, t.id).where(sql`${t.state} = 'published'`),
    // "Nearly funded": the negated share received or promised, ascending, so all three keys run the
    // same way and the keyset is one row comparison (the listing orders by the same expression).
    index("needs_public_nearly_funded_idx")
      .on(sql`(-((${t.paidMinor} + ${t.reservedMinor})::float8 / ${t.targetMinor}))`, t.deadline, t.id)
      .where(sql`${t.state} = 'published'`),
    // A search with filters (decision 076): the filters' columns are in the search's GIN index too
    // (btree_gin), so the index gives only the needs matching the words and every filter, and no
    // row matching the words elsewhere is read to be thrown away.
    // Every change to a published need (a pledge moves its counters) adds its entries to the GIN
    // index's pending list, which every search reads in full until it is merged. At the default
    // limit (4 MB) a busy day's pledges made each search read hundreds of pending pages; at 64 kB
    // the list is merged by the write that fills it and a search reads at most a few (decision 081).
    index("needs_public_search_idx")
      .using("gin", t.searchVector, t.category, t.publicRegionId, t.urgency, t.currency, t.orgId)
      .with({ gin_pending_list_limit: 64 })
      .where(sql`${t.state} = 'published'`),
  ],
);

/**
 * The home page's totals as a maintained aggregate (decision 059): per organisation and currency
 * (decision 075 added the organisation: an organisation's listing reads its count here), money
 * received by public needs (published, funded, disbursed, closed) and how many are published and
 * funded. Kept by triggers on needs (migrations 0015, 0028), never by application code, so every
 * writer keeps it right. Each connection adds its deltas to its own slot (pg_backend_pid() % 16) so concurrent
 * payments seldom wait on one row; a slot's numbers may be negative, the sum over slots is the
 * total. Read with platformTotals (app/modules/marketplace/listing.server.ts).
 */
export const publicNeedTotals = pgTable(
  "public_need_totals",
  {
    orgId: uuid().notNull(),
    currency: char({ length: 3 }).notNull(),
    slot: smallint().notNull(),
    raisedMinor: bigint({ mode: "number" }).notNull().default(0),
    published: integer().notNull().default(0),
    funded: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.currency, t.slot] })],
);

/** Item lines of an in-kind need; their total is the need's target. */
export const needItems = pgTable(
  "need_items",
  {
    id: uuid().primaryKey().defaultRandom(),
    needId: uuid()
      .notNull()
      .references(() => needs.id, { onDelete: "cascade" }),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    position: integer().notNull().default(0),
    /** Public item name, e.g. «ماكينة خياطة» / "sewing machine". */
    labelAr: text(),
    labelEn: text(),
    quantity: integer().notNull(),
    unitCostMinor: bigint({ mode: "number" }).notNull(),
  },
  (t) => [
    index("need_items_need_idx").on(t.needId, t.position),
    check("need_items_quantity", sql`${t.quantity} > 0`),
    check("need_items_unit_cost", sql`${t.unitCostMinor} > 0`),
  ],
);

/** Every state change of a need, with who and why (the audit log records it too). */
export const needTransitions = pgTable(
  "need_transitions",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    needId: uuid()
      .notNull()
      .references(() => needs.id, { onDelete: "cascade" }),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    action: text().notNull(),
    fromState: needStateEnum().notNull(),
    toState: needStateEnum().notNull(),
    /** Null: the system did it (a webhook, a job), shown as "the system" in every history. */
    actorId: uuid().references(() => users.id),
    reason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("need_transitions_need_idx").on(t.needId, t.createdAt)],
);

/**
 * Settings of the whole platform, edited by the platform admin on /admin/settings: one row
 * (id is always true). k: how many active households of an organisation must share a need's
 * public details before the card may show them all (decision 055).
 */
export const platformSettings = pgTable(
  "platform_settings",
  {
    id: boolean().primaryKey().default(true),
    kAnonymityMin: integer().notNull().default(5),
    /** Donor credit (issue 12): days a donor has to choose another need before the fund's allocator does. */
    creditWindowDays: integer().notNull().default(30),
    updatedBy: uuid().references(() => users.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("platform_settings_one_row", sql`${t.id}`), check("platform_settings_k", sql`${t.kAnonymityMin} between 1 and 100`), check("platform_settings_credit_window", sql`${t.creditWindowDays} between 1 and 365`)],
);

export const needUpdateStateEnum = pgEnum("need_update_state", ["pending", "published", "rejected"]);

/**
 * A written update for a need's donors and its kafala sponsor ("the school year started", "the
 * operation went well"), decision 070. Written by a caseworker or org admin, checked by the
 * anonymization guard like the need's own public text, published only by a verifier who did not
 * write it; then emailed to the need's donors and sponsor and shown on the public need page.
 */
export const needUpdates = pgTable(
  "need_updates",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    needId: uuid()
      .notNull()
      .references(() => needs.id, { onDelete: "cascade" }),
    bodyAr: text(),
    bodyEn: text(),
    state: needUpdateStateEnum().notNull().default("pending"),
    /** Guard hits of kind "confirm" the author said are fine (occurrence ids). */
    confirmed: text().array().notNull().default(sql`'{}'::text[]`),
    authorId: uuid()
      .notNull()
      .references(() => users.id),
    reviewerId: uuid().references(() => users.id),
    rejectReason: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    reviewedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("need_updates_need_idx").on(t.needId, t.createdAt),
    index("need_updates_pending_idx").on(t.orgId, t.createdAt).where(sql`${t.state} = 'pending'`),
    check("need_updates_body", sql`coalesce(length(${t.bodyAr}), 0) + coalesce(length(${t.bodyEn}), 0) > 0`),
    check("need_updates_review", sql`(${t.state} = 'pending') = (${t.reviewerId} is null)`),
  ],
);
