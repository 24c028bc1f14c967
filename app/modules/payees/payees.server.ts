import type { Role } from "~/modules/organizations/roles";
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { disbursementBatches, households, memberships, needs, payeeDetailChanges, payees, users, type PayeeBankDetails } from "#db/schema";
import { isSystemActor, recordAudit, type Actor } from "~/modules/audit/audit.server";
import { normalizeText } from "~/modules/anonymization/normalize";
import { PayeeError } from "./errors";
import { PAYEES_PAGE_SIZE, PAYEE_KINDS, PAYEE_STATUSES, maskAccountNumber, type BankDetails, type PayeeKind, type PayeeStatus } from "./schemas";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Payees (decision 057): who an organisation pays — a school, a hospital, a pharmacy, a vendor, a
 * landlord, or a household itself. Private to the organisation. Bank (or cash-collection) details
 * are never written directly: a finance person requests a change, a second one approves it
 * (four-eyes here and in a CHECK). Every write is one transaction with its audit row; account
 * numbers reach the audit masked (last four).
 */

export type Payee = typeof payees.$inferSelect;
export type PayeeDetailChange = typeof payeeDetailChanges.$inferSelect;

const UUID = UUID_PATTERN;
const FINANCE: readonly Role[] = ["finance", "org_admin"];
/** Who may create a payee by name and kind from the need editor (never bank details). */
const NEED_AUTHORS: readonly Role[] = ["caseworker", "org_admin", "finance"];
const BANK_FIELDS = ["collection", "bankName", "accountHolder", "accountNumber", "cashCollectionNote"] as const;

// ---------------------------------------------------------------- helpers

async function rolesOf(tx: DbOrTx, orgId: string, userId: string): Promise<Role[]> {
  if (!UUID.test(orgId)) return [];
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return rows.map((r) => r.role);
}

/** A person holding one of `allowed` in the organisation; the system only where `systemAllowed`. */
async function requireRole(tx: DbOrTx, actor: Actor, orgId: string, allowed: readonly Role[], systemAllowed = false): Promise<void> {
  if (isSystemActor(actor)) {
    if (systemAllowed) return;
    throw new PayeeError("not_allowed");
  }
  const roles = await rolesOf(tx, orgId, actor.userId!);
  if (!roles.some((r) => allowed.includes(r))) throw new PayeeError("not_allowed");
}

/** The Arabic-normalized name and contact a staff search reads. */
export function payeeSearchText(p: { name: string; contactName?: string | null; phone?: string | null; email?: string | null }): string {
  const phoneDigits = (p.phone ?? "").replace(/\D/g, "");
  return [normalizeText(p.name), p.contactName ? normalizeText(p.contactName) : "", phoneDigits, (p.email ?? "").toLowerCase()]
    .filter(Boolean)
    .join(" ");
}

/** The name as compared for find-or-create: Arabic-normalized, spaces collapsed. */
export function payeeNameKey(name: string): string {
  return normalizeText(name).replace(/\s+/g, " ").trim();
}

async function lockPayee(tx: Tx, payeeId: string): Promise<Payee> {
  if (!UUID.test(payeeId)) throw new PayeeError("payee_not_found");
  const [payee] = await tx.select().from(payees).where(eq(payees.id, payeeId)).for("update");
  if (!payee) throw new PayeeError("payee_not_found");
  return payee;
}

async function householdOfOrg(tx: DbOrTx, orgId: string, householdId: string) {
  if (!UUID.test(householdId)) throw new PayeeError("household_invalid", "householdId");
  const [row] = await tx
    .select({ id: households.id, reference: households.reference })
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  if (!row) throw new PayeeError("household_invalid", "householdId");
  return row;
}

const clean = (v: string | null | undefined) => (typeof v === "string" && v.trim() ? v.trim() : null);

/** The details a payee holds now (null until a first change was approved). */
export function currentDetails(payee: Payee): BankDetails | null {
  if (!payee.collection) return null;
  return {
    collection: payee.collection,
    bankName: payee.bankName,
    accountHolder: payee.accountHolder,
    accountNumber: payee.accountNumber,
    cashCollectionNote: payee.cashCollectionNote,
  };
}

function normalizedDetails(d: PayeeBankDetails): BankDetails {
  return {
    collection: d.collection,
    bankName: clean(d.bankName),
    accountHolder: clean(d.accountHolder),
    accountNumber: clean(d.accountNumber),
    cashCollectionNote: clean(d.cashCollectionNote),
  };
}

/** Field names that differ, and the account number masked: what the audit may say about bank details. */
export function detailsAudit(before: BankDetails | null, after: BankDetails): Record<string, unknown> {
  const fields = BANK_FIELDS.filter((f) => (before?.[f] ?? null) !== (after[f] ?? null));
  return {
    fields,
    collection: after.collection,
    ...(after.accountNumber ? { accountNumber: maskAccountNumber(after.accountNumber) } : {}),
    ...(before?.accountNumber && before.accountNumber !== after.accountNumber ? { previousAccountNumber: maskAccountNumber(before.accountNumber) } : {}),
  };
}

// ---------------------------------------------------------------- create and update

export interface CreatePayeeInput {
  orgId: string;
  kind: PayeeKind;
  name: string;
  householdId?: string | null;
  contactName?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  notes?: string | null;
}

async function insertPayee(tx: Tx, actor: Actor, input: CreatePayeeInput, via: "finance" | "need"): Promise<Payee> {
  if (!(PAYEE_KINDS as readonly string[]).includes(input.kind)) throw new PayeeError("invalid_input", "kind");
  const name = clean(input.name);
  if (!name || name.length > 200) throw new PayeeError("name_required", "name");
  let householdId: string | null = null;
  if (input.householdId) {
    if (input.kind !== "household") throw new PayeeError("kind_mismatch", "kind");
    householdId = (await householdOfOrg(tx, input.orgId, input.householdId)).id;
  }
  const row = {
    orgId: input.orgId,
    kind: input.kind,
    name,
    householdId,
    contactName: clean(input.contactName),
    phone: clean(input.phone),
    email: clean(input.email),
    address: clean(input.address),
    notes: clean(input.notes),
    createdBy: actor.userId,
  };
  const [payee] = await tx
    .insert(payees)
    .values({ ...row, searchText: payeeSearchText(row) })
    .returning();
  await recordAudit(tx, actor, {
    orgId: input.orgId,
    action: "payee.create",
    entityType: "payee",
    entityId: payee.id,
    change: { kind: payee.kind, via, ...(householdId ? { householdId } : {}) },
  });
  return payee;
}

/** Finance (or an org admin) adds a payee: name, kind and contact; no bank details. */
export async function createPayee(db: Db, actor: Actor, input: CreatePayeeInput): Promise<Payee> {
  return db.transaction(async (tx) => {
    await requireRole(tx, actor, input.orgId, FINANCE);
    return insertPayee(tx, actor, input, "finance");
  });
}

export interface UpdatePayeeInput {
  name?: string;
  contactName?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  notes?: string | null;
  status?: PayeeStatus;
}

/**
 * Changes a payee's name, contact, notes or status (never its kind or bank details). `orgId`
 * scopes it: another organisation's payee is not found.
 */
export async function updatePayee(db: Db, actor: Actor, payeeId: string, input: UpdatePayeeInput & { orgId: string }): Promise<Payee> {
  return db.transaction(async (tx) => {
    await requireRole(tx, actor, input.orgId, FINANCE);
    const payee = await lockPayee(tx, payeeId);
    if (payee.orgId !== input.orgId) throw new PayeeError("payee_not_found");
    if (input.status !== undefined && !(PAYEE_STATUSES as readonly string[]).includes(input.status)) throw new PayeeError("invalid_input", "status");
    const next = {
      name: input.name === undefined ? payee.name : clean(input.name),
      contactName: input.contactName === undefined ? payee.contactName : clean(input.contactName),
      phone: input.phone === undefined ? payee.phone : clean(input.phone),
      email: input.email === undefined ? payee.email : clean(input.email),
      address: input.address === undefined ? payee.address : clean(input.address),
      notes: input.notes === undefined ? payee.notes : clean(input.notes),
      status: input.status ?? payee.status,
    };
    if (!next.name || next.name.length > 200) throw new PayeeError("name_required", "name");
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== payee[k]);
    if (changed.length === 0) return payee;
    const [updated] = await tx
      .update(payees)
      .set({ ...next, name: next.name, searchText: payeeSearchText({ ...next, name: next.name }), updatedAt: new Date() })
      .where(eq(payees.id, payee.id))
      .returning();
    await recordAudit(tx, actor, {
      orgId: payee.orgId,
      action: "payee.update",
      entityType: "payee",
      entityId: payee.id,
      // Field names (and the status), never the contact values.
      change: { changed, ...(changed.includes("status") ? { status: { from: payee.status, to: next.status } } : {}) },
    });
    return updated;
  });
}

/**
 * The payee a need is paid to, found or created inside the need's transaction: for a household
 * kind, the need's household's payee (named by its reference when no name is given); otherwise
 * the organisation's payee of that kind whose name matches once Arabic-normalized (case, hamza
 * forms, tatweel, diacritics, spaces), else a new one. Caseworkers may do this (name and kind
 * only); concurrent calls for the same name wait on an advisory lock, so one payee is made.
 */
export async function findOrCreatePayeeForNeed(
  tx: Tx,
  actor: Actor,
  input: { orgId: string; kind: PayeeKind; name: string | null | undefined; householdId?: string | null },
): Promise<Payee> {
  await requireRole(tx, actor, input.orgId, NEED_AUTHORS, true);
  if (!(PAYEE_KINDS as readonly string[]).includes(input.kind)) throw new PayeeError("invalid_input", "payeeKind");
  if (input.kind === "household") {
    if (!input.householdId) throw new PayeeError("household_invalid", "payeeKind");
    const household = await householdOfOrg(tx, input.orgId, input.householdId);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`payee:h:${household.id}`}))`);
    const [existing] = await tx
      .select()
      .from(payees)
      .where(and(eq(payees.orgId, input.orgId), eq(payees.householdId, household.id)))
      .orderBy(sql`case when ${payees.status} = 'active' then 0 else 1 end`, asc(payees.createdAt))
      .limit(1);
    if (existing) return existing;
    return insertPayee(tx, actor, { orgId: input.orgId, kind: "household", name: clean(input.name) ?? household.reference, householdId: household.id }, "need");
  }
  const name = clean(input.name);
  if (!name) throw new PayeeError("name_required", "payeeName");
  const key = payeeNameKey(name);
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`payee:${input.orgId}:${input.kind}:${key}`}))`);
  const candidates = await tx
    .select()
    .from(payees)
    .where(and(eq(payees.orgId, input.orgId), eq(payees.kind, input.kind), sql`${payees.householdId} is null`))
    .orderBy(sql`case when ${payees.status} = 'active' then 0 else 1 end`, asc(payees.createdAt));
  const found = candidates.find((p) => payeeNameKey(p.name) === key);
  if (found) return found;
  return insertPayee(tx, actor, { orgId: input.orgId, kind: input.kind, name }, "need");
}

/**
 * A payee the need editor chose by id: of the organisation, active, of the need's kind, and — for
 * a household payee — the need's own household.
 */
export async function payeeForNeed(tx: DbOrTx, input: { orgId: string; payeeId: string; kind: PayeeKind; householdId: string }): Promise<Payee> {
  if (!UUID.test(input.payeeId)) throw new PayeeError("payee_not_found", "payeeId");
  const [payee] = await tx
    .select()
    .from(payees)
    .where(and(eq(payees.id, input.payeeId), eq(payees.orgId, input.orgId)))
    .limit(1);
  if (!payee) throw new PayeeError("payee_not_found", "payeeId");
  if (payee.status !== "active") throw new PayeeError("payee_inactive", "payeeId");
  if (payee.kind !== input.kind) throw new PayeeError("kind_mismatch", "payeeId");
  if (payee.householdId && payee.householdId !== input.householdId) throw new PayeeError("household_invalid", "payeeId");
  return payee;
}

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
