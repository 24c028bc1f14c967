import { publicTitleIn as publicTitle } from "~/modules/needs/titles";
import type { Role } from "~/modules/organizations/roles";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "#db/client.server";
import { disbursementBatches, disbursements, memberships, needs, orgCounters, organizations } from "#db/schema";
import { isSystemActor, type Actor } from "~/modules/audit/audit.server";
import { needFundBalance } from "~/modules/ledger/ledger.server";
import { DisbursementError } from "./errors";
import { OPEN_STATUSES, checkClaims, disbursementCounterName, formatDisbursementNumber, type ClaimItem, type NeedBalance } from "./rules";
import { UUID_PATTERN } from "~/utils/uuid";

/** Shared steps of the disbursement modules (decision 057): access, locks, open claims, numbering. */

export type Batch = typeof disbursementBatches.$inferSelect;
export type BatchItem = typeof disbursements.$inferSelect;
export type Need = typeof needs.$inferSelect;

export const UUID = UUID_PATTERN;
const FINANCE: readonly Role[] = ["finance", "org_admin"];
export const DISBURSEMENT_PAGE_SIZE = 25;

// ---------------------------------------------------------------- helpers

export async function requireFinance(tx: DbOrTx, actor: Actor, orgId: string): Promise<string> {
  if (isSystemActor(actor) || !actor.userId || !UUID.test(orgId)) throw new DisbursementError("not_allowed");
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId)));
  if (!rows.some((r) => FINANCE.includes(r.role))) throw new DisbursementError("not_allowed");
  return actor.userId;
}

export async function orgOf(tx: DbOrTx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new DisbursementError("not_allowed");
  return org;
}

/** Locks the needs in id order (the one order, so two operations never wait on each other in a circle). */
export async function lockNeeds(tx: Tx, orgId: string, ids: string[]): Promise<Map<string, Need>> {
  const out = new Map<string, Need>();
  for (const id of [...new Set(ids)].sort()) {
    if (!UUID.test(id)) throw new DisbursementError("need_not_found", { needId: id });
    const [need] = await tx.select().from(needs).where(eq(needs.id, id)).for("update");
    if (!need || need.orgId !== orgId) throw new DisbursementError("need_not_found", { needId: id });
    out.set(id, need);
  }
  return out;
}

/** What open batches (other than `exceptBatchId`) ask of each need. */
async function openClaims(tx: DbOrTx, needIds: string[], exceptBatchId?: string): Promise<Map<string, number>> {
  if (needIds.length === 0) return new Map();
  const rows = await tx
    .select({ needId: disbursements.needId, claimed: sql<string>`coalesce(sum(${disbursements.amountMinor}), 0)` })
    .from(disbursements)
    .innerJoin(disbursementBatches, eq(disbursementBatches.id, disbursements.batchId))
    .where(
      and(
        inArray(disbursements.needId, needIds),
        inArray(disbursementBatches.status, [...OPEN_STATUSES]),
        exceptBatchId ? ne(disbursementBatches.id, exceptBatchId) : undefined,
      ),
    )
    .groupBy(disbursements.needId);
  return new Map(rows.map((r) => [r.needId, Number(r.claimed)]));
}

export async function balancesOf(tx: DbOrTx, needIds: string[], exceptBatchId?: string): Promise<Map<string, NeedBalance>> {
  const claims = await openClaims(tx, needIds, exceptBatchId);
  const out = new Map<string, NeedBalance>();
  for (const id of needIds) out.set(id, { fundMinor: await needFundBalance(tx, id), claimedMinor: claims.get(id) ?? 0 });
  return out;
}

export function refuseClaims(items: ClaimItem[], balances: Map<string, NeedBalance>): number {
  const decision = checkClaims(items, balances);
  if (decision.ok) return decision.totalMinor;
  if (decision.code === "over_balance") throw new DisbursementError("over_balance", { needId: decision.needId, availableMinor: decision.availableMinor });
  if (decision.code === "items_invalid") throw new DisbursementError("items_invalid");
  throw new DisbursementError(decision.code, { needId: decision.needId });
}

export function validDay(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000;
}

export function checkKey(key: unknown): string {
  const k = typeof key === "string" ? key.trim() : "";
  if (k.length < 8 || k.length > 200) throw new DisbursementError("idempotency_conflict");
  return k;
}

export async function nextNumber(tx: DbOrTx, orgId: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(orgCounters)
    .values({ orgId, name: disbursementCounterName(year), value: 1 })
    .onConflictDoUpdate({ target: [orgCounters.orgId, orgCounters.name], set: { value: sql`${orgCounters.value} + 1` } })
    .returning({ value: orgCounters.value });
  return formatDisbursementNumber(year, row.value);
}

export async function itemsOf(tx: DbOrTx, batchId: string): Promise<BatchItem[]> {
  return tx.select().from(disbursements).where(eq(disbursements.batchId, batchId)).orderBy(asc(disbursements.needId));
}

export async function peekBatch(tx: DbOrTx, batchId: string): Promise<Batch> {
  if (!UUID.test(batchId)) throw new DisbursementError("batch_not_found");
  const [batch] = await tx.select().from(disbursementBatches).where(eq(disbursementBatches.id, batchId)).limit(1);
  if (!batch) throw new DisbursementError("batch_not_found");
  return batch;
}

export async function lockBatch(tx: Tx, batchId: string): Promise<Batch> {
  const [batch] = await tx.select().from(disbursementBatches).where(eq(disbursementBatches.id, batchId)).for("update");
  if (!batch) throw new DisbursementError("batch_not_found");
  return batch;
}

/** The batch as the actor may act on it: of an organisation where they are finance (else not found, nothing said). */
export async function batchForFinance(tx: Tx, actor: Actor, batchId: string, orgId?: string): Promise<Batch> {
  const peek = await peekBatch(tx, batchId);
  if (orgId && peek.orgId !== orgId) throw new DisbursementError("batch_not_found");
  await requireFinance(tx, actor, peek.orgId);
  return lockBatch(tx, batchId);
}

/** A need's public title in a language (the other language when it has only one). */
export { publicTitle };
