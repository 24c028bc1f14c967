import { auditLog } from "#db/schema";
import type { DbOrTx } from "#db/client.server";

/** Who did it and from where: built once per request by the guards. */
export interface Actor {
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/**
 * "The system": what webhooks and jobs act as (decision 056). It has no user id, so audit rows
 * and need transitions record a null actor and every history shows it as the system, never as a
 * made-up person.
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({ userId: null, ip: null, userAgent: "system" });

export function isSystemActor(actor: Actor): boolean {
  return actor.userId === null;
}

export interface AuditEntry {
  orgId?: string | null;
  action: string;
  entityType: string;
  entityId?: string | null;
  change?: Record<string, unknown> | null;
}

/** Appends one audit row; call it inside the same transaction as the change it records. */
export async function recordAudit(db: DbOrTx, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: actor.userId,
    orgId: entry.orgId ?? null,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId ?? null,
    change: entry.change ?? null,
    ip: actor.ip,
    userAgent: actor.userAgent,
  });
}
