import { and, asc, eq, inArray } from "drizzle-orm";
import { type Db, type Tx } from "#db/client.server";
import { pledges } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { releaseReservation, type Pledge } from "~/modules/pledging/pledges.server";
import { PaymentError } from "./errors";
import { LIVE, requireFinance, lockPledgeById } from "./payment-steps.server";

/** Releasing pledges: one pledge (finance), or every live pledge of a cancelled or expired need. */
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
