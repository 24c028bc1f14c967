import type { Role } from "~/modules/organizations/roles";
import { and, eq } from "drizzle-orm";
import type { DbOrTx, Tx } from "#db/client.server";
import { households, memberships, payeeDetailChanges, payees, type PayeeBankDetails } from "#db/schema";
import { isSystemActor, type Actor } from "~/modules/audit/audit.server";
import { normalizeText } from "~/modules/anonymization/normalize";
import { PayeeError } from "./errors";
import { maskAccountNumber, type BankDetails } from "./schemas";
import { UUID_PATTERN } from "~/utils/uuid";

/** Shared steps of the payee modules: access, locks, search keys, bank details and their audit. */

export type Payee = typeof payees.$inferSelect;
export type PayeeDetailChange = typeof payeeDetailChanges.$inferSelect;

export const UUID = UUID_PATTERN;
export const FINANCE: readonly Role[] = ["finance", "org_admin"];
/** Who may create a payee by name and kind from the need editor (never bank details). */
export const NEED_AUTHORS: readonly Role[] = ["caseworker", "org_admin", "finance"];
export const BANK_FIELDS = ["collection", "bankName", "accountHolder", "accountNumber", "cashCollectionNote"] as const;

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
export async function requireRole(tx: DbOrTx, actor: Actor, orgId: string, allowed: readonly Role[], systemAllowed = false): Promise<void> {
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

export async function lockPayee(tx: Tx, payeeId: string): Promise<Payee> {
  if (!UUID.test(payeeId)) throw new PayeeError("payee_not_found");
  const [payee] = await tx.select().from(payees).where(eq(payees.id, payeeId)).for("update");
  if (!payee) throw new PayeeError("payee_not_found");
  return payee;
}

export async function householdOfOrg(tx: DbOrTx, orgId: string, householdId: string) {
  if (!UUID.test(householdId)) throw new PayeeError("household_invalid", "householdId");
  const [row] = await tx
    .select({ id: households.id, reference: households.reference })
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  if (!row) throw new PayeeError("household_invalid", "householdId");
  return row;
}

export const clean = (v: string | null | undefined) => (typeof v === "string" && v.trim() ? v.trim() : null);

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

export function normalizedDetails(d: PayeeBankDetails): BankDetails {
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
