import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
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
import { users } from "./identity";
import { organizations, regions } from "./organizations";

/**
 * The private household registry. Nothing in these tables ever reaches a public page: the
 * public side of a need is its own projection (db/schema/needs.ts).
 */

export const householdStatusEnum = pgEnum("household_status", ["active", "moved", "graduated", "closed"]);

export const households = pgTable(
  "households",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    /** Per-organisation reference, e.g. LB-0001-26 (country, sequence, year of registration). */
    reference: text().notNull(),
    /** The organisation's own region (any level of its tree; usually the camp or neighbourhood). */
    regionId: uuid().references(() => regions.id),
    address: text(),
    status: householdStatusEnum().notNull().default("active"),
    vulnerabilityTags: text().array().notNull().default(sql`'{}'::text[]`),
    consentGivenOn: date({ mode: "string" }),
    consentRecordedBy: uuid().references(() => users.id),
    /** Consent scope: publish anonymized needs. */
    consentPublish: boolean().notNull().default(false),
    /** Consent scope: share with partner organisations (duplicate coordination). */
    consentSharePartners: boolean().notNull().default(false),
    /** Arabic-normalized names, reference and phone digits, for staff search. Never public. */
    searchText: text().notNull().default(""),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("households_org_reference_key").on(t.orgId, t.reference),
    index("households_org_status_idx").on(t.orgId, t.status, t.createdAt),
  ],
);

export const sexEnum = pgEnum("sex", ["female", "male"]);
export const relationEnum = pgEnum("member_relation", [
  "head",
  "spouse",
  "child",
  "parent",
  "sibling",
  "grandchild",
  "grandparent",
  "other",
]);
export const schoolEnrolmentEnum = pgEnum("school_enrolment", [
  "not_applicable",
  "enrolled",
  "not_enrolled",
  "dropped_out",
]);
export const memberStatusEnum = pgEnum("household_member_status", ["present", "left", "deceased"]);

export const householdMembers = pgTable(
  "household_members",
  {
    id: uuid().primaryKey().defaultRandom(),
    householdId: uuid()
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    fullName: text().notNull(),
    birthYear: integer(),
    sex: sexEnum().notNull(),
    relation: relationEnum().notNull(),
    isHead: boolean().notNull().default(false),
    /** Free description of a disability, or null. */
    disability: text(),
    schoolEnrolment: schoolEnrolmentEnum().notNull().default("not_applicable"),
    status: memberStatusEnum().notNull().default("present"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("household_members_household_idx").on(t.householdId),
    uniqueIndex("household_members_one_head_key").on(t.householdId).where(sql`${t.isHead}`),
    check("household_members_birth_year", sql`${t.birthYear} is null or ${t.birthYear} between 1900 and 2100`),
  ],
);

export const identifierKindEnum = pgEnum("identifier_kind", ["phone", "national_id", "unrwa", "unhcr", "other_id"]);

/**
 * Phones and ID numbers. `value` is private to the organisation; `keyedHash` is HMAC-SHA256 of
 * the normalized value (E.164 for phones) with a server secret, and is all that crosses
 * organisations for duplicate detection.
 */
export const householdIdentifiers = pgTable(
  "household_identifiers",
  {
    id: uuid().primaryKey().defaultRandom(),
    householdId: uuid()
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    memberId: uuid().references(() => householdMembers.id, { onDelete: "set null" }),
    kind: identifierKindEnum().notNull(),
    value: text().notNull(),
    normalized: text().notNull(),
    keyedHash: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("household_identifiers_hash_idx").on(t.keyedHash),
    index("household_identifiers_household_idx").on(t.householdId),
  ],
);

export const householdEventKindEnum = pgEnum("household_event_kind", [
  "registered",
  "updated",
  "moved",
  "member_added",
  "member_born",
  "member_left",
  "member_died",
  "member_updated",
  "status_changed",
  "consent_recorded",
  "identifier_added",
  "identifier_removed",
  "document_added",
  "referral_created",
  "referral_updated",
  "duplicate_decided",
  "note",
]);

/** The household's timeline: history kept, never overwritten. */
export const householdEvents = pgTable(
  "household_events",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    householdId: uuid()
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    kind: householdEventKindEnum().notNull(),
    /** When it happened in the family's life (a birth, a move); may differ from when it was recorded. */
    occurredOn: date({ mode: "string" }),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    actorId: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("household_events_household_idx").on(t.householdId, t.createdAt)],
);

export const documentKindEnum = pgEnum("document_kind", [
  "id_document",
  "medical_report",
  "school_letter",
  "quotation",
  "invoice",
  "photo_of_item",
  "other",
]);

/** Evidence files in private storage (local folder or S3-compatible); never public. */
export const documents = pgTable(
  "documents",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    householdId: uuid()
      .notNull()
      .references(() => households.id),
    /** Set when the document is evidence for one need. */
    needId: uuid(),
    kind: documentKindEnum().notNull().default("other"),
    fileName: text().notNull(),
    /** Detected from the bytes, not the name: application/pdf, image/jpeg or image/png. */
    mimeType: text().notNull(),
    sizeBytes: integer().notNull(),
    sha256: text().notNull(),
    storageKey: text().notNull(),
    uploadedBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("documents_household_idx").on(t.householdId, t.createdAt),
    index("documents_need_idx").on(t.needId),
    check("documents_size", sql`${t.sizeBytes} > 0 and ${t.sizeBytes} <= 10485760`),
  ],
);

export const duplicateDecisionEnum = pgEnum("duplicate_decision", ["pending", "same", "different", "coordinated"]);

/**
 * A match of keyed hashes between households of two organisations. One row per side: each
 * organisation records its own decision and sees only the other's name and reference.
 */
export const duplicateMatches = pgTable(
  "duplicate_matches",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    householdId: uuid()
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    otherOrgId: uuid()
      .notNull()
      .references(() => organizations.id),
    otherHouseholdId: uuid()
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    /** Which kinds of identifier matched (phone, national_id, …); never the value. */
    matchedOn: text().array().notNull(),
    decision: duplicateDecisionEnum().notNull().default("pending"),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    note: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("duplicate_matches_pair_key").on(t.householdId, t.otherHouseholdId),
    index("duplicate_matches_org_idx").on(t.orgId, t.decision),
  ],
);

export const referralProgrammeEnum = pgEnum("referral_programme", [
  "vocational_training",
  "psychosocial_support",
  "economic_empowerment",
  "health",
  "education",
  "legal_aid",
  "other",
]);
export const referralStatusEnum = pgEnum("referral_status", ["referred", "accepted", "completed", "declined"]);

export const referrals = pgTable(
  "referrals",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    householdId: uuid()
      .notNull()
      .references(() => households.id, { onDelete: "cascade" }),
    memberId: uuid().references(() => householdMembers.id, { onDelete: "set null" }),
    programme: referralProgrammeEnum().notNull(),
    /** The programme or partner organisation referred to (free text). */
    partner: text().notNull(),
    status: referralStatusEnum().notNull().default("referred"),
    notes: text(),
    createdBy: uuid()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("referrals_household_idx").on(t.householdId), index("referrals_org_status_idx").on(t.orgId, t.status)],
);

/** Per-organisation counters (household reference numbers), incremented under a row lock. */
export const orgCounters = pgTable(
  "org_counters",
  {
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    name: text().notNull(),
    value: integer().notNull().default(0),
  },
  (t) => [uniqueIndex("org_counters_key").on(t.orgId, t.name)],
);
