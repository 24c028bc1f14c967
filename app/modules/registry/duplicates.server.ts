import { and, asc, desc, eq, inArray, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db, DbOrTx } from "#db/client.server";
import { duplicateMatches, householdEvents, householdIdentifiers, households, organizations, users } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { OrgNotFoundError } from "~/modules/organizations/errors";
import { env } from "~/utils/env.server";
import type { DUPLICATE_DECISIONS } from "./schemas";

/**
 * Duplicate detection across organisations. Only keyed hashes are compared; a match is recorded
 * once per side, and each side sees only the other organisation's name and household reference.
 */

/** Used outside production when IDENTITY_HASH_SECRET is unset (env validation requires it in production). */
const DEVELOPMENT_SECRET = "tadamon-development-identity-hash-secret-not-for-production";

export function identityHashSecret(): string {
  const config = env();
  if (config.IDENTITY_HASH_SECRET) return config.IDENTITY_HASH_SECRET;
  if (config.NODE_ENV === "production") throw new Error("IDENTITY_HASH_SECRET is required in production");
  return DEVELOPMENT_SECRET;
}

export interface DuplicateWarning {
  id: string;
  otherOrg: { nameAr: string; nameEn: string };
  otherReference: string;
  matchedOn: string[];
  decision: "pending" | "same" | "different" | "coordinated";
  note: string | null;
  decidedAt: Date | null;
  decidedByName: string | null;
  createdAt: Date;
}

/**
 * Looks for other organisations' households sharing a keyed hash with this one and records a
 * match on both sides (one row each; a pair already known only gains the new kinds). Runs inside
 * the caller's transaction. Returns how many other households match.
 */
export async function detectDuplicates(tx: DbOrTx, input: { orgId: string; householdId: string }): Promise<number> {
  const mine = alias(householdIdentifiers, "mine");
  const theirs = alias(householdIdentifiers, "theirs");
  const rows = await tx
    .select({
      otherHouseholdId: theirs.householdId,
      otherOrgId: theirs.orgId,
      myKind: mine.kind,
      theirKind: theirs.kind,
    })
    .from(mine)
    .innerJoin(theirs, eq(theirs.keyedHash, mine.keyedHash))
    .where(and(eq(mine.householdId, input.householdId), eq(mine.orgId, input.orgId), ne(theirs.orgId, input.orgId)));
  const byOther = new Map<string, { otherOrgId: string; mine: Set<string>; theirs: Set<string> }>();
  for (const row of rows) {
    const entry = byOther.get(row.otherHouseholdId) ?? { otherOrgId: row.otherOrgId, mine: new Set(), theirs: new Set() };
    entry.mine.add(row.myKind);
    entry.theirs.add(row.theirKind);
    byOther.set(row.otherHouseholdId, entry);
  }
  for (const [otherHouseholdId, entry] of byOther) {
    const sides = [
      { orgId: input.orgId, householdId: input.householdId, otherOrgId: entry.otherOrgId, otherHouseholdId, matchedOn: [...entry.mine].sort() },
      { orgId: entry.otherOrgId, householdId: otherHouseholdId, otherOrgId: input.orgId, otherHouseholdId: input.householdId, matchedOn: [...entry.theirs].sort() },
    ];
    for (const side of sides) {
      await tx
        .insert(duplicateMatches)
        .values(side)
        .onConflictDoUpdate({
          target: [duplicateMatches.householdId, duplicateMatches.otherHouseholdId],
          set: {
            matchedOn: sql`array(select distinct k from unnest(${duplicateMatches.matchedOn} || excluded.matched_on) as k order by k)`,
          },
        });
    }
  }
  return byOther.size;
}

const otherHouseholds = alias(households, "other_households");
const otherOrgs = alias(organizations, "other_orgs");

const warningColumns = {
  id: duplicateMatches.id,
  otherOrgNameAr: otherOrgs.nameAr,
  otherOrgNameEn: otherOrgs.nameEn,
  otherReference: otherHouseholds.reference,
  matchedOn: duplicateMatches.matchedOn,
  decision: duplicateMatches.decision,
  note: duplicateMatches.note,
  decidedAt: duplicateMatches.decidedAt,
  decidedByName: users.displayName,
  createdAt: duplicateMatches.createdAt,
};

function toWarning(row: {
  id: string;
  otherOrgNameAr: string;
  otherOrgNameEn: string;
  otherReference: string;
  matchedOn: string[];
  decision: DuplicateWarning["decision"];
  note: string | null;
  decidedAt: Date | null;
  decidedByName: string | null;
  createdAt: Date;
}): DuplicateWarning {
  return {
    id: row.id,
    otherOrg: { nameAr: row.otherOrgNameAr, nameEn: row.otherOrgNameEn },
    otherReference: row.otherReference,
    matchedOn: row.matchedOn,
    decision: row.decision,
    note: row.note,
    decidedAt: row.decidedAt,
    decidedByName: row.decidedByName,
    createdAt: row.createdAt,
  };
}

/** The matches of one household of this organisation: the other side's organisation and reference only. */
export async function listDuplicateWarnings(db: DbOrTx, orgId: string, householdId: string): Promise<DuplicateWarning[]> {
  const rows = await db
    .select(warningColumns)
    .from(duplicateMatches)
    .innerJoin(otherHouseholds, eq(otherHouseholds.id, duplicateMatches.otherHouseholdId))
    .innerJoin(otherOrgs, eq(otherOrgs.id, duplicateMatches.otherOrgId))
    .leftJoin(users, eq(users.id, duplicateMatches.decidedBy))
    .where(and(eq(duplicateMatches.orgId, orgId), eq(duplicateMatches.householdId, householdId)))
    .orderBy(sql`${duplicateMatches.decision} = 'pending' desc`, desc(duplicateMatches.createdAt), asc(duplicateMatches.id));
  return rows.map(toWarning);
}

export type DuplicateDecision = (typeof DUPLICATE_DECISIONS)[number];

/** This organisation's decision on its side of a match; on the household's timeline and audited. */
export async function decideDuplicate(
  db: Db,
  input: { orgId: string; actor: Actor; matchId: string; decision: DuplicateDecision; note?: string | null; householdId?: string },
) {
  return db.transaction(async (tx) => {
    const [match] = await tx
      .select()
      .from(duplicateMatches)
      .where(and(eq(duplicateMatches.id, input.matchId), eq(duplicateMatches.orgId, input.orgId)))
      .for("update")
      .limit(1);
    if (!match || (input.householdId && match.householdId !== input.householdId)) throw new OrgNotFoundError("duplicate match");
    const [otherHousehold] = await tx
      .select({ reference: households.reference })
      .from(households)
      .where(eq(households.id, match.otherHouseholdId));
    const [updated] = await tx
      .update(duplicateMatches)
      .set({ decision: input.decision, note: input.note ?? null, decidedBy: input.actor.userId, decidedAt: new Date() })
      .where(eq(duplicateMatches.id, match.id))
      .returning();
    const details = {
      matchId: match.id,
      otherOrgId: match.otherOrgId,
      otherReference: otherHousehold?.reference ?? null,
      before: match.decision,
      decision: input.decision,
      note: input.note ?? null,
    };
    await tx.insert(householdEvents).values({
      householdId: match.householdId,
      orgId: input.orgId,
      kind: "duplicate_decided",
      details,
      actorId: input.actor.userId,
    });
    await recordAudit(tx, input.actor, {
      orgId: input.orgId,
      action: "household.duplicate_decide",
      entityType: "household",
      entityId: match.householdId,
      change: details,
    });
    return updated;
  });
}

export const DUPLICATES_PAGE_SIZE = 25;

export interface DuplicateReportRow extends DuplicateWarning {
  householdId: string;
  reference: string;
}

/** Every match of the organisation's households: pending first, then newest. */
export async function duplicatesReport(
  db: DbOrTx,
  input: { orgId: string; page?: number; pageSize?: number },
): Promise<{ rows: DuplicateReportRow[]; total: number; pending: number; page: number; pages: number }> {
  const pageSize = input.pageSize ?? DUPLICATES_PAGE_SIZE;
  const [counts] = await db
    .select({
      total: sql<number>`count(*)::int`,
      pending: sql<number>`count(*) filter (where ${duplicateMatches.decision} = 'pending')::int`,
    })
    .from(duplicateMatches)
    .where(eq(duplicateMatches.orgId, input.orgId));
  const total = Number(counts.total);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const rows = await db
    .select({ ...warningColumns, householdId: duplicateMatches.householdId, reference: households.reference })
    .from(duplicateMatches)
    .innerJoin(households, eq(households.id, duplicateMatches.householdId))
    .innerJoin(otherHouseholds, eq(otherHouseholds.id, duplicateMatches.otherHouseholdId))
    .innerJoin(otherOrgs, eq(otherOrgs.id, duplicateMatches.otherOrgId))
    .leftJoin(users, eq(users.id, duplicateMatches.decidedBy))
    .where(eq(duplicateMatches.orgId, input.orgId))
    .orderBy(sql`${duplicateMatches.decision} = 'pending' desc`, desc(duplicateMatches.createdAt), asc(duplicateMatches.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return {
    rows: rows.map((r) => ({ ...toWarning(r), householdId: r.householdId, reference: r.reference })),
    total,
    pending: Number(counts.pending),
    page,
    pages,
  };
}

/** How many matches each of the given households has awaiting this organisation's decision. */
export async function pendingDuplicateCounts(db: DbOrTx, orgId: string, householdIds: string[]): Promise<Map<string, number>> {
  if (householdIds.length === 0) return new Map();
  const rows = await db
    .select({ householdId: duplicateMatches.householdId, n: sql<number>`count(*)::int` })
    .from(duplicateMatches)
    .where(
      and(
        eq(duplicateMatches.orgId, orgId),
        eq(duplicateMatches.decision, "pending"),
        inArray(duplicateMatches.householdId, householdIds),
      ),
    )
    .groupBy(duplicateMatches.householdId);
  return new Map(rows.map((r) => [r.householdId, Number(r.n)]));
}
