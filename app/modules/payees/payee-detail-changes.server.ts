import { and, eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server";
import { payeeDetailChanges, payees, type PayeeBankDetails } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { PayeeError } from "./errors";
import { UUID, lockPayee, requireRole, FINANCE, normalizedDetails, currentDetails, BANK_FIELDS, clean, detailsAudit, type PayeeDetailChange, type Payee } from "./payee-steps.server";

// ---------------------------------------------------------------- bank details, four-eyes

async function lockChange(tx: Tx, changeId: string): Promise<{ change: PayeeDetailChange; payee: Payee }> {
  if (!UUID.test(changeId)) throw new PayeeError("change_not_found");
  const [peek] = await tx.select({ payeeId: payeeDetailChanges.payeeId }).from(payeeDetailChanges).where(eq(payeeDetailChanges.id, changeId)).limit(1);
  if (!peek) throw new PayeeError("change_not_found");
  // Payee first, then the change: the one lock order.
  const payee = await lockPayee(tx, peek.payeeId);
  const [change] = await tx.select().from(payeeDetailChanges).where(eq(payeeDetailChanges.id, changeId)).for("update");
  if (!change) throw new PayeeError("change_not_found");
  return { change, payee };
}

/**
 * A finance person asks for new bank (or cash-collection) details; nothing is paid to them until
 * a second person approves. One open request per payee (also a unique index).
 */
export async function requestDetailChange(
  db: Db,
  actor: Actor,
  payeeId: string,
  input: { orgId: string; proposed: PayeeBankDetails; reason?: string | null },
): Promise<PayeeDetailChange> {
  return db.transaction(async (tx) => {
    await requireRole(tx, actor, input.orgId, FINANCE);
    const payee = await lockPayee(tx, payeeId);
    if (payee.orgId !== input.orgId) throw new PayeeError("payee_not_found");
    if (payee.status !== "active") throw new PayeeError("payee_inactive");
    const proposed = normalizedDetails(input.proposed);
    if (proposed.collection === "bank_transfer" && !proposed.accountNumber) throw new PayeeError("invalid_input", "accountNumber");
    const previous = currentDetails(payee);
    if (previous && BANK_FIELDS.every((f) => (previous[f] ?? null) === (proposed[f] ?? null))) throw new PayeeError("nothing_changed");
    const [open] = await tx
      .select({ id: payeeDetailChanges.id })
      .from(payeeDetailChanges)
      .where(and(eq(payeeDetailChanges.payeeId, payee.id), eq(payeeDetailChanges.status, "pending")))
      .limit(1);
    if (open) throw new PayeeError("change_pending");
    const [change] = await tx
      .insert(payeeDetailChanges)
      .values({ orgId: payee.orgId, payeeId: payee.id, proposed, previous, reason: clean(input.reason), requestedBy: actor.userId! })
      .returning();
    await recordAudit(tx, actor, {
      orgId: payee.orgId,
      action: "payee.details_requested",
      entityType: "payee",
      entityId: payee.id,
      change: { changeId: change.id, ...detailsAudit(previous, proposed) },
    });
    return change;
  });
}

/**
 * A second finance person approves or rejects a pending change. The requester may never decide
 * their own request (refused here; the CHECK refuses it too). Approving copies the details onto
 * the payee with the approval time.
 */
export async function decideDetailChange(
  db: Db,
  actor: Actor,
  changeId: string,
  input: { orgId: string; decision: "approve" | "reject"; reason?: string | null },
): Promise<{ change: PayeeDetailChange; payee: Payee }> {
  return db.transaction(async (tx) => {
    await requireRole(tx, actor, input.orgId, FINANCE);
    const { change, payee } = await lockChange(tx, changeId);
    if (change.orgId !== input.orgId) throw new PayeeError("change_not_found");
    if (change.status !== "pending") throw new PayeeError("change_not_pending");
    if (change.requestedBy === actor.userId) throw new PayeeError("four_eyes_same_person");
    if (input.decision !== "approve" && input.decision !== "reject") throw new PayeeError("invalid_input", "decision");
    const reason = clean(input.reason);
    const now = new Date();
    const [decided] = await tx
      .update(payeeDetailChanges)
      .set({ status: input.decision === "approve" ? "approved" : "rejected", decidedBy: actor.userId, decidedAt: now, decisionReason: reason })
      .where(eq(payeeDetailChanges.id, change.id))
      .returning();
    let updated = payee;
    const proposed = normalizedDetails(change.proposed);
    if (input.decision === "approve") {
      if (payee.status !== "active") throw new PayeeError("payee_inactive");
      [updated] = await tx
        .update(payees)
        .set({ ...proposed, detailsApprovedAt: now, updatedAt: now })
        .where(eq(payees.id, payee.id))
        .returning();
    }
    await recordAudit(tx, actor, {
      orgId: payee.orgId,
      action: input.decision === "approve" ? "payee.details_approved" : "payee.details_rejected",
      entityType: "payee",
      entityId: payee.id,
      change: { changeId: change.id, requestedBy: change.requestedBy, ...(reason ? { reason } : {}), ...detailsAudit(currentDetails(payee), proposed) },
    });
    return { change: decided, payee: updated };
  });
}

/** The requester takes back their own pending request (another person rejects it instead). */
export async function withdrawDetailChange(db: Db, actor: Actor, changeId: string, input: { orgId: string }): Promise<PayeeDetailChange> {
  return db.transaction(async (tx) => {
    await requireRole(tx, actor, input.orgId, FINANCE);
    const { change, payee } = await lockChange(tx, changeId);
    if (change.orgId !== input.orgId) throw new PayeeError("change_not_found");
    if (change.status !== "pending") throw new PayeeError("change_not_pending");
    if (change.requestedBy !== actor.userId) throw new PayeeError("not_requester");
    const [withdrawn] = await tx
      .update(payeeDetailChanges)
      .set({ status: "withdrawn", decidedBy: actor.userId, decidedAt: new Date() })
      .where(eq(payeeDetailChanges.id, change.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: payee.orgId,
      action: "payee.details_withdrawn",
      entityType: "payee",
      entityId: payee.id,
      change: { changeId: change.id },
    });
    return withdrawn;
  });
}
