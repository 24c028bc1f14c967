import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "#db/client.server";
import { disbursementBatches, households, needs, payeeDetailChanges, payees, users } from "#db/schema";
import { normalizeText } from "~/modules/anonymization/normalize";
import { PayeeError } from "./errors";
import { PAYEES_PAGE_SIZE, PAYEE_KINDS, PAYEE_STATUSES, maskAccountNumber, type PayeeKind, type PayeeStatus } from "./schemas";
import { UUID, type Payee } from "./payee-steps.server";

// ---------------------------------------------------------------- paying

/**
 * The payee may be paid by `method` (disbursements call this inside their transaction): of the
 * organisation, active, and for a bank transfer with approved bank-transfer details.
 */
export async function payablePayee(tx: DbOrTx, orgId: string, payeeId: string, method: string): Promise<Payee> {
  if (!UUID.test(payeeId) || !UUID.test(orgId)) throw new PayeeError("payee_not_found");
  const [payee] = await tx.select().from(payees).where(and(eq(payees.id, payeeId), eq(payees.orgId, orgId))).limit(1);
  if (!payee) throw new PayeeError("payee_not_found");
  if (payee.status !== "active") throw new PayeeError("payee_inactive");
  if (method === "bank_transfer") {
    const approved = payee.detailsApprovedAt !== null && payee.collection === "bank_transfer" && Boolean(payee.accountNumber?.trim());
    if (!approved) throw new PayeeError("details_not_approved");
  }
  return payee;
}

// ---------------------------------------------------------------- reading

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Conditions of a staff search on the payee's normalized name and contact (every word), or phone digits. */
export function payeeSearchConditions(q: string | null | undefined): SQL[] {
  if (!q) return [];
  const normalized = normalizeText(q).trim();
  if (!normalized) return [];
  const compact = normalized.replace(/[\s\-().+]/g, "");
  if (/^\d{3,}$/.test(compact)) return [sql`${payees.searchText} like ${`%${compact}%`}`];
  const terms = normalized.match(/[\p{L}\p{N}@.'-]+/gu) ?? [];
  // Only punctuation (a lone %): matches nothing, never everything.
  if (terms.length === 0) return [sql`false`];
  return terms.slice(0, 8).map((term) => sql`${payees.searchText} ilike ${`%${escapeLike(term)}%`} escape '\\'`);
}

export interface PayeeListRow {
  id: string;
  kind: PayeeKind;
  name: string;
  status: PayeeStatus;
  contactName: string | null;
  phone: string | null;
  householdId: string | null;
  collection: "bank_transfer" | "cash" | null;
  accountMasked: string | null;
  detailsApprovedAt: Date | null;
  pendingChange: boolean;
  needCount: number;
}

/** One page of the organisation's payees (name order), searched and filtered, with the total. */
export async function listPayees(
  db: DbOrTx,
  orgId: string,
  filters: { q?: string | null; kind?: string | null; status?: string | null; page?: number; pageSize?: number } = {},
): Promise<{ rows: PayeeListRow[]; total: number; page: number; pages: number }> {
  const pageSize = filters.pageSize ?? PAYEES_PAGE_SIZE;
  const kind = PAYEE_KINDS.find((k) => k === filters.kind);
  const status = PAYEE_STATUSES.find((s) => s === filters.status);
  const where = and(
    eq(payees.orgId, orgId),
    kind ? eq(payees.kind, kind) : undefined,
    status ? eq(payees.status, status) : undefined,
    ...payeeSearchConditions(filters.q),
  );
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(payees).where(where);
  const total = Number(n);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, filters.page ?? 1), pages);
  const rows = await db
    .select({
      id: payees.id,
      kind: payees.kind,
      name: payees.name,
      status: payees.status,
      contactName: payees.contactName,
      phone: payees.phone,
      householdId: payees.householdId,
      collection: payees.collection,
      accountNumber: payees.accountNumber,
      detailsApprovedAt: payees.detailsApprovedAt,
      pendingChange: sql<boolean>`exists (select 1 from ${payeeDetailChanges} c where c.payee_id = ${payees.id} and c.status = 'pending')`,
      needCount: sql<number>`(select count(*)::int from ${needs} n where n.payee_id = ${payees.id})`,
    })
    .from(payees)
    .where(where)
    .orderBy(asc(payees.name), asc(payees.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    rows: rows.map(({ accountNumber, ...r }) => ({ ...r, accountMasked: maskAccountNumber(accountNumber), pendingChange: Boolean(r.pendingChange), needCount: Number(r.needCount) })),
    total,
    page,
    pages,
  };
}

/** How many payees wait for a second person's decision on their details (the finance home's count). */
export async function pendingDetailChangeCount(db: DbOrTx, orgId: string): Promise<number> {
  const [{ n }] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(payeeDetailChanges)
    .where(and(eq(payeeDetailChanges.orgId, orgId), eq(payeeDetailChanges.status, "pending")));
  return Number(n);
}

/**
 * One payee of the organisation with its detail changes (newest first, with who asked and who
 * decided), the needs paid to it and its disbursement batches; PayeeError("payee_not_found")
 * outside the organisation.
 */
export async function getPayee(db: DbOrTx, orgId: string, payeeId: string) {
  if (!UUID.test(payeeId) || !UUID.test(orgId)) throw new PayeeError("payee_not_found");
  const [payee] = await db.select().from(payees).where(and(eq(payees.id, payeeId), eq(payees.orgId, orgId))).limit(1);
  if (!payee) throw new PayeeError("payee_not_found");
  const requester = alias(users, "requester");
  const decider = alias(users, "decider");
  const changes = await db
    .select({
      id: payeeDetailChanges.id,
      status: payeeDetailChanges.status,
      proposed: payeeDetailChanges.proposed,
      previous: payeeDetailChanges.previous,
      reason: payeeDetailChanges.reason,
      requestedBy: payeeDetailChanges.requestedBy,
      requestedByName: requester.displayName,
      requestedAt: payeeDetailChanges.requestedAt,
      decidedBy: payeeDetailChanges.decidedBy,
      decidedByName: decider.displayName,
      decidedAt: payeeDetailChanges.decidedAt,
      decisionReason: payeeDetailChanges.decisionReason,
    })
    .from(payeeDetailChanges)
    .innerJoin(requester, eq(requester.id, payeeDetailChanges.requestedBy))
    .leftJoin(decider, eq(decider.id, payeeDetailChanges.decidedBy))
    .where(and(eq(payeeDetailChanges.payeeId, payee.id), eq(payeeDetailChanges.orgId, orgId)))
    .orderBy(desc(payeeDetailChanges.requestedAt), desc(payeeDetailChanges.id));
  const linkedNeeds = await db
    .select({
      id: needs.id,
      publicId: needs.publicId,
      category: needs.category,
      state: needs.state,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      targetMinor: needs.targetMinor,
      paidMinor: needs.paidMinor,
      disbursedMinor: needs.disbursedMinor,
      currency: needs.currency,
    })
    .from(needs)
    .where(and(eq(needs.orgId, orgId), eq(needs.payeeId, payee.id)))
    .orderBy(desc(needs.createdAt))
    .limit(200);
  const batches = await db
    .select({
      id: disbursementBatches.id,
      number: disbursementBatches.number,
      status: disbursementBatches.status,
      totalMinor: disbursementBatches.totalMinor,
      currency: disbursementBatches.currency,
      method: disbursementBatches.method,
      requestedAt: disbursementBatches.requestedAt,
    })
    .from(disbursementBatches)
    .where(and(eq(disbursementBatches.orgId, orgId), eq(disbursementBatches.payeeId, payee.id)))
    .orderBy(desc(disbursementBatches.requestedAt))
    .limit(100);
  let household: { id: string; reference: string } | null = null;
  if (payee.householdId) {
    const [h] = await db.select({ id: households.id, reference: households.reference }).from(households).where(eq(households.id, payee.householdId)).limit(1);
    household = h ?? null;
  }
  return {
    payee,
    household,
    pending: changes.find((c) => c.status === "pending") ?? null,
    changes,
    needs: linkedNeeds.map((n) => ({ ...n, targetMinor: Number(n.targetMinor), paidMinor: Number(n.paidMinor), disbursedMinor: Number(n.disbursedMinor) })),
    batches: batches.map((b) => ({ ...b, totalMinor: Number(b.totalMinor) })),
  };
}

/**
 * The payees the need editor offers: the organisation's active payees not tied to a household,
 * plus this household's own payee(s); name order.
 */
export async function payeeOptionsForNeed(db: DbOrTx, orgId: string, householdId: string | null) {
  const rows = await db
    .select({ id: payees.id, kind: payees.kind, name: payees.name, householdId: payees.householdId })
    .from(payees)
    .where(
      and(
        eq(payees.orgId, orgId),
        eq(payees.status, "active"),
        householdId && UUID.test(householdId)
          ? sql`(${payees.householdId} is null or ${payees.householdId} = ${householdId})`
          : sql`${payees.householdId} is null`,
      ),
    )
    .orderBy(asc(payees.kind), asc(payees.name))
    .limit(1000);
  return rows.map((r) => ({ id: r.id, kind: r.kind, name: r.name, own: r.householdId !== null }));
}
