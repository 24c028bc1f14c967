import { index, integer, pgEnum, pgTable, text, timestamp, uuid, jsonb } from "drizzle-orm/pg-core";
import { localeEnum } from "./identity";

export const outboxStatusEnum = pgEnum("outbox_status", ["pending", "sent", "kept", "failed"]);

/**
 * Emails written in the same transaction as the action that causes them; a pg-boss job sends them
 * (Resend) or, without an API key, marks them `kept` for the dev mailbox.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid().primaryKey().defaultRandom(),
    toAddress: text().notNull(),
    template: text().notNull(),
    locale: localeEnum().notNull(),
    subject: text().notNull(),
    html: text().notNull(),
    text: text().notNull(),
    /** Non-secret data the template was rendered with (for debugging); links are in the body only. */
    meta: jsonb().$type<Record<string, unknown>>(),
    status: outboxStatusEnum().notNull().default("pending"),
    /** Send attempts made (a claim counts as one; it also fences a late answer from a stale claim). */
    attempts: integer().notNull().default(0),
    /**
     * When the row is next due: now at insert, a short lease while an attempt is in flight, then the
     * backoff after a failure.
     */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastError: text(),
    providerMessageId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("email_outbox_status_idx").on(t.status, t.createdAt),
    index("email_outbox_to_idx").on(t.toAddress, t.createdAt),
    index("email_outbox_due_idx").on(t.status, t.nextAttemptAt),
  ],
);
