import { and, asc, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { auditLog, users } from "#db/schema";

export const AUDIT_PAGE_SIZE = 25;

/** The actor filter's value for "the system" (webhooks and jobs: no user, actor_user_id null). */
export const SYSTEM_FILTER = "system";

export interface AuditFilters {
  /** Exact action, e.g. `member.invite`. */
  action?: string;
  /** The acting user's id, or `system` for what webhooks and jobs did (a null actor). */
  actor?: string;
  /** First day included, `YYYY-MM-DD`, a calendar day in `timeZone`. */
  from?: string;
  /** Last day included, `YYYY-MM-DD`, a calendar day in `timeZone`. */
  to?: string;
}

export interface AuditEntryView {
  id: number;
  at: Date;
  action: string;
  entityType: string;
  entityId: string | null;
  change: Record<string, unknown> | null;
  ip: string | null;
  /** null: the system did it (a webhook or a job, decision 056); shown as "the system", never as a person. */
  actor: { id: string; displayName: string; email: string } | null;
}

/** The conditions of a query: always this organisation first, then the filters. */
function conditions(orgId: string, filters: AuditFilters, timeZone: string): SQL[] {
  const where: SQL[] = [eq(auditLog.orgId, orgId)];
  if (filters.action) where.push(eq(auditLog.action, filters.action));
  if (filters.actor === SYSTEM_FILTER) where.push(isNull(auditLog.actorUserId));
  else if (filters.actor) where.push(eq(auditLog.actorUserId, filters.actor));
  // Days are the organisation's calendar days: midnight there, converted to an instant.
  if (filters.from) {
    where.push(sql`${auditLog.at} >= ((${filters.from}::date)::timestamp at time zone ${timeZone})`);
  }
  if (filters.to) {
    where.push(sql`${auditLog.at} < (((${filters.to}::date) + 1)::timestamp at time zone ${timeZone})`);
  }
  return where;
}

const entryColumns = {
  id: auditLog.id,
  at: auditLog.at,
  action: auditLog.action,
  entityType: auditLog.entityType,
  entityId: auditLog.entityId,
  change: auditLog.change,
  ip: auditLog.ip,
  actorId: users.id,
  actorName: users.displayName,
  actorEmail: users.email,
};

type EntryRow = {
  id: number;
  at: Date;
  action: string;
  entityType: string;
  entityId: string | null;
  change: Record<string, unknown> | null;
  ip: string | null;
  actorId: string | null;
  actorName: string | null;
  actorEmail: string | null;
};

function toView(row: EntryRow): AuditEntryView {
  return {
    id: row.id,
    at: row.at,
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    change: row.change,
    ip: row.ip,
    actor: row.actorId ? { id: row.actorId, displayName: row.actorName ?? "", email: row.actorEmail ?? "" } : null,
  };
}

/**
 * One page of an organisation's audit log, newest first. Scoped by `orgId` before anything else,
 * so no filter can reach another organisation's entries.
 */
export async function queryAuditLog(
  db: DbOrTx,
  input: { orgId: string; filters?: AuditFilters; timeZone: string; page?: number; pageSize?: number },
): Promise<{ entries: AuditEntryView[]; total: number; page: number; pages: number }> {
  const pageSize = input.pageSize ?? AUDIT_PAGE_SIZE;
  const where = and(...conditions(input.orgId, input.filters ?? {}, input.timeZone));
  const [{ total }] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(where);
  const pages = Math.max(1, Math.ceil(Number(total) / pageSize));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const rows = await db
    .select(entryColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { entries: rows.map(toView), total: Number(total), page, pages };
}

/** The newest entries of an organisation (the dashboard's short list). */
export async function recentAuditEntries(db: DbOrTx, orgId: string, limit = 5): Promise<AuditEntryView[]> {
  const rows = await db
    .select(entryColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(eq(auditLog.orgId, orgId))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(limit);
  return rows.map(toView);
}

/** The actions and the people that appear in this organisation's log (the filter's choices). */
export async function auditFilterOptions(db: DbOrTx, orgId: string) {
  const actions = await db
    .selectDistinct({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.orgId, orgId))
    .orderBy(asc(auditLog.action));
  const actors = await db
    .selectDistinct({ id: users.id, displayName: users.displayName, email: users.email })
    .from(auditLog)
    .innerJoin(users, eq(users.id, auditLog.actorUserId))
    .where(eq(auditLog.orgId, orgId))
    .orderBy(asc(users.displayName), asc(users.email), asc(users.id));
  const [system] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), isNull(auditLog.actorUserId)))
    .limit(1);
  return { actions: actions.map((a) => a.action), actors, system: Boolean(system) };
}
