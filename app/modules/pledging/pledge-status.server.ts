/** A pledge's later states: cancelled, expired, marked paid, an offer received or declined. */
import { and, asc, eq, inArray, lte } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { organizations, pledges } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { PledgeError } from "./errors";
import type { OfflineMethod } from "./methods";
import { normalizeReference } from "./reference";
import { todayIn } from "~/modules/needs/money";
import { recordPayment } from "~/modules/payments/payments.server";
import { PaymentError } from "~/modules/payments/errors";
import { lockPledge, normalizeEmail, releaseReservation, UUID, requireStaff, OFFLINE_METHODS, countAsReceived, type Pledge } from "./pledge-steps.server";

// ---------------------------------------------------------------- cancel and expire

/**
 * The donor cancels a pending or awaiting-payment pledge, releasing its reservation. The owner
 * proves it by being signed in as the pledge's donor, or (a guest) by its email address.
 * Anyone else is told the pledge does not exist.
 */
export async function cancelPledge(
  db: Db,
  input: { reference: string; userId?: string | null; email?: string | null; actor: Actor; now?: Date },
): Promise<Pledge> {
  const reference = normalizeReference(input.reference);
  if (!reference) throw new PledgeError("pledge_not_found");
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { pledge, need } = await lockPledge(tx, eq(pledges.reference, reference));
    const byUser = input.userId && pledge.donorUserId === input.userId;
    const byEmail = input.email && normalizeEmail(input.email) === pledge.email;
    if (!byUser && !byEmail) throw new PledgeError("pledge_not_found");
    if (pledge.status !== "pending" && pledge.status !== "awaiting_payment") throw new PledgeError("not_cancellable");
    const updated = await releaseReservation(tx, pledge, need, now, "cancelled");
    return updated;
  });
}

/**
 * Expires unpaid pledges whose time is up, releasing their reservations: one short transaction per
 * pledge (need lock, then pledge lock, then the status checked again). Idempotent: a second run
 * finds nothing to do. Returns the references expired.
 */
export async function expirePledges(db: Db, now: Date = new Date(), limit = 500): Promise<string[]> {
  const due = await db
    .select({ id: pledges.id })
    .from(pledges)
    .where(and(inArray(pledges.status, ["pending", "awaiting_payment"]), lte(pledges.expiresAt, now)))
    .orderBy(asc(pledges.expiresAt))
    .limit(limit);
  const expired: string[] = [];
  for (const { id } of due) {
    const ref = await db.transaction(async (tx) => {
      const { pledge, need } = await lockPledge(tx, eq(pledges.id, id));
      if (pledge.status !== "pending" && pledge.status !== "awaiting_payment") return null;
      if (!pledge.expiresAt || pledge.expiresAt.getTime() > now.getTime()) return null;
      await releaseReservation(tx, pledge, need, now, "expired");
      return pledge.reference;
    });
    if (ref) expired.push(ref);
  }
  return expired;
}

// ---------------------------------------------------------------- paid, received, declined

export type MarkPaidResult =
  | { outcome: "paid"; pledge: Pledge; funded: boolean }
  | { outcome: "already_paid"; pledge: Pledge }
  /** Money for a cancelled or expired pledge: recorded on it and flagged; the need is untouched. */
  | { outcome: "needs_resolution"; pledge: Pledge };

/**
 * The old one-click "payment received", kept as a thin wrapper over recordPayment (payments
 * module) until the finance UI's payments inbox replaces its button: records the pledge's
 * outstanding amount, value date today (organisation's time zone), by the pledge's offline method.
 * - pending / awaiting_payment → paid (ledger entry, receipt); at the target the need is `funded`.
 * - paid → nothing changes (safe to retry).
 * - cancelled / expired → the money goes to suspense, flagged (pledge finance_flag too); the
 *   need's totals do not move and finance resolves it in the payments inbox. The caller answers 409.
 * The actor must be finance or org_admin of the pledge's organisation.
 */
export async function markPledgePaid(db: Db, actor: Actor, pledgeId: string, now: Date = new Date()): Promise<MarkPaidResult> {
  if (!UUID.test(pledgeId)) throw new PledgeError("pledge_not_found");
  const [pledge] = await db.select().from(pledges).where(eq(pledges.id, pledgeId)).limit(1);
  if (!pledge) throw new PledgeError("pledge_not_found");
  await db.transaction((tx) => requireStaff(tx, actor, pledge.orgId, ["finance", "org_admin"]));
  if (pledge.status === "paid") return { outcome: "already_paid", pledge };
  if ((pledge.status === "cancelled" || pledge.status === "expired") && pledge.financeFlag) return { outcome: "needs_resolution", pledge };
  if (pledge.method === "delivery") throw new PledgeError("invalid_state");
  const [org] = await db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, pledge.orgId));
  const released = pledge.status === "cancelled" || pledge.status === "expired";
  const amountMinor = released ? pledge.amountMinor : pledge.amountMinor - pledge.paidMinor;
  if (amountMinor <= 0) throw new PledgeError("invalid_state");
  try {
    const result = await recordPayment(db, actor, {
      orgId: pledge.orgId,
      pledgeId: pledge.id,
      method: (OFFLINE_METHODS as readonly string[]).includes(pledge.method) ? (pledge.method as OfflineMethod) : "bank_transfer",
      amountMinor,
      currency: pledge.currency,
      valueDate: todayIn(org.timeZone, now),
      idempotencyKey: `mark-paid:${pledge.id}:${pledge.paidMinor}:${pledge.status}`,
      now,
    });
    const [current] = await db.select().from(pledges).where(eq(pledges.id, pledge.id));
    if (result.outcome === "recorded") return { outcome: "paid", pledge: current, funded: result.funded };
    if (result.outcome === "suspense") return { outcome: "needs_resolution", pledge: current };
    return { outcome: current.status === "paid" ? "already_paid" : "needs_resolution", pledge: current };
  } catch (error) {
    if (error instanceof PaymentError) {
      const map: Partial<Record<string, PledgeError["code"]>> = { not_allowed: "not_allowed", pledge_not_found: "pledge_not_found", currency_mismatch: "currency_mismatch" };
      throw new PledgeError(map[error.code] ?? "invalid_state");
    }
    throw error;
  }
}

/** Staff confirm an offered in-kind delivery (counts in progress, may fund the need) or decline it (released). */
export async function decideOffer(db: Db, actor: Actor, pledgeId: string, decision: "received" | "declined", now: Date = new Date()) {
  if (!UUID.test(pledgeId)) throw new PledgeError("pledge_not_found");
  return db.transaction(async (tx) => {
    const { pledge, need } = await lockPledge(tx, eq(pledges.id, pledgeId));
    await requireStaff(tx, actor, pledge.orgId, ["caseworker", "finance", "org_admin"]);
    if (pledge.status !== "offered") throw new PledgeError("invalid_state");
    let result: { pledge: Pledge; funded: boolean };
    if (!need) throw new PledgeError("invalid_state");
    if (decision === "received") result = await countAsReceived(tx, actor, pledge, need, now);
    else result = { pledge: await releaseReservation(tx, pledge, need, now, "declined"), funded: false };
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: `pledge.${decision}`,
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, amountMinor: pledge.amountMinor, currency: pledge.currency },
    });
    return result;
  });
}
