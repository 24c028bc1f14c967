import { and, asc, desc, eq, inArray, isNotNull, isNull, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "#db/client.server";
import { needItems, needs, pledgeItems, pledges } from "#db/schema";
import { fundOrNeedTitle } from "./pledge-steps.server";
import { PLEDGE_STATUSES, type PledgeListFilter, type PledgeStatus } from "./staff";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * The queries of the staff pages about pledges (read only; every change goes through
 * pledges.server.ts): the organisation's pledges for finance, their counts per status, one pledge
 * of the organisation, and the pledges of a need with their item lines. Every query is scoped to
 * the organisation.
 */

export const ORG_PLEDGES_PAGE_SIZE = 25;
/** The need page lists at most this many pledges (offers waiting for a decision first). */
export const NEED_PLEDGES_LIMIT = 100;

const UUID = UUID_PATTERN;

export interface OrgPledgeRow {
  id: string;
  reference: string;
  /** Null for a gift to the solidarity fund (issue 12): then the titles are the fund's. */
  needId: string | null;
  needPublicId: string | null;
  needTitleAr: string | null;
  needTitleEn: string | null;
  amountMinor: number;
  currency: string;
  method: (typeof pledges.$inferSelect)["method"];
  status: PledgeStatus;
  displayName: string | null;
  anonymous: boolean;
  email: string;
  createdAt: Date;
  expiresAt: Date | null;
  paidAt: Date | null;
  releasedAt: Date | null;
  financeFlag: (typeof pledges.$inferSelect)["financeFlag"];
  latePaidMinor: number | null;
  confirmedAt: Date | null;
}

function filterWhere(orgId: string, filter: PledgeListFilter): SQL {
  const conditions: SQL[] = [eq(pledges.orgId, orgId)];
  if (filter.status) conditions.push(eq(pledges.status, filter.status));
  if (filter.method) conditions.push(eq(pledges.method, filter.method));
  if (filter.flag) conditions.push(isNotNull(pledges.financeFlag));
  if (filter.unconfirmed) conditions.push(eq(pledges.status, "pending"), isNull(pledges.confirmedAt));
  if (filter.q?.kind === "exact") conditions.push(eq(pledges.reference, filter.q.reference));
  // The fragment is letters and digits only (see referenceSearch), so it carries no LIKE wildcard.
  if (filter.q?.kind === "partial") conditions.push(sql`replace(${pledges.reference}, '-', '') like ${`%${filter.q.fragment}%`}`);
  return and(...conditions)!;
}

/**
 * One page of the organisation's pledges, newest first (the id breaks ties, so pages never overlap),
 * with the need's public titles. Two queries whatever the page: the count and the rows.
 */
export async function listOrgPledges(
  db: DbOrTx,
  input: { orgId: string; filter: PledgeListFilter; page?: number; pageSize?: number },
): Promise<{ pledges: OrgPledgeRow[]; total: number; page: number; pages: number }> {
  const pageSize = input.pageSize ?? ORG_PLEDGES_PAGE_SIZE;
  const where = filterWhere(input.orgId, input.filter);
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(pledges).where(where);
  const pages = Math.max(1, Math.ceil(Number(total) / pageSize));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const rows = await db
    .select({
      id: pledges.id,
      reference: pledges.reference,
      needId: pledges.needId,
      needPublicId: needs.publicId,
      needTitleAr: fundOrNeedTitle("ar"),
      needTitleEn: fundOrNeedTitle("en"),
      amountMinor: pledges.amountMinor,
      currency: pledges.currency,
      method: pledges.method,
      status: pledges.status,
      displayName: pledges.displayName,
      anonymous: pledges.anonymous,
      email: pledges.email,
      createdAt: pledges.createdAt,
      expiresAt: pledges.expiresAt,
      paidAt: pledges.paidAt,
      releasedAt: pledges.releasedAt,
      financeFlag: pledges.financeFlag,
      latePaidMinor: pledges.latePaidMinor,
      confirmedAt: pledges.confirmedAt,
    })
    .from(pledges)
    .leftJoin(needs, and(eq(needs.id, pledges.needId), eq(needs.orgId, pledges.orgId)))
    .where(where)
    .orderBy(desc(pledges.createdAt), desc(pledges.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { pledges: rows, total: Number(total), page, pages };
}

export interface PledgeStatusCounts {
  byStatus: Record<PledgeStatus, number>;
  total: number;
  /** Money that arrived for a cancelled or expired pledge, waiting for finance to resolve it. */
  needsResolution: number;
  /** Guests' pending pledges not confirmed yet (held 24 hours until the donor confirms). */
  unconfirmed: number;
}

/** How many of the organisation's pledges are in each status, and how many are flagged: one grouped query. */
export async function pledgeStatusCounts(db: DbOrTx, orgId: string): Promise<PledgeStatusCounts> {
  const rows = await db
    .select({
      status: pledges.status,
      n: sql<number>`count(*)::int`,
      flagged: sql<number>`(count(*) filter (where ${pledges.financeFlag} is not null))::int`,
      unconfirmed: sql<number>`(count(*) filter (where ${pledges.confirmedAt} is null))::int`,
    })
    .from(pledges)
    .where(eq(pledges.orgId, orgId))
    .groupBy(pledges.status);
  const byStatus = Object.fromEntries(PLEDGE_STATUSES.map((s) => [s, 0])) as Record<PledgeStatus, number>;
  let total = 0;
  let needsResolution = 0;
  let unconfirmed = 0;
  for (const row of rows) {
    if (row.status === "pending") unconfirmed += Number(row.unconfirmed);
    byStatus[row.status] = Number(row.n);
    total += Number(row.n);
    needsResolution += Number(row.flagged);
  }
  return { byStatus, total, needsResolution, unconfirmed };
}

/** A pledge of this organisation (what the actions check before calling the domain), or null. */
export async function findOrgPledge(db: DbOrTx, orgId: string, pledgeId: string) {
  if (!UUID.test(pledgeId)) return null;
  const [row] = await db
    .select({
      id: pledges.id,
      reference: pledges.reference,
      needId: pledges.needId,
      method: pledges.method,
      status: pledges.status,
      financeFlag: pledges.financeFlag,
    })
    .from(pledges)
    .where(and(eq(pledges.id, pledgeId), eq(pledges.orgId, orgId)))
    .limit(1);
  return row ?? null;
}

export interface NeedPledgeItem {
  needItemId: string;
  position: number;
  labelAr: string | null;
  labelEn: string | null;
  quantity: number;
  amountMinor: number;
}

export interface NeedPledgeRow {
  id: string;
  reference: string;
  amountMinor: number;
  currency: string;
  method: OrgPledgeRow["method"];
  status: PledgeStatus;
  displayName: string | null;
  anonymous: boolean;
  createdAt: Date;
  paidAt: Date | null;
  financeFlag: OrgPledgeRow["financeFlag"];
  items: NeedPledgeItem[];
}

/**
 * The pledges of one need of the organisation for its staff page: offers waiting for a decision
 * first, then newest first, at most NEED_PLEDGES_LIMIT, each with the item lines it pledged or
 * offers (pledge_items → need_items). No donor email: the need page is open to every staff role.
 * Two queries (the pledges, then their item lines), plus a count only when the list is cut.
 */
export async function listNeedPledges(
  db: DbOrTx,
  orgId: string,
  needId: string,
): Promise<{ pledges: NeedPledgeRow[]; total: number }> {
  if (!UUID.test(needId)) return { pledges: [], total: 0 };
  const where = and(eq(pledges.needId, needId), eq(pledges.orgId, orgId));
  const rows = await db
    .select({
      id: pledges.id,
      reference: pledges.reference,
      amountMinor: pledges.amountMinor,
      currency: pledges.currency,
      method: pledges.method,
      status: pledges.status,
      displayName: pledges.displayName,
      anonymous: pledges.anonymous,
      createdAt: pledges.createdAt,
      paidAt: pledges.paidAt,
      financeFlag: pledges.financeFlag,
    })
    .from(pledges)
    .where(where)
    .orderBy(desc(sql`${pledges.status} = 'offered'`), desc(pledges.createdAt), desc(pledges.id))
    .limit(NEED_PLEDGES_LIMIT);
  if (rows.length === 0) return { pledges: [], total: 0 };
  const lines = await db
    .select({
      pledgeId: pledgeItems.pledgeId,
      needItemId: pledgeItems.needItemId,
      position: needItems.position,
      labelAr: needItems.labelAr,
      labelEn: needItems.labelEn,
      quantity: pledgeItems.quantity,
      amountMinor: pledgeItems.amountMinor,
    })
    .from(pledgeItems)
    .innerJoin(needItems, and(eq(needItems.id, pledgeItems.needItemId), eq(needItems.needId, needId)))
    .where(inArray(pledgeItems.pledgeId, rows.map((r) => r.id)))
    .orderBy(asc(needItems.position));
  let total = rows.length;
  if (rows.length === NEED_PLEDGES_LIMIT) {
    const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(pledges).where(where);
    total = Number(n);
  }
  return {
    pledges: rows.map((row) => ({
      ...row,
      items: lines.filter((l) => l.pledgeId === row.id).map(({ pledgeId: _pledgeId, ...line }) => line),
    })),
    total,
  };
}
