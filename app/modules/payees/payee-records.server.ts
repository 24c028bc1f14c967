import { and, asc, eq, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { payees } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { PayeeError } from "./errors";
import { PAYEE_KINDS, PAYEE_STATUSES, type PayeeKind, type PayeeStatus } from "./schemas";
import { clean, householdOfOrg, payeeSearchText, requireRole, FINANCE, lockPayee, NEED_AUTHORS, payeeNameKey, UUID, type Payee } from "./payee-steps.server";

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
