import { sql } from "drizzle-orm";
import { check, index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { organizations } from "./organizations";
import { households } from "./registry";

/**
 * Who is paid (issue 10, decision 057): a school, a hospital, a pharmacy, a vendor, a landlord, or
 * the household itself. Private to the organisation: the public never sees a payee's name.
 *
 * Bank (or cash-collection) details are never written directly: every change, the first one
 * included, is a `payee_detail_changes` row that a second finance person approves (four-eyes,
 * also a CHECK). Only approved details are on the payee row and only they can be paid to.
 */
export const payeeKindEnum = pgEnum("payee_kind", ["school", "hospital", "pharmacy", "vendor", "household", "landlord"]);
export const payeeStatusEnum = pgEnum("payee_status", ["active", "inactive"]);
/** How the payee receives money: a bank transfer to approved details, or cash collected at the office. */
export const payeeCollectionEnum = pgEnum("payee_collection", ["bank_transfer", "cash"]);

export type PayeeBankDetails = {
  collection: "bank_transfer" | "cash";
  bankName?: string | null;
  accountHolder?: string | null;
  /** IBAN or local account number. */
  accountNumber?: string | null;
  /** Cash: who may collect, and how they prove it (e.g. "the school's bursar, with the school stamp"). */
  cashCollectionNote?: string | null;
};

export const payees = pgTable(
  "payees",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    kind: payeeKindEnum().notNull(),
    name: text().notNull(),
    /** For kind = household: the household paid directly. */
    householdId: uuid().references(() => households.id),
    contactName: text(),
    phone: text(),
    email: text(),
    address: text(),
    notes: text(),
    status: payeeStatusEnum().notNull().default("active"),
    /** Approved details (null until a second person approved the first request). */
    collection: payeeCollectionEnum(),
    bankName: text(),
    accountHolder: text(),
    accountNumber: text(),
    cashCollectionNote: text(),
    detailsApprovedAt: timestamp({ withTimezone: true }),
    /** Arabic-normalized name and contact, for staff search. */
    searchText: text().notNull().default(""),
    createdBy: uuid().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("payees_org_idx").on(t.orgId, t.status, t.kind),
    index("payees_household_idx").on(t.householdId).where(sql`${t.householdId} is not null`),
    check("payees_household_kind", sql`${t.householdId} is null or ${t.kind} = 'household'`),
  ],
);

export const payeeChangeStatusEnum = pgEnum("payee_change_status", ["pending", "approved", "rejected", "withdrawn"]);

/** A requested change of a payee's bank / cash-collection details, waiting for a second finance person. */
export const payeeDetailChanges = pgTable(
  "payee_detail_changes",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id),
    payeeId: uuid()
      .notNull()
      .references(() => payees.id),
    proposed: jsonb().$type<PayeeBankDetails>().notNull(),
    /** The details in force when it was requested (null for the first). */
    previous: jsonb().$type<PayeeBankDetails | null>(),
    reason: text(),
    status: payeeChangeStatusEnum().notNull().default("pending"),
    requestedBy: uuid()
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    decisionReason: text(),
  },
  (t) => [
    // One open request per payee at a time.
    uniqueIndex("payee_detail_changes_pending_key").on(t.payeeId).where(sql`${t.status} = 'pending'`),
    index("payee_detail_changes_org_idx").on(t.orgId, t.status),
    // Four-eyes, in the database: the approver is never the requester.
    check("payee_detail_changes_four_eyes", sql`${t.decidedBy} is null or ${t.status} = 'withdrawn' or ${t.decidedBy} <> ${t.requestedBy}`),
  ],
);
