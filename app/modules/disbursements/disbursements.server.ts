import type { Role } from "~/modules/organizations/roles";
import { and, asc, count, desc, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import {
  auditLog,
  disbursementBatches,
  disbursements,
  ledgerEntries,
  memberships,
  moneyAccounts,
  needs,
  orgCounters,
  organizations,
  paymentDocuments,
  payees,
  pledges,
  users,
} from "#db/schema";
import { isSystemActor, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { entryPostings, needFundBalance, postEntry } from "~/modules/ledger/ledger.server";
import type { Posting } from "~/modules/ledger/ledger";
import { normalizeEmail } from "~/modules/identity/tokens";
import { todayIn } from "~/modules/needs/money";
import { applySystemTransition } from "~/modules/needs/needs.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { yearIn } from "~/modules/receipts/numbering";
import { formatMoney } from "~/utils/format";
import { DisbursementError } from "./errors";
import { payableFor } from "./payee-check.server";
import {
  ASSET_KIND_OF,
  DISBURSEMENT_METHODS,
  OPEN_STATUSES,
  availableMinor,
  becomesDisbursed,
  checkClaims,
  decisionRefusal,
  disbursementCounterName,
  disbursementPostings,
  formatDisbursementNumber,
  type ClaimItem,
  type DisbursementMethod,
  type DisbursementStatus,
  type NeedBalance,
} from "./rules";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Money out (issue 10, decision 057): finance asks to pay one payee from one or more needs' funds
 * (a batch), a different finance officer approves or rejects it, and once the money has left it is
 * marked paid: one ledger entry (Dr each need's fund, Cr the bank / cash box / transfer agent), the
 * needs' disbursed totals, `funded → disbursed` when a fund is emptied, and an email to each donor
 * whose money was in it ("your gift reached a school" — the payee's kind, never its name).
 *
 * Lock order: the batch's needs (by id), then the batch. A claim never exceeds what the need's fund
 * holds minus what other open (requested / approved) batches already ask for: checked when asked
 * and again when paid, under the needs' row locks. Every change is audited; a refusal throws a
 * DisbursementError before anything is written.
 */

export type Batch = typeof disbursementBatches.$inferSelect;
export type BatchItem = typeof disbursements.$inferSelect;
type Need = typeof needs.$inferSelect;

const UUID = UUID_PATTERN;
const FINANCE: readonly Role[] = ["finance", "org_admin"];
export const DISBURSEMENT_PAGE_SIZE = 25;

// ---------------------------------------------------------------- helpers

async function requireFinance(tx: DbOrTx, actor: Actor, orgId: string): Promise<string> {
  if (isSystemActor(actor) || !actor.userId || !UUID.test(orgId)) throw new DisbursementError("not_allowed");
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId)));
  if (!rows.some((r) => FINANCE.includes(r.role))) throw new DisbursementError("not_allowed");
  return actor.userId;
}

async function orgOf(tx: DbOrTx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new DisbursementError("not_allowed");
  return org;
}

/** Locks the needs in id order (the one order, so two operations never wait on each other in a circle). */
async function lockNeeds(tx: Tx, orgId: string, ids: string[]): Promise<Map<string, Need>> {
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

async function balancesOf(tx: DbOrTx, needIds: string[], exceptBatchId?: string): Promise<Map<string, NeedBalance>> {
  const claims = await openClaims(tx, needIds, exceptBatchId);
  const out = new Map<string, NeedBalance>();
  for (const id of needIds) out.set(id, { fundMinor: await needFundBalance(tx, id), claimedMinor: claims.get(id) ?? 0 });
  return out;
}

function refuseClaims(items: ClaimItem[], balances: Map<string, NeedBalance>): number {
  const decision = checkClaims(items, balances);
  if (decision.ok) return decision.totalMinor;
  if (decision.code === "over_balance") throw new DisbursementError("over_balance", { needId: decision.needId, availableMinor: decision.availableMinor });
  if (decision.code === "items_invalid") throw new DisbursementError("items_invalid");
  throw new DisbursementError(decision.code, { needId: decision.needId });
}

function validDay(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 2000;
}

function checkKey(key: unknown): string {
  const k = typeof key === "string" ? key.trim() : "";
  if (k.length < 8 || k.length > 200) throw new DisbursementError("idempotency_conflict");
  return k;
}

async function nextNumber(tx: DbOrTx, orgId: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(orgCounters)
    .values({ orgId, name: disbursementCounterName(year), value: 1 })
    .onConflictDoUpdate({ target: [orgCounters.orgId, orgCounters.name], set: { value: sql`${orgCounters.value} + 1` } })
    .returning({ value: orgCounters.value });
  return formatDisbursementNumber(year, row.value);
}

async function itemsOf(tx: DbOrTx, batchId: string): Promise<BatchItem[]> {
  return tx.select().from(disbursements).where(eq(disbursements.batchId, batchId)).orderBy(asc(disbursements.needId));
}

async function peekBatch(tx: DbOrTx, batchId: string): Promise<Batch> {
  if (!UUID.test(batchId)) throw new DisbursementError("batch_not_found");
  const [batch] = await tx.select().from(disbursementBatches).where(eq(disbursementBatches.id, batchId)).limit(1);
  if (!batch) throw new DisbursementError("batch_not_found");
  return batch;
}

async function lockBatch(tx: Tx, batchId: string): Promise<Batch> {
  const [batch] = await tx.select().from(disbursementBatches).where(eq(disbursementBatches.id, batchId)).for("update");
  if (!batch) throw new DisbursementError("batch_not_found");
  return batch;
}

/** The batch as the actor may act on it: of an organisation where they are finance (else not found, nothing said). */
async function batchForFinance(tx: Tx, actor: Actor, batchId: string, orgId?: string): Promise<Batch> {
  const peek = await peekBatch(tx, batchId);
  if (orgId && peek.orgId !== orgId) throw new DisbursementError("batch_not_found");
  await requireFinance(tx, actor, peek.orgId);
  return lockBatch(tx, batchId);
}

/** A need's public title in a language (the other language when it has only one). */
function publicTitle(need: Pick<Need, "titleAr" | "titleEn">, locale: "ar" | "en"): string {
  return (locale === "ar" ? (need.titleAr ?? need.titleEn) : (need.titleEn ?? need.titleAr)) ?? "";
}

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

// ---------------------------------------------------------------- paid

export type MarkPaidInput = {
  /** YYYY-MM-DD: when the money left; not in the future in the organisation's time zone. */
  paidDate: string;
  /** The bank's transfer reference, the cheque number, the cash receipt's number. */
  reference: string;
  proofDocumentId?: string | null;
  idempotencyKey?: string | null;
  orgId?: string;
  now?: Date;
};

export type MarkPaidResult = { batch: Batch; entryId: string; created: boolean; disbursedNeedIds: string[]; emailsQueued: number };

/**
 * The approved batch's money has left: checked again under the needs' locks (each amount ≤ its fund
 * minus the other open batches' claims), one ledger entry `disbursement:<batchId>` (Dr each need's
 * fund, Cr the money account), needs.disbursed_minor, `funded → disbursed` for a need whose fund is
 * now empty (the actor named), and an email to each donor with money in a need ("your gift reached
 * a school" — the payee's kind only). Marking a paid batch paid again returns it, writing nothing.
 */
export async function markDisbursementPaid(db: Db, actor: Actor, batchId: string, input: MarkPaidInput): Promise<MarkPaidResult> {
  const now = input.now ?? new Date();
  const reference = typeof input.reference === "string" ? input.reference.trim() : "";
  if (!reference || reference.length > 200) throw new DisbursementError("reference_invalid");
  if (!validDay(input.paidDate)) throw new DisbursementError("paid_date_invalid");
  if (input.proofDocumentId && !UUID.test(input.proofDocumentId)) throw new DisbursementError("proof_invalid");
  if (input.idempotencyKey != null) checkKey(input.idempotencyKey);

  return db.transaction(async (tx): Promise<MarkPaidResult> => {
    const peek = await peekBatch(tx, batchId);
    if (input.orgId && peek.orgId !== input.orgId) throw new DisbursementError("batch_not_found");
    await requireFinance(tx, actor, peek.orgId);
    const peekItems = await itemsOf(tx, peek.id);
    const locked = await lockNeeds(tx, peek.orgId, peekItems.map((i) => i.needId));
    const batch = await lockBatch(tx, peek.id);
    if (batch.status === "paid") return { batch, entryId: batch.ledgerEntryId!, created: false, disbursedNeedIds: [], emailsQueued: 0 };
    if (batch.status !== "approved") throw new DisbursementError("invalid_state", { state: batch.status });
    const org = await orgOf(tx, batch.orgId);
    if (input.paidDate > todayIn(org.timeZone, now)) throw new DisbursementError("paid_date_future");
    if (input.proofDocumentId) {
      const [doc] = await tx
        .select({ id: paymentDocuments.id })
        .from(paymentDocuments)
        .where(and(eq(paymentDocuments.id, input.proofDocumentId), eq(paymentDocuments.orgId, batch.orgId)))
        .limit(1);
      if (!doc) throw new DisbursementError("proof_invalid");
    }
    const items = (await itemsOf(tx, batch.id)).map((i) => ({ needId: i.needId, amountMinor: i.amountMinor }));
    const balances = await balancesOf(tx, items.map((i) => i.needId), batch.id);
    refuseClaims(items, balances);
    const [account] = await tx.select().from(moneyAccounts).where(eq(moneyAccounts.id, batch.moneyAccountId)).limit(1);
    if (!account || account.orgId !== batch.orgId || account.currency !== batch.currency) throw new DisbursementError("money_account_invalid");
    const [payee] = await tx.select().from(payees).where(eq(payees.id, batch.payeeId)).limit(1);

    const { entryId, created } = await postEntry(tx, {
      orgId: batch.orgId,
      currency: batch.currency,
      kind: "disbursement",
      idempotencyKey: `disbursement:${batch.id}`,
      memo: `Disbursement ${batch.number} (${batch.method}, ${reference})`,
      actorUserId: actor.userId,
      valueDate: input.paidDate,
      needId: items.length === 1 ? items[0].needId : null,
      postings: disbursementPostings(items, { kind: ASSET_KIND_OF[batch.method], moneyAccountId: account.id }),
    });

    const disbursedNeedIds: string[] = [];
    for (const item of items) {
      const [need] = await tx
        .update(needs)
        .set({ disbursedMinor: sql`${needs.disbursedMinor} + ${item.amountMinor}`, updatedAt: now })
        .where(eq(needs.id, item.needId))
        .returning();
      const fundAfter = balances.get(item.needId)!.fundMinor - item.amountMinor;
      if (becomesDisbursed(need.state, fundAfter)) {
        const moved = await applySystemTransition(tx, actor, need, "disburse", {
          now,
          change: { batch: batch.number, disbursedMinor: need.disbursedMinor, currency: need.currency },
        });
        if (moved) disbursedNeedIds.push(need.id);
      }
    }

    const [paid] = await tx
      .update(disbursementBatches)
      .set({
        status: "paid",
        paidBy: actor.userId,
        paidAt: now,
        paidDate: input.paidDate,
        paidReference: reference,
        proofDocumentId: input.proofDocumentId ?? null,
        ledgerEntryId: entryId,
        updatedAt: now,
      })
      .where(eq(disbursementBatches.id, batch.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: batch.orgId,
      action: "disbursement.paid",
      entityType: "disbursement_batch",
      entityId: batch.id,
      change: {
        number: batch.number,
        from: batch.status,
        to: "paid",
        paidDate: input.paidDate,
        reference,
        proofDocumentId: input.proofDocumentId ?? null,
        entryId,
        totalMinor: batch.totalMinor,
        currency: batch.currency,
        disbursedNeeds: disbursedNeedIds,
      },
    });

    let emailsQueued = 0;
    if (created && payee) emailsQueued = await tellDonors(tx, { org, payeeKind: payee.kind, items, needs: locked });
    return { batch: paid, entryId, created, disbursedNeedIds, emailsQueued };
  });
}

/**
 * "Your gift reached a school": one email per donor (address) and need with money in it, in the
 * pledge's language, through the outbox in this transaction. The payee's KIND only — never its
 * name, never anything of the household; the need's public title.
 */
async function tellDonors(
  tx: Tx,
  input: { org: typeof organizations.$inferSelect; payeeKind: (typeof payees.$inferSelect)["kind"]; items: ClaimItem[]; needs: Map<string, Need> },
): Promise<number> {
  let sent = 0;
  for (const item of input.items) {
    const need = input.needs.get(item.needId)!;
    const donors = await tx
      .select({ email: pledges.email, name: pledges.displayName, locale: pledges.locale, anonymous: pledges.anonymous })
      .from(pledges)
      .where(and(eq(pledges.needId, need.id), sql`${pledges.paidMinor} > 0`))
      .orderBy(asc(pledges.createdAt), asc(pledges.id));
    const seen = new Set<string>();
    for (const d of donors) {
      const email = normalizeEmail(d.email ?? "");
      if (!email || seen.has(email)) continue;
      seen.add(email);
      const locale = d.locale;
      await enqueueEmail(tx, email, locale, {
        template: "gift-delivered",
        data: {
          name: d.name ?? "",
          needTitle: publicTitle(need, locale),
          orgName: locale === "ar" ? input.org.nameAr : input.org.nameEn,
          payeeKind: input.payeeKind,
          amount: formatMoney(item.amountMinor, need.currency, locale),
        },
      });
      sent += 1;
    }
  }
  return sent;
}

// ---------------------------------------------------------------- read

export type FundsAvailableRow = {
  needId: string;
  publicId: string;
  titleAr: string | null;
  titleEn: string | null;
  state: Need["state"];
  currency: string;
  payeeId: string | null;
  fundMinor: number;
  claimedMinor: number;
  availableMinor: number;
};

/**
 * The organisation's needs (of a payee, in a currency) whose fund holds money: the balance, what
 * open batches already ask for, and what is left for a new batch.
 */
export async function fundsAvailable(db: DbOrTx, orgId: string, options: { payeeId?: string | null; currency: string }): Promise<FundsAvailableRow[]> {
  if (!UUID.test(orgId)) return [];
  if (options.payeeId && !UUID.test(options.payeeId)) return [];
  const fund = sql<string>`coalesce((select -sum(lp.amount_minor) from ledger_postings lp join ledger_accounts la on la.id = lp.account_id where la.kind = 'need_fund' and la.need_id = "needs"."id"), 0)`;
  const claimed = sql<string>`coalesce((select sum(d.amount_minor) from disbursements d join disbursement_batches b on b.id = d.batch_id where d.need_id = "needs"."id" and b.status in ('requested', 'approved')), 0)`;
  const rows = await db
    .select({
      needId: needs.id,
      publicId: needs.publicId,
      titleAr: needs.titleAr,
      titleEn: needs.titleEn,
      state: needs.state,
      currency: needs.currency,
      payeeId: needs.payeeId,
      fund,
      claimed,
    })
    .from(needs)
    .where(and(eq(needs.orgId, orgId), eq(needs.currency, options.currency), options.payeeId ? eq(needs.payeeId, options.payeeId) : undefined, sql`${fund} > 0`))
    .orderBy(asc(needs.createdAt), asc(needs.id));
  return rows.map((r) => {
    const fundMinor = Number(r.fund);
    const claimedMinor = Number(r.claimed);
    return { ...r, fundMinor, claimedMinor, availableMinor: availableMinor(fundMinor, claimedMinor) };
  });
}

export type BatchListRow = Batch & { payeeName: string; payeeKind: (typeof payees.$inferSelect)["kind"]; needCount: number; requesterName: string };

/** The organisation's batches, newest first, by status, a page at a time. */
export async function listDisbursements(
  db: DbOrTx,
  orgId: string,
  options: { status?: DisbursementStatus | null; payeeId?: string | null; needId?: string | null; page?: number; pageSize?: number } = {},
): Promise<{ rows: BatchListRow[]; total: number; page: number; pages: number }> {
  const pageSize = options.pageSize ?? DISBURSEMENT_PAGE_SIZE;
  const where = and(
    eq(disbursementBatches.orgId, orgId),
    options.status ? eq(disbursementBatches.status, options.status) : undefined,
    options.payeeId ? eq(disbursementBatches.payeeId, options.payeeId) : undefined,
    options.needId ? sql`exists (select 1 from disbursements d where d.batch_id = ${disbursementBatches.id} and d.need_id = ${options.needId})` : undefined,
  );
  const [{ total }] = await db.select({ total: count() }).from(disbursementBatches).where(where);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
  const rows = await db
    .select({
      batch: disbursementBatches,
      payeeName: payees.name,
      payeeKind: payees.kind,
      requesterName: users.displayName,
      needCount: sql<number>`(select count(*)::int from disbursements d where d.batch_id = ${disbursementBatches.id})`,
    })
    .from(disbursementBatches)
    .innerJoin(payees, eq(payees.id, disbursementBatches.payeeId))
    .innerJoin(users, eq(users.id, disbursementBatches.requestedBy))
    .where(where)
    .orderBy(desc(disbursementBatches.requestedAt), desc(disbursementBatches.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    rows: rows.map((r) => ({ ...r.batch, payeeName: r.payeeName, payeeKind: r.payeeKind, requesterName: r.requesterName, needCount: Number(r.needCount) })),
    total,
    page,
    pages,
  };
}

/** How many batches of each status the organisation has (for the tabs and the finance home). */
export async function disbursementCounts(db: DbOrTx, orgId: string): Promise<Record<DisbursementStatus, number>> {
  const rows = await db
    .select({ status: disbursementBatches.status, n: count() })
    .from(disbursementBatches)
    .where(eq(disbursementBatches.orgId, orgId))
    .groupBy(disbursementBatches.status);
  const out: Record<DisbursementStatus, number> = { requested: 0, approved: 0, rejected: 0, paid: 0, cancelled: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** One batch of the organisation with its payee, its needs (and their funds now), the people, its history and — once paid — its ledger entry. Null when not this organisation's. */
export async function getDisbursement(db: DbOrTx, orgId: string, batchId: string) {
  if (!UUID.test(batchId) || !UUID.test(orgId)) return null;
  const [batch] = await db
    .select()
    .from(disbursementBatches)
    .where(and(eq(disbursementBatches.id, batchId), eq(disbursementBatches.orgId, orgId)))
    .limit(1);
  if (!batch) return null;
  const [payee] = await db.select().from(payees).where(eq(payees.id, batch.payeeId)).limit(1);
  const [account] = await db.select().from(moneyAccounts).where(eq(moneyAccounts.id, batch.moneyAccountId)).limit(1);
  const itemRows = await db
    .select({ item: disbursements, publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, state: needs.state, disbursedMinor: needs.disbursedMinor })
    .from(disbursements)
    .innerJoin(needs, eq(needs.id, disbursements.needId))
    .where(eq(disbursements.batchId, batch.id))
    .orderBy(asc(needs.createdAt), asc(needs.id));
  const balances = await balancesOf(db, itemRows.map((r) => r.item.needId), batch.id);
  const people = [batch.requestedBy, batch.decidedBy, batch.paidBy].filter((x): x is string => Boolean(x));
  const names = new Map(
    (people.length ? await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, people)) : []).map((u) => [u.id, u.name]),
  );
  const history = await db
    .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, actorUserId: auditLog.actorUserId, actorName: users.displayName, change: auditLog.change })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorUserId))
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.entityType, "disbursement_batch"), eq(auditLog.entityId, batch.id)))
    .orderBy(asc(auditLog.at), asc(auditLog.id));
  let entry: { id: string; valueDate: string; memo: string; postings: Posting[] } | null = null;
  if (batch.ledgerEntryId) {
    const [e] = await db.select().from(ledgerEntries).where(eq(ledgerEntries.id, batch.ledgerEntryId)).limit(1);
    if (e) entry = { id: e.id, valueDate: e.valueDate, memo: e.memo, postings: (await entryPostings(db, e.id)).postings };
  }
  let proof: { id: string; fileName: string } | null = null;
  if (batch.proofDocumentId) {
    const [doc] = await db.select({ id: paymentDocuments.id, fileName: paymentDocuments.fileName }).from(paymentDocuments).where(eq(paymentDocuments.id, batch.proofDocumentId)).limit(1);
    proof = doc ?? null;
  }
  return {
    batch,
    payee: payee ?? null,
    account: account ?? null,
    items: itemRows.map((r) => {
      const b = balances.get(r.item.needId)!;
      return { ...r.item, publicId: r.publicId, titleAr: r.titleAr, titleEn: r.titleEn, state: r.state, disbursedMinor: r.disbursedMinor, fundMinor: b.fundMinor, otherClaimsMinor: b.claimedMinor };
    }),
    names: Object.fromEntries(names),
    history,
    entry,
    proof,
  };
}

/** A need's batches (for the staff need page): number, status, amount for this need, payee kind, dates. */
export async function needDisbursements(db: DbOrTx, orgId: string, needId: string) {
  if (!UUID.test(needId) || !UUID.test(orgId)) return [];
  return db
    .select({
      batchId: disbursementBatches.id,
      number: disbursementBatches.number,
      status: disbursementBatches.status,
      amountMinor: disbursements.amountMinor,
      currency: disbursements.currency,
      payeeKind: payees.kind,
      requestedAt: disbursementBatches.requestedAt,
      paidDate: disbursementBatches.paidDate,
    })
    .from(disbursements)
    .innerJoin(disbursementBatches, eq(disbursementBatches.id, disbursements.batchId))
    .innerJoin(payees, eq(payees.id, disbursementBatches.payeeId))
    .where(and(eq(disbursements.needId, needId), eq(disbursements.orgId, orgId)))
    .orderBy(desc(disbursementBatches.requestedAt))
    .limit(50);
}

/** The organisation's money accounts a method can pay from (active, of the method's kind). */
export async function payingAccounts(db: DbOrTx, orgId: string) {
  return db
    .select({ id: moneyAccounts.id, name: moneyAccounts.name, kind: moneyAccounts.kind, currency: moneyAccounts.currency })
    .from(moneyAccounts)
    .where(and(eq(moneyAccounts.orgId, orgId), eq(moneyAccounts.active, true)))
    .orderBy(asc(moneyAccounts.kind), asc(moneyAccounts.name));
}

/** The organisation's active payees matching `q` (name, contact; Arabic-normalized search text too), a page at a time. */
export async function searchPayees(db: DbOrTx, orgId: string, options: { q?: string | null; page?: number; pageSize?: number } = {}) {
  const pageSize = options.pageSize ?? DISBURSEMENT_PAGE_SIZE;
  const q = (options.q ?? "").trim().slice(0, 100);
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const where = and(
    eq(payees.orgId, orgId),
    eq(payees.status, "active"),
    q ? sql`(${payees.name} ilike ${like} or ${payees.searchText} ilike ${like} or coalesce(${payees.contactName}, '') ilike ${like})` : undefined,
  );
  const [{ total }] = await db.select({ total: count() }).from(payees).where(where);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pages);
  const rows = await db
    .select({
      id: payees.id,
      name: payees.name,
      kind: payees.kind,
      collection: payees.collection,
      detailsApproved: sql<boolean>`${payees.detailsApprovedAt} is not null`,
      needsWithMoney: sql<number>`(select count(*)::int from needs n where n.payee_id = ${payees.id} and coalesce((select -sum(lp.amount_minor) from ledger_postings lp join ledger_accounts la on la.id = lp.account_id where la.kind = 'need_fund' and la.need_id = n.id), 0) > 0)`,
    })
    .from(payees)
    .where(where)
    .orderBy(asc(payees.name), asc(payees.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { rows, total, page, pages };
}

/** One active payee of the organisation (for the request form), or null. */
export async function payeeOf(db: DbOrTx, orgId: string, payeeId: string) {
  if (!UUID.test(payeeId)) return null;
  const [row] = await db.select().from(payees).where(and(eq(payees.id, payeeId), eq(payees.orgId, orgId))).limit(1);
  return row ?? null;
}
