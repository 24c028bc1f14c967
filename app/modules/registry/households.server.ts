import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "#db/client.server";
import {
  householdEvents,
  householdIdentifiers,
  householdMembers,
  households,
  orgCounters,
  organizations,
  regions,
  users,
} from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { normalizeText } from "~/modules/anonymization/normalize";
import { OrgNotFoundError, OrgRuleError } from "~/modules/organizations/errors";
import { detectDuplicates, identityHashSecret } from "./duplicates.server";
import {
  keyedHash,
  maskIdentifier,
  normalizeIdentifier,
  phoneSearchDigits,
  type IdentifierKind,
} from "./identifiers";
import type { HouseholdStatus, MemberInput, VulnerabilityTag } from "./schemas";

/**
 * The private household registry: one transaction per operation, each writing the household's
 * timeline (kept as history, never overwritten) and the audit log.
 */

type Household = typeof households.$inferSelect;
type Member = typeof householdMembers.$inferSelect;
type EventKind = (typeof householdEvents.$inferInsert)["kind"];

export const HOUSEHOLDS_PAGE_SIZE = 25;

// ---------------------------------------------------------------- shared steps

/** The household, if it belongs to this organisation; else 404. Locks the row when writing. */
async function householdOf(tx: DbOrTx, orgId: string, householdId: string, lock = false): Promise<Household> {
  const query = tx
    .select()
    .from(households)
    .where(and(eq(households.id, householdId), eq(households.orgId, orgId)))
    .limit(1);
  const [row] = lock ? await query.for("update") : await query;
  if (!row) throw new OrgNotFoundError("household");
  return row;
}

async function memberOf(tx: DbOrTx, orgId: string, householdId: string, memberId: string): Promise<Member> {
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
async function checkRegion(tx: DbOrTx, orgId: string, regionId: string | null | undefined): Promise<string | null> {
  if (!regionId) return null;
  const [row] = await tx
    .select({ id: regions.id })
    .from(regions)
    .where(and(eq(regions.id, regionId), eq(regions.orgId, orgId)))
    .limit(1);
  if (!row) throw new OrgNotFoundError("region");
  return row.id;
}

async function addEvent(
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

async function audit(tx: DbOrTx, actor: Actor, household: { id: string; orgId: string }, action: string, change: Record<string, unknown>) {
  await recordAudit(tx, actor, {
    orgId: household.orgId,
    action: `household.${action}`,
    entityType: "household",
    entityId: household.id,
    change,
  });
}

/** Recomputes the staff search text: every member's name, the reference and the phones' digits. */
async function refreshSearchText(tx: DbOrTx, household: { id: string; reference: string }) {
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
async function nextReference(tx: DbOrTx, org: { id: string; country: string; timeZone: string }, now: Date): Promise<string> {
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
async function insertIdentifiers(
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

async function orgOf(tx: DbOrTx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).limit(1);
  if (!org) throw new OrgNotFoundError("organisation");
  return org;
}

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

// ---------------------------------------------------------------- reading

export interface HouseholdEventView {
  id: number;
  kind: EventKind;
  occurredOn: string | null;
  details: Record<string, unknown>;
  actorName: string | null;
  createdAt: Date;
}

/** Everything the household page shows, for staff of its organisation only (else 404). */
export async function getHousehold(db: DbOrTx, orgId: string, householdId: string) {
  const household = await householdOf(db, orgId, householdId);
  const [members, identifiers, events, recorder] = await Promise.all([
    db
      .select()
      .from(householdMembers)
      .where(and(eq(householdMembers.householdId, household.id), eq(householdMembers.orgId, orgId)))
      .orderBy(desc(householdMembers.isHead), asc(householdMembers.createdAt), asc(householdMembers.id)),
    db
      .select({
        id: householdIdentifiers.id,
        kind: householdIdentifiers.kind,
        value: householdIdentifiers.value,
        normalized: householdIdentifiers.normalized,
        memberId: householdIdentifiers.memberId,
        createdAt: householdIdentifiers.createdAt,
      })
      .from(householdIdentifiers)
      .where(and(eq(householdIdentifiers.householdId, household.id), eq(householdIdentifiers.orgId, orgId)))
      .orderBy(asc(householdIdentifiers.createdAt), asc(householdIdentifiers.id)),
    db
      .select({
        id: householdEvents.id,
        kind: householdEvents.kind,
        occurredOn: householdEvents.occurredOn,
        details: householdEvents.details,
        actorName: users.displayName,
        createdAt: householdEvents.createdAt,
      })
      .from(householdEvents)
      .leftJoin(users, eq(users.id, householdEvents.actorId))
      .where(and(eq(householdEvents.householdId, household.id), eq(householdEvents.orgId, orgId)))
      .orderBy(desc(householdEvents.createdAt), desc(householdEvents.id)),
    household.consentRecordedBy
      ? db.select({ name: users.displayName }).from(users).where(eq(users.id, household.consentRecordedBy))
      : Promise.resolve([]),
  ]);
  return {
    household,
    members,
    identifiers,
    events: events as HouseholdEventView[],
    consentRecordedByName: recorder[0]?.name ?? null,
  };
}

export interface HouseholdListItem {
  id: string;
  reference: string;
  headName: string | null;
  regionId: string | null;
  status: HouseholdStatus;
  tags: string[];
  members: number;
  createdAt: Date;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Conditions of a staff search: names (Arabic-normalized, every word), reference, phone digits. */
export function searchConditions(q: string | undefined): SQL[] {
  if (!q) return [];
  const normalized = normalizeText(q).trim();
  if (!normalized) return [];
  const compact = normalized.replace(/[\s\-().+]/g, "");
  if (/^\d{3,}$/.test(compact)) {
    return [sql`${households.searchText} like ${`%${compact}%`}`];
  }
  const terms = normalized.match(/[\p{L}\p{N}-]+/gu) ?? [];
  return terms.slice(0, 8).map((term) => sql`${households.searchText} ilike ${`%${escapeLike(term)}%`} escape '\\'`);
}

/** One page of the organisation's households, newest first, with the total. */
export async function listHouseholds(
  db: DbOrTx,
  input: {
    orgId: string;
    q?: string;
    status?: HouseholdStatus;
    regionId?: string;
    tag?: string;
    page?: number;
    pageSize?: number;
  },
): Promise<{ households: HouseholdListItem[]; total: number; page: number; pages: number }> {
  const pageSize = input.pageSize ?? HOUSEHOLDS_PAGE_SIZE;
  const conditions: SQL[] = [eq(households.orgId, input.orgId), ...searchConditions(input.q)];
  if (input.status) conditions.push(eq(households.status, input.status));
  if (input.tag) conditions.push(sql`${input.tag} = any(${households.vulnerabilityTags})`);
  if (input.regionId) {
    // The region and everything under it, within this organisation's tree.
    conditions.push(sql`${households.regionId} in (
      with recursive below as (
        select id from regions where id = ${input.regionId} and org_id = ${input.orgId}
        union all
        select r.id from regions r join below b on r.parent_id = b.id
      ) select id from below)`);
  }
  const where = and(...conditions);
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(households).where(where);
  const pages = Math.max(1, Math.ceil(Number(total) / pageSize));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const rows = await db
    .select({
      id: households.id,
      reference: households.reference,
      regionId: households.regionId,
      status: households.status,
      tags: households.vulnerabilityTags,
      createdAt: households.createdAt,
    })
    .from(households)
    .where(where)
    .orderBy(desc(households.createdAt), desc(households.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  const ids = rows.map((r) => r.id);
  const memberRows = ids.length
    ? await db
        .select({
          householdId: householdMembers.householdId,
          fullName: householdMembers.fullName,
          isHead: householdMembers.isHead,
          status: householdMembers.status,
        })
        .from(householdMembers)
        .where(and(inArray(householdMembers.householdId, ids), eq(householdMembers.orgId, input.orgId)))
    : [];
  return {
    households: rows.map((r) => {
      const mine = memberRows.filter((m) => m.householdId === r.id);
      return {
        ...r,
        headName: mine.find((m) => m.isHead)?.fullName ?? null,
        members: mine.filter((m) => m.status === "present").length,
      };
    }),
    total: Number(total),
    page,
    pages,
  };
}
