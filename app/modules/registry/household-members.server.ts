/** A household's members (join, edit, exit) and its identity documents (add, remove). */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { householdIdentifiers, householdMembers } from "#db/schema";
import type { Actor } from "~/modules/audit/audit.server";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import { detectDuplicates } from "./duplicates.server";
import { maskIdentifier, type IdentifierKind } from "./identifiers";
import type { MemberInput } from "./schemas";
import { householdOf, refreshSearchText, addEvent, audit, memberOf, orgOf, insertIdentifiers } from "./household-steps.server";

/** A new member: someone who joined, or a child born into the household (`born`). */
export async function addMember(
  db: Db,
  input: { orgId: string; actor: Actor; householdId: string; member: MemberInput; born?: boolean; occurredOn?: string | null },
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    const birthYear = input.born && input.occurredOn ? Number(input.occurredOn.slice(0, 4)) : input.member.birthYear ?? null;
    const [member] = await tx
      .insert(householdMembers)
      .values({
        householdId: household.id,
        orgId: household.orgId,
        fullName: input.member.fullName,
        sex: input.member.sex,
        birthYear,
        relation: input.member.relation,
        disability: input.member.disability || null,
        schoolEnrolment: input.member.schoolEnrolment,
      })
      .returning();
    await refreshSearchText(tx, household);
    const kind = input.born ? "member_born" : "member_added";
    const details = { memberId: member.id, fullName: member.fullName, relation: member.relation, birthYear };
    await addEvent(tx, household, input.actor, kind, details, input.occurredOn ?? null);
    await audit(tx, input.actor, household, input.born ? "member_born" : "member_add", { memberId: member.id, relation: member.relation });
    return member;
  });
}

const MEMBER_FIELDS = ["fullName", "sex", "birthYear", "relation", "disability", "schoolEnrolment"] as const;

/** Corrects a member's details; the changed fields, before and after, go on the timeline. */
export async function updateMember(
  db: Db,
  input: { orgId: string; actor: Actor; householdId: string; memberId: string; member: MemberInput },
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    const member = await memberOf(tx, input.orgId, household.id, input.memberId);
    const next = {
      fullName: input.member.fullName,
      sex: input.member.sex,
      birthYear: input.member.birthYear ?? null,
      relation: member.isHead ? member.relation : input.member.relation,
      disability: input.member.disability || null,
      schoolEnrolment: input.member.schoolEnrolment,
    };
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    for (const key of MEMBER_FIELDS) {
      if (member[key] !== next[key]) {
        before[key] = member[key];
        after[key] = next[key];
      }
    }
    if (Object.keys(after).length === 0) return member;
    const [updated] = await tx
      .update(householdMembers)
      .set({ ...next, updatedAt: new Date() })
      .where(eq(householdMembers.id, member.id))
      .returning();
    await refreshSearchText(tx, household);
    await addEvent(tx, household, input.actor, "member_updated", { memberId: member.id, before, after });
    await audit(tx, input.actor, household, "member_update", { memberId: member.id, fields: Object.keys(after) });
    return updated;
  });
}

/** A member left the household or died: the member stays on record with the new status. */
export async function recordMemberExit(
  db: Db,
  input: { orgId: string; actor: Actor; householdId: string; memberId: string; reason: "left" | "died"; occurredOn: string; note?: string | null },
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    const member = await memberOf(tx, input.orgId, household.id, input.memberId);
    if (member.status !== "present") throw new OrgRuleError("registry:errors.memberNotPresent", "memberId", 409);
    const status = input.reason === "died" ? "deceased" : "left";
    const [updated] = await tx
      .update(householdMembers)
      .set({ status, updatedAt: new Date() })
      .where(eq(householdMembers.id, member.id))
      .returning();
    const details = { memberId: member.id, fullName: member.fullName, before: member.status, after: status, note: input.note || null };
    await addEvent(tx, household, input.actor, input.reason === "died" ? "member_died" : "member_left", details, input.occurredOn);
    await audit(tx, input.actor, household, input.reason === "died" ? "member_died" : "member_left", {
      memberId: member.id,
      occurredOn: input.occurredOn,
    });
    return updated;
  });
}

/** Adds a phone or ID number; looks for the same identifier in other organisations. */
export async function addIdentifier(
  db: Db,
  input: { orgId: string; actor: Actor; householdId: string; kind: IdentifierKind; value: string; memberId?: string | null },
): Promise<{ identifierId: string; duplicates: number }> {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    if (input.memberId) await memberOf(tx, input.orgId, household.id, input.memberId);
    const org = await orgOf(tx, input.orgId);
    const [row] = await insertIdentifiers(tx, household, org.country, [
      { kind: input.kind, value: input.value, memberId: input.memberId ?? null, field: "value" },
    ]);
    const others = await tx
      .select({ id: householdIdentifiers.id })
      .from(householdIdentifiers)
      .where(
        and(
          eq(householdIdentifiers.householdId, household.id),
          eq(householdIdentifiers.keyedHash, row.keyedHash),
          sql`${householdIdentifiers.id} <> ${row.id}`,
        ),
      );
    if (others.length > 0) throw new OrgRuleError("registry:errors.identifierExists", "value", 409);
    if (row.kind === "phone") await refreshSearchText(tx, household);
    const details = { identifierId: row.id, kind: row.kind, masked: maskIdentifier(row.normalized) };
    await addEvent(tx, household, input.actor, "identifier_added", details);
    await audit(tx, input.actor, household, "identifier_add", details);
    const duplicates = await detectDuplicates(tx, { orgId: input.orgId, householdId: household.id });
    return { identifierId: row.id, duplicates };
  });
}

export async function removeIdentifier(db: Db, input: { orgId: string; actor: Actor; householdId: string; identifierId: string }) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    const [row] = await tx
      .delete(householdIdentifiers)
      .where(
        and(
          eq(householdIdentifiers.id, input.identifierId),
          eq(householdIdentifiers.orgId, input.orgId),
          eq(householdIdentifiers.householdId, household.id),
        ),
      )
      .returning();
    if (!row) throw new OrgNotFoundError("identifier");
    if (row.kind === "phone") await refreshSearchText(tx, household);
    const details = { identifierId: row.id, kind: row.kind, masked: maskIdentifier(row.normalized) };
    await addEvent(tx, household, input.actor, "identifier_removed", details);
    await audit(tx, input.actor, household, "identifier_remove", details);
  });
}
