/** Reading households: the household page's data and the searchable, paged list. */
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { householdEvents, householdIdentifiers, householdMembers, households, users } from "#db/schema";
import { normalizeText } from "~/modules/anonymization/normalize";
import type { HouseholdStatus } from "./schemas";
import { householdOf, type EventKind } from "./household-steps.server";

export const HOUSEHOLDS_PAGE_SIZE = 25;

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
