import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { organizations } from "./organizations";

/**
 * Append-only record of every staff action. A trigger (migration 0001) rejects UPDATE and DELETE.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid().references(() => users.id),
    orgId: uuid().references(() => organizations.id),
    /** Dotted verb, e.g. `member.invite`, `member.role_change`. */
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    /** What changed: `{ before, after }` or a small description; never a secret. */
    change: jsonb().$type<Record<string, unknown>>(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [
    index("audit_log_org_at_idx").on(t.orgId, t.at),
    index("audit_log_actor_idx").on(t.actorUserId, t.at),
  ],
);
