import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { disbursementBatches, disbursements, moneyAccounts } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { yearIn } from "~/modules/receipts/numbering";
import { DisbursementError } from "./errors";
import { payableFor } from "./payee-check.server";
import { ASSET_KIND_OF, DISBURSEMENT_METHODS, OPEN_STATUSES, decisionRefusal, type ClaimItem, type DisbursementMethod } from "./rules";
import { checkKey, UUID, requireFinance, orgOf, lockNeeds, refuseClaims, balancesOf, nextNumber, batchForFinance, type Batch } from "./disbursement-steps.server";

// ---------------------------------------------------------------- request

export type RequestDisbursementInput = {
  orgId: string;
  payeeId: string;
  method: DisbursementMethod;
  moneyAccountId: string;
  items: ClaimItem[];
  note?: string | null;
  idempotencyKey: string;
  now?: Date;
};

/**
 * Asks to pay one payee from one or more needs' funds. Refused (nothing written): not finance of
 * the organisation, a payee that cannot be paid by this method, a money account of another kind,
 * organisation or currency than the needs', a need of another organisation or payee, an amount
 * over what its fund still has for a new claim. The same idempotency key again returns the first batch.
 */
export async function requestDisbursement(db: Db, actor: Actor, input: RequestDisbursementInput): Promise<Batch> {
  const now = input.now ?? new Date();
  const key = checkKey(input.idempotencyKey);
  if (!DISBURSEMENT_METHODS.includes(input.method)) throw new DisbursementError("method_invalid");
  if (!UUID.test(input.payeeId)) throw new DisbursementError("payee_not_found");
  if (!UUID.test(input.moneyAccountId)) throw new DisbursementError("money_account_invalid");
  if (!Array.isArray(input.items) || input.items.length === 0 || input.items.length > 200) throw new DisbursementError("items_invalid");
  const note = input.note?.trim() ? input.note.trim().slice(0, 2000) : null;

  return db.transaction(async (tx) => {
    const userId = await requireFinance(tx, actor, input.orgId);
    const org = await orgOf(tx, input.orgId);
    const [same] = await tx.select().from(disbursementBatches).where(eq(disbursementBatches.idempotencyKey, key)).limit(1);
    if (same) {
      if (same.orgId !== org.id) throw new DisbursementError("idempotency_conflict");
      return same;
    }
    const payee = await payableFor(tx, org.id, input.payeeId, input.method);
    const [account] = await tx
      .select()
      .from(moneyAccounts)
      .where(and(eq(moneyAccounts.id, input.moneyAccountId), eq(moneyAccounts.orgId, org.id)))
      .limit(1);
    if (!account || !account.active || account.kind !== ASSET_KIND_OF[input.method]) throw new DisbursementError("money_account_invalid");
    const currency = account.currency;

    const locked = await lockNeeds(tx, org.id, input.items.map((i) => i.needId));
    for (const need of locked.values()) {
      if (need.currency !== currency) throw new DisbursementError("currency_mismatch", { needId: need.id, currency: need.currency });
      if (need.payeeId !== payee.id) throw new DisbursementError("items_invalid", { needId: need.id });
    }
    const items = input.items.map((i) => ({ needId: i.needId, amountMinor: i.amountMinor }));
    const totalMinor = refuseClaims(items, await balancesOf(tx, [...locked.keys()]));

    const number = await nextNumber(tx, org.id, yearIn(now, org.timeZone));
    const [batch] = await tx
      .insert(disbursementBatches)
      .values({
        orgId: org.id,
        number,
        payeeId: payee.id,
        currency,
        totalMinor,
        method: input.method,
        moneyAccountId: account.id,
        status: "requested",
        note,
        requestedBy: userId,
        requestedAt: now,
        idempotencyKey: key,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(disbursements).values(items.map((i) => ({ orgId: org.id, batchId: batch.id, needId: i.needId, amountMinor: i.amountMinor, currency, createdAt: now })));
    await recordAudit(tx, actor, {
      orgId: org.id,
      action: "disbursement.request",
      entityType: "disbursement_batch",
      entityId: batch.id,
      change: { number, payeeId: payee.id, payeeKind: payee.kind, method: input.method, moneyAccountId: account.id, totalMinor, currency, items },
    });
    return batch;
  });
}

// ---------------------------------------------------------------- decide

/** A second finance officer (never the requester: here and a CHECK) approves a requested batch. Repeating it changes nothing. */
export async function approveDisbursement(db: Db, actor: Actor, batchId: string, options: { orgId?: string; now?: Date } = {}): Promise<Batch> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const batch = await batchForFinance(tx, actor, batchId, options.orgId);
    if (batch.status === "approved" && batch.decidedBy === actor.userId) return batch;
    const refusal = decisionRefusal(batch, actor.userId);
    if (refusal) throw new DisbursementError(refusal, { state: batch.status });
    const [updated] = await tx
      .update(disbursementBatches)
      .set({ status: "approved", decidedBy: actor.userId, decidedAt: now, updatedAt: now })
      .where(eq(disbursementBatches.id, batch.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: batch.orgId,
      action: "disbursement.approve",
      entityType: "disbursement_batch",
      entityId: batch.id,
      change: { number: batch.number, from: batch.status, to: "approved", totalMinor: batch.totalMinor, currency: batch.currency },
    });
    return updated;
  });
}

/** A second finance officer rejects a requested batch, with a reason; its claims on the funds end. */
export async function rejectDisbursement(db: Db, actor: Actor, batchId: string, input: { reason: string; orgId?: string; now?: Date }): Promise<Batch> {
  const now = input.now ?? new Date();
  const reason = typeof input.reason === "string" ? input.reason.trim().slice(0, 2000) : "";
  if (!reason) throw new DisbursementError("reason_required");
  return db.transaction(async (tx) => {
    const batch = await batchForFinance(tx, actor, batchId, input.orgId);
    if (batch.status === "rejected" && batch.decidedBy === actor.userId) return batch;
    const refusal = decisionRefusal(batch, actor.userId);
    if (refusal) throw new DisbursementError(refusal, { state: batch.status });
    const [updated] = await tx
      .update(disbursementBatches)
      .set({ status: "rejected", decidedBy: actor.userId, decidedAt: now, rejectionReason: reason, updatedAt: now })
      .where(eq(disbursementBatches.id, batch.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: batch.orgId,
      action: "disbursement.reject",
      entityType: "disbursement_batch",
      entityId: batch.id,
      change: { number: batch.number, from: batch.status, to: "rejected", reason },
    });
    return updated;
  });
}

/** Finance withdraws a batch not yet paid (requested or approved); its claims on the funds end. Repeating it changes nothing. */
export async function cancelDisbursement(db: Db, actor: Actor, batchId: string, input: { reason?: string | null; orgId?: string; now?: Date } = {}): Promise<Batch> {
  const now = input.now ?? new Date();
  const reason = input.reason?.trim() ? input.reason.trim().slice(0, 2000) : null;
  return db.transaction(async (tx) => {
    const batch = await batchForFinance(tx, actor, batchId, input.orgId);
    if (batch.status === "cancelled") return batch;
    if (!OPEN_STATUSES.includes(batch.status)) throw new DisbursementError("invalid_state", { state: batch.status });
    const [updated] = await tx
      .update(disbursementBatches)
      .set({ status: "cancelled", updatedAt: now, ...(reason ? { rejectionReason: reason } : {}) })
      .where(eq(disbursementBatches.id, batch.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: batch.orgId,
      action: "disbursement.cancel",
      entityType: "disbursement_batch",
      entityId: batch.id,
      change: { number: batch.number, from: batch.status, to: "cancelled", ...(reason ? { reason } : {}) },
    });
    return updated;
  });
}
