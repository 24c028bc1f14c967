import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { memberships, needs, pledges } from "#db/schema";
import { isSystemActor, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { releaseReservation, type Pledge } from "~/modules/pledging/pledges.server";
import { PaymentError } from "./errors";

/**
 * Money in (decision 056): payments as their own records, each landing exactly once in the
 * double-entry ledger (app/modules/ledger). Every operation is one transaction; the lock order is
 * always need → pledge → payment, so operations never deadlock each other.
 */

type Need = typeof needs.$inferSelect;
type Role = (typeof memberships.$inferSelect)["role"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Pledge statuses that hold capacity (reserved_minor). */
const LIVE: Pledge["status"][] = ["pending", "awaiting_payment", "offered"];
const FINANCE: readonly Role[] = ["finance", "org_admin"];

// ---------------------------------------------------------------- helpers

/** A person must be finance or org admin of the organisation; the system only where `systemAllowed`. */
async function requireFinance(tx: Tx, actor: Actor, orgId: string, systemAllowed = false): Promise<void> {
  if (isSystemActor(actor)) {
    if (systemAllowed) return;
    throw new PaymentError("not_allowed");
  }
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId!)));
  if (!rows.some((r) => FINANCE.includes(r.role))) throw new PaymentError("not_allowed");
}

async function lockNeed(tx: Tx, needId: string): Promise<Need> {
  const [need] = await tx.select().from(needs).where(eq(needs.id, needId)).for("update");
  if (!need) throw new PaymentError("need_not_found");
  return need;
}

/** Need, then pledge (the one lock order); the pledge is read again under its lock. */
async function lockPledgeById(tx: Tx, pledgeId: string): Promise<{ pledge: Pledge; need: Need }> {
  if (!UUID.test(pledgeId)) throw new PaymentError("pledge_not_found");
  const [peek] = await tx.select({ needId: pledges.needId }).from(pledges).where(eq(pledges.id, pledgeId)).limit(1);
  if (!peek) throw new PaymentError("pledge_not_found");
  const need = await lockNeed(tx, peek.needId);
  const [pledge] = await tx.select().from(pledges).where(eq(pledges.id, pledgeId)).for("update");
  if (!pledge) throw new PaymentError("pledge_not_found");
  return { pledge, need };
}

// ---------------------------------------------------------------- release

/**
 * Releases every live pledge (pending, awaiting payment, offered) of a need being cancelled or
 * expiring, inside the caller's transaction (the caller holds the need's row lock). A part-paid
 * pledge ends `part_paid` (its money stays in the need's fund for finance to move or refund);
 * the others end `cancelled` / `expired`. Audited per pledge (actor: the person, or the system).
 * Returns the released pledges as they are now.
 */
export async function releaseNeedPledges(tx: Tx, actor: Actor, needId: string, status: "cancelled" | "expired", now: Date): Promise<Pledge[]> {
  const live = await tx
    .select()
    .from(pledges)
    .where(and(eq(pledges.needId, needId), inArray(pledges.status, LIVE)))
    .orderBy(asc(pledges.createdAt), asc(pledges.id))
    .for("update");
  const released: Pledge[] = [];
  for (const pledge of live) {
    // An in-kind offer nobody will receive any more is declined rather than expired or cancelled.
    const updated = await releaseReservation(tx, pledge, { id: needId }, now, pledge.status === "offered" ? "declined" : status);
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: "pledge.release",
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, from: pledge.status, to: updated.status, reason: `need_${status}`, paidMinor: pledge.paidMinor },
    });
    released.push(updated);
  }
  return released;
}

export type ReleaseReason = "expired" | "released_by_finance" | "checkout_expired" | "checkout_failed";

/**
 * Ends one live pledge and gives back what it still holds: finance releases the rest of a part
 * payment, or the system (a Checkout Session that expired or failed, the expiry job). A part-paid
 * pledge ends `part_paid`; otherwise `cancelled` (finance) or `expired`. Idempotent: a pledge no
 * longer live is returned unchanged.
 */
export async function releasePledge(db: Db, actor: Actor, pledgeId: string, input: { reason: ReleaseReason; now?: Date }): Promise<Pledge> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { pledge, need } = await lockPledgeById(tx, pledgeId);
    await requireFinance(tx, actor, pledge.orgId, input.reason !== "released_by_finance");
    if (!LIVE.includes(pledge.status)) return pledge;
    if (pledge.status === "offered") throw new PaymentError("invalid_state", { state: pledge.status });
    const updated = await releaseReservation(tx, pledge, need, now, input.reason === "released_by_finance" ? "cancelled" : "expired");
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: "pledge.release",
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, from: pledge.status, to: updated.status, reason: input.reason, paidMinor: pledge.paidMinor },
    });
    return updated;
  });
}
