
import {
  boolean,
  index,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  bigserial,
} from "drizzle-orm/pg-core";

export const localeEnum = pgEnum("locale", ["ar", "en"]);
/** How numbers are written for a person: Latin digits (the default, also with Arabic text) or Arabic-Indic. */
export const NUMERAL_SYSTEMS = ["latn", "arab"] as const;
export const numeralsEnum = pgEnum("numerals", NUMERAL_SYSTEMS);

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Always stored lower-cased and trimmed. */
    email: text().notNull(),
    emailVerifiedAt: timestamp({ withTimezone: true }),
    passwordHash: text().notNull(),
    displayName: text().notNull(),
    locale: localeEnum().notNull().default("ar"),
    numerals: numeralsEnum().notNull().default("latn"),
    isPlatformAdmin: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

/** Lucia-style sessions: the id is the SHA-256 (hex) of the cookie token; the token itself is never stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Organisation the person last worked in (for people in several organisations). */
    activeOrgId: uuid(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

export const tokenPurposeEnum = pgEnum("token_purpose", ["verify_email", "reset_password"]);

/** Single-use emailed tokens; only their SHA-256 is stored. */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: tokenPurposeEnum().notNull(),
    email: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("user_tokens_user_purpose_idx").on(t.userId, t.purpose)],
);

/** Every sign-in attempt, for throttling per IP and per account. */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    email: text().notNull(),
    ip: text().notNull(),
    succeeded: boolean().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("login_attempts_email_idx").on(t.email, t.createdAt),
    index("login_attempts_ip_idx").on(t.ip, t.createdAt),
  ],
);


/**
 * One row per counted action (a pledge created, a sign-up tried), for sliding-window rate limits
 * (app/modules/rate-limits). `bucket` names the limit ("pledge_ip", "signup_email", …), `key` is the
 * normalized IP or email. Pruned by the daily housekeeping job (nothing looks back over a day).
 */
export const rateLimitHits = pgTable(
  "rate_limit_hits",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    bucket: text().notNull(),
    key: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("rate_limit_hits_bucket_key_idx").on(t.bucket, t.key, t.createdAt)],
);
