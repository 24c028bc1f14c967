/**
 * The steps every household operation shares: find the row (404 outside the organisation), check a
 * region, write the timeline and the audit log, refresh the search text, number a new household.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import {
  householdEvents,
  householdIdentifiers,
  householdMembers,
  households,
  orgCounters,
  organizations,
  regions,
} from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { normalizeText } from "~/modules/anonymization/normalize";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import { identityHashSecret } from "./duplicates.server";
import { keyedHash, normalizeIdentifier, phoneSearchDigits, type IdentifierKind } from "./identifiers";

/**
 * The private household registry: one transaction per operation, each writing the household's
 * timeline (kept as history, never overwritten) and the audit log.
 */

export type Household = typeof households.$inferSelect;

type Member = typeof householdMembers.$inferSelect;

export type EventKind = (typeof householdEvents.$inferInsert)["kind"];

// ---------------------------------------------------------------- shared steps

/** The household, if it belongs to this organisation; else 404. Locks the row when writing. */
export async function householdOf(tx: DbOrTx, orgId: string, householdId: string, lock = false): Promise<Household> {
  const query = tx
    .select()
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new OrgNotFoundError("household");
  return row;
}

export async function memberOf(tx: DbOrTx, orgId: string, householdId: string, memberId: string): Promise<Member> {
  const [row] = await tx
    .select()
    .from(householdMembers)
    .where(
      and(eq(householdMembers.id, memberId), eq(householdMembers.orgId, orgId), eq(householdMembers.householdId, householdId)),
    )
    .limit(1);
  if (!row) throw new OrgNotFoundError("member");
  return row;
}

/** A region of this organisation's own tree, or 404 (a posted id of another organisation's region). */
export async function checkRegion(tx: DbOrTx, orgId: string, regionId: string | null | undefined): Promise<string | null> {
  if (!regionId) return null;
  const [row] = await tx
    .select({ id: regions.id })
    .from(regions)
    .where(and(eq(regions.id, regionId), eq(regions.orgId, orgId)))
    .limit(1);
  if (!row) throw new OrgNotFoundError("region");
  return row.id;
}

export async function addEvent(
  tx: DbOrTx,
  household: { id: string; orgId: string },
  actor: Actor,
  kind: EventKind,
  details: Record<string, unknown>,
  occurredOn?: string | null,
) {
  await tx.insert(householdEvents).values({
    householdId: household.id,
    orgId: household.orgId,
    kind,
    details,
    occurredOn: occurredOn ?? null,
    actorId: actor.userId,
  });
}

export async function audit(tx: DbOrTx, actor: Actor, household: { id: string; orgId: string }, action: string, change: Record<string, unknown>) {
  await recordAudit(tx, actor, {
    orgId: household.orgId,
    action: `household.${action}`,
    entityType: "household",
    entityId: household.id,
    change,
  });
}

/** Recomputes the staff search text: every member's name, the reference and the phones' digits. */
export async function refreshSearchText(tx: DbOrTx, household: { id: string; reference: string }) {
  const names = await tx
    .select({ fullName: householdMembers.fullName })
    .from(householdMembers)
    .where(eq(householdMembers.householdId, household.id))
    .orderBy(desc(householdMembers.isHead), asc(householdMembers.createdAt));
  const phones = await tx
    .select({ normalized: householdIdentifiers.normalized })
    .from(householdIdentifiers)
    .where(and(eq(householdIdentifiers.householdId, household.id), eq(householdIdentifiers.kind, "phone")));
  const parts = [
    ...names.map((n) => normalizeText(n.fullName)),
    normalizeText(household.reference),
    ...phones.flatMap((p) => phoneSearchDigits(p.normalized)),
  ];
  await tx
    .update(households)
    .set({ searchText: parts.join(" "), updatedAt: new Date() })
    .where(eq(households.id, household.id));
}

/** The next reference of the organisation, e.g. LB-0007-26: the counter row is locked by the upsert. */
export async function nextReference(tx: DbOrTx, org: { id: string; country: string; timeZone: string }, now: Date): Promise<string> {
  const [row] = await tx
    .insert(orgCounters)
    .values({ orgId: org.id, name: "household", value: 1 })
    .onConflictDoUpdate({ target: [orgCounters.orgId, orgCounters.name], set: { value: sql`${orgCounters.value} + 1` } })
    .returning({ value: orgCounters.value });
  const year = new Intl.DateTimeFormat("en", { year: "2-digit", timeZone: org.timeZone }).format(now);
  return `${org.country}-${String(row.value).padStart(4, "0")}-${year}`;
}

export interface IdentifierInput {
  kind: IdentifierKind;
  value: string;
  memberId?: string | null;
}

/** Normalizes, hashes and stores identifiers; refuses an invalid one with its field. */
export async function insertIdentifiers(
  tx: DbOrTx,
  household: { id: string; orgId: string },
  country: string,
  list: (IdentifierInput & { field?: string })[],
) {
  const secret = identityHashSecret();
  const stored = [];
  for (const item of list) {
    const result = normalizeIdentifier(item.kind, item.value, country);
    if (!result.ok) throw new OrgRuleError(result.error, item.field ?? "value", 400);
    const [row] = await tx
      .insert(householdIdentifiers)
      .values({
        householdId: household.id,
        orgId: household.orgId,
        memberId: item.memberId ?? null,
        kind: item.kind,
        value: item.value.trim(),
        normalized: result.normalized,
        keyedHash: keyedHash(item.kind, result.normalized, secret),
      })
      .returning();
    stored.push(row);
  }
  return stored;
}

export async function orgOf(tx: DbOrTx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new OrgNotFoundError("organisation");
  return org;
}
