import {
  char,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  integer,
  boolean,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { ROLES } from "../../app/modules/organizations/roles";
import { sql } from "drizzle-orm";
import { users } from "./identity";

export const organizations = pgTable(
  "organizations",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull(),
    nameAr: text().notNull(),
    nameEn: text().notNull(),
    /** ISO 3166-1 alpha-2, e.g. LB, SY, EG. */
    country: char({ length: 2 }).notNull(),
    /** ISO 4217, e.g. USD, SYP, EGP. */
    defaultCurrency: char({ length: 3 }).notNull(),
    /** IANA time zone, e.g. Asia/Beirut. */
    timeZone: text().notNull(),
    /** For receipts: the registered legal name and registration number (fall back to the display name). */
    legalName: text(),
    registrationNumber: text(),
    /** Who registered it, for the public page, e.g. "Ministry of Interior, Lebanon". */
    registeredWithAr: text(),
    registeredWithEn: text(),
    /** The organisation's own words for donors, on its public page. */
    missionAr: text(),
    missionEn: text(),
    /** The year it started working (years active on its public page). */
    foundedYear: integer(),
    /** Publish a need as soon as it is verified (true), or as a separate step (false). */
    publishOnVerify: boolean().notNull().default(true),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("organizations_slug_key").on(t.slug),
    check("organizations_slug_format", sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    check("organizations_founded_year", sql`${t.foundedYear} is null or ${t.foundedYear} between 1900 and 2100`),
  ],
);

export const regionLevelEnum = pgEnum("region_level", ["governorate", "district", "locality"]);

/** The organisation's own list of places it serves: governorate → district → camp or neighbourhood. */
export const regions = pgTable(
  "regions",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    parentId: uuid().references((): AnyPgColumn => regions.id, { onDelete: "cascade" }),
    level: regionLevelEnum().notNull(),
    nameAr: text().notNull(),
    nameEn: text().notNull(),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [index("regions_org_idx").on(t.orgId, t.parentId)],
);

export const roleEnum = pgEnum("member_role", ROLES);

/** user × organisation × role: one row per role a person holds in an organisation. */
export const memberships = pgTable(
  "memberships",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("memberships_org_user_role_key").on(t.orgId, t.userId, t.role),
    index("memberships_user_idx").on(t.userId),
  ],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid().primaryKey().defaultRandom(),
    orgId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text().notNull(),
    role: roleEnum().notNull(),
    /** SHA-256 (hex) of the emailed token. */
    tokenHash: text().notNull(),
    invitedBy: uuid()
      .notNull()
      .references(() => users.id),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_key").on(t.tokenHash),
    index("invitations_org_idx").on(t.orgId, t.createdAt),
  ],
);
