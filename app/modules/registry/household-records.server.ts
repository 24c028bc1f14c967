/**
 * Writing a household: register it (with its head and identifiers), edit, move to another region,
 * change its status, record consent.
 */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { householdMembers, households } from "#db/schema";
import type { Actor } from "~/modules/audit/audit.server";
import { OrgRuleError } from "~/modules/organizations/errors";
import { detectDuplicates } from "./duplicates.server";
import type { IdentifierKind } from "./identifiers";
import type { HouseholdStatus, MemberInput, VulnerabilityTag } from "./schemas";
import { orgOf, checkRegion, nextReference, insertIdentifiers, refreshSearchText, addEvent, audit, householdOf, type Household } from "./household-steps.server";

// ---------------------------------------------------------------- create

export interface HeadInput {
  fullName: string;
  sex: "female" | "male";
  birthYear?: number | null;
  disability?: string | null;
}

export interface CreateHouseholdInput {
  orgId: string;
  actor: Actor;
  head: HeadInput;
  members?: MemberInput[];
  phones?: string[];
  ids?: { kind: Exclude<IdentifierKind, "phone">; value: string }[];
  regionId?: string | null;
  address?: string | null;
  tags?: VulnerabilityTag[];
  consentGivenOn?: string | null;
  consentPublish?: boolean;
  consentSharePartners?: boolean;
  now?: Date;
}

/**
 * Registers a household: its reference, the head and other members, phones and ID numbers (hashed
 * for duplicate detection), region, address, tags and consent. Returns the household and how many
 * households of other organisations share an identifier with it.
 */
export async function createHousehold(db: Db, input: CreateHouseholdInput): Promise<{ household: Household; duplicates: number }> {
  if (!input.actor.userId) throw new Error("createHousehold needs a signed-in actor");
  const createdBy = input.actor.userId;
  return db.transaction(async (tx) => {
    const org = await orgOf(tx, input.orgId);
    const regionId = await checkRegion(tx, org.id, input.regionId);
    const now = input.now ?? new Date();
    const reference = await nextReference(tx, org, now);
    const hasConsent = Boolean(input.consentGivenOn);
    const [household] = await tx
      .insert(households)
      .values({
        orgId: org.id,
        reference,
        regionId,
        address: input.address || null,
        vulnerabilityTags: [...new Set(input.tags ?? [])],
        consentGivenOn: input.consentGivenOn || null,
        consentRecordedBy: hasConsent ? createdBy : null,
        consentPublish: hasConsent && Boolean(input.consentPublish),
        consentSharePartners: hasConsent && Boolean(input.consentSharePartners),
        createdBy,
      })
      .returning();
    const memberRows = [
      {
        fullName: input.head.fullName,
        sex: input.head.sex,
        birthYear: input.head.birthYear ?? null,
        relation: "head" as const,
        isHead: true,
        disability: input.head.disability || null,
        schoolEnrolment: "not_applicable" as const,
      },
      ...(input.members ?? []).map((m) => ({
        fullName: m.fullName,
        sex: m.sex,
        birthYear: m.birthYear ?? null,
        relation: m.relation,
        isHead: false,
        disability: m.disability || null,
        schoolEnrolment: m.schoolEnrolment,
      })),
    ];
    const members = await tx
      .insert(householdMembers)
      .values(memberRows.map((m) => ({ ...m, householdId: household.id, orgId: org.id })))
      .returning();
    const head = members.find((m) => m.isHead)!;
    const identifiers = await insertIdentifiers(tx, household, org.country, [
      ...(input.phones ?? []).map((value, i) => ({ kind: "phone" as const, value, memberId: head.id, field: `phones[${i}]` })),
      ...(input.ids ?? []).map((id, i) => ({ kind: id.kind, value: id.value, memberId: head.id, field: `ids[${i}].value` })),
    ]);
    await refreshSearchText(tx, household);
    const summary = {
      reference,
      members: members.length,
      identifiers: identifiers.map((i) => i.kind),
      regionId,
      tags: household.vulnerabilityTags,
      consent: hasConsent
        ? { givenOn: household.consentGivenOn, publish: household.consentPublish, sharePartners: household.consentSharePartners }
        : null,
    };
    await addEvent(tx, household, input.actor, "registered", summary, now.toISOString().slice(0, 10));
    if (hasConsent) {
      await addEvent(tx, household, input.actor, "consent_recorded", summary.consent!, household.consentGivenOn);
    }
    await audit(tx, input.actor, household, "create", summary);
    const duplicates = identifiers.length > 0 ? await detectDuplicates(tx, { orgId: org.id, householdId: household.id }) : 0;
    const [fresh] = await tx.select().from(households).where(eq(households.id, household.id));
    return { household: fresh, duplicates };
  });
}

// ---------------------------------------------------------------- changes

/** Corrects region, address and tags (a correction, not a move); before and after go on the timeline. */
export async function updateHousehold(
  db: Db,
  input: { orgId: string; actor: Actor; householdId: string; regionId?: string | null; address?: string | null; tags: VulnerabilityTag[] },
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    const regionId = await checkRegion(tx, input.orgId, input.regionId);
    const after = { regionId, address: input.address || null, tags: [...new Set(input.tags)].sort() };
    const before = { regionId: household.regionId, address: household.address, tags: [...household.vulnerabilityTags].sort() };
    if (JSON.stringify(before) === JSON.stringify(after)) return household;
    const [updated] = await tx
      .update(households)
      .set({ regionId: after.regionId, address: after.address, vulnerabilityTags: after.tags, updatedAt: new Date() })
      .where(eq(households.id, household.id))
      .returning();
    await addEvent(tx, household, input.actor, "updated", { before, after });
    await audit(tx, input.actor, household, "update", { before, after });
    return updated;
  });
}

/** The household moved: the new region and address replace the old ones, which the timeline keeps. */
export async function moveHousehold(
  db: Db,
  input: {
    orgId: string;
    actor: Actor;
    householdId: string;
    regionId?: string | null;
    address?: string | null;
    occurredOn: string;
    note?: string | null;
  },
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    const regionId = await checkRegion(tx, input.orgId, input.regionId);
    const details = {
      from: { regionId: household.regionId, address: household.address },
      to: { regionId, address: input.address || null },
      note: input.note || null,
    };
    const [updated] = await tx
      .update(households)
      .set({ regionId, address: input.address || null, updatedAt: new Date() })
      .where(eq(households.id, household.id))
      .returning();
    await addEvent(tx, household, input.actor, "moved", details, input.occurredOn);
    await audit(tx, input.actor, household, "move", { ...details, occurredOn: input.occurredOn });
    return updated;
  });
}

export async function changeStatus(
  db: Db,
  input: { orgId: string; actor: Actor; householdId: string; status: HouseholdStatus; note?: string | null },
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    if (household.status === input.status) throw new OrgRuleError("registry:errors.sameStatus", "status", 409);
    const [updated] = await tx
      .update(households)
      .set({ status: input.status, updatedAt: new Date() })
      .where(eq(households.id, household.id))
      .returning();
    const details = { before: household.status, after: input.status, note: input.note || null };
    await addEvent(tx, household, input.actor, "status_changed", details);
    await audit(tx, input.actor, household, "status", details);
    return updated;
  });
}

/** Records the beneficiary's consent (date and scopes) as given now; the previous consent stays on the timeline. */
export async function recordConsent(
  db: Db,
  input: { orgId: string; actor: Actor; householdId: string; givenOn: string; publish: boolean; sharePartners: boolean },
) {
  return db.transaction(async (tx) => {
    const household = await householdOf(tx, input.orgId, input.householdId, true);
    const [updated] = await tx
      .update(households)
      .set({
        consentGivenOn: input.givenOn,
        consentRecordedBy: input.actor.userId,
        consentPublish: input.publish,
        consentSharePartners: input.sharePartners,
        updatedAt: new Date(),
      })
      .where(eq(households.id, household.id))
      .returning();
    const details = {
      before: household.consentGivenOn
        ? { givenOn: household.consentGivenOn, publish: household.consentPublish, sharePartners: household.consentSharePartners }
        : null,
      givenOn: input.givenOn,
      publish: input.publish,
      sharePartners: input.sharePartners,
    };
    await addEvent(tx, household, input.actor, "consent_recorded", details, input.givenOn);
    await audit(tx, input.actor, household, "consent", details);
    return updated;
  });
}
