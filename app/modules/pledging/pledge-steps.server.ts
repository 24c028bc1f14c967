/**
 * The steps pledge operations share: lock a need or a pledge, release a reservation, settle a need's
 * state, count a pledge as received, require a staff role, resolve item lines.
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx, Tx } from "#db/client.server";
import { preparedOnce } from "#db/prepared.server";
import type { Role } from "~/modules/organizations/roles";
import { memberships, needItems, needs, orgPaymentDetails, organizations, pledgeItems, pledges } from "#db/schema";
import type { Actor } from "~/modules/audit/audit.server";
import type { Locale } from "~/utils/i18n";
import { PledgeError } from "./errors";
import { applySystemTransition } from "~/modules/needs/needs.server";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Pledging: a pledge reserves part of a need. Every operation that moves money is one transaction
 * that first locks the need's row (`SELECT … FOR UPDATE`), so `reserved + paid ≤ target` holds with
 * any number of donors at once (the CHECK `needs_capacity` backs it up). Lock order is always
 * need, then pledge, so operations never deadlock each other.
 *
 * Counters on the need (see db/schema/pledging.ts for the statuses):
 * - reserved_minor: Σ (amount − paid) over pending + awaiting_payment + offered pledges;
 * - paid_minor: the need's fund in the ledger (payments module) + received in-kind deliveries;
 *   reaching the target makes the need `funded` (by the person or the system), falling below
 *   makes it `published` again;
 * - donor_count: pledges with money in (paid_minor > 0) and received deliveries — a donor is
 *   counted once money arrives, never for a promise.
 */

export type Pledge = typeof pledges.$inferSelect;

export type PledgeMethod = Pledge["method"];

type Need = typeof needs.$inferSelect;

export const OFFLINE_METHODS = ["bank_transfer", "cash", "money_transfer"] as const satisfies readonly PledgeMethod[];

export const DONOR_METHODS = ["bank_transfer", "cash", "money_transfer", "card"] as const satisfies readonly PledgeMethod[];

/** Statuses that hold capacity as `reserved_minor`. */
export const RESERVING: Pledge["status"][] = ["pending", "awaiting_payment", "offered"];

/** Statuses whose money counts in `paid_minor`. */
export const COUNTED: Pledge["status"][] = ["paid", "received"];

export const UUID = UUID_PATTERN;

export interface ItemLineInput {
  /** The need item's position (as the public projection lists them) or its id. */
  position?: number;
  needItemId?: string;
  quantity: number;
}

export interface CreatePledgeInput {
  needPublicId: string;
  amountMinor: number;
  currency: string;
  method: PledgeMethod;
  email: string;
  donorUserId?: string | null;
  displayName?: string | null;
  anonymous?: boolean;
  message?: string | null;
  idempotencyKey: string;
  locale: Locale;
  /** In-kind: the item lines chosen; the amount becomes their total. */
  items?: ItemLineInput[];
  /** For absolute links in the email, e.g. https://tadamon.example */
  origin: string;
  now?: Date;
  /**
   * The request's client IP: when given (every route does), the pledge counts against the rate
   * limits per IP and per email (PLEDGE_LIMITS) and is refused with `rate_limited` over them.
   * Trusted callers (the demo seed) leave it out.
   */
  rateLimit?: { ip: string } | null;
  /** Whether the platform takes cards; default PLATFORM_CARD_PAYMENTS (off until the payments issue). */
  cardPayments?: boolean;
  /** The donor gives this as zakat (issue 12): only to a zakat-eligible need. */
  zakat?: boolean;
}

export interface CreatePledgeResult {
  pledge: Pledge;
  /** False when the idempotency key found an earlier pledge (a double submit). */
  created: boolean;
  /** A guest's offline pledge: the confirmation token emailed to the donor (only its hash is stored). */
  confirmToken?: string | null;
}

/** The random token a pledge form carries, so a double submit never makes two pledges. */
export function newIdempotencyKey(): string {
  return randomBytes(18).toString("base64url");
}

// ---------------------------------------------------------------- helpers

/** The columns a pledge reads of its need (not the long texts: stories, search text). */
const pledgeNeedColumns = {
  id: needs.id,
  orgId: needs.orgId,
  state: needs.state,
  category: needs.category,
  currency: needs.currency,
  titleAr: needs.titleAr,
  titleEn: needs.titleEn,
  targetMinor: needs.targetMinor,
  reservedMinor: needs.reservedMinor,
  paidMinor: needs.paidMinor,
  zakatCategory: needs.zakatCategory,
  sponsorshipMonths: needs.sponsorshipMonths,
};

export type PledgeNeed = Pick<Need, keyof typeof pledgeNeedColumns>;

/** Locks a need by its public id (`FOR UPDATE`) and reads what a new pledge checks. */
export async function lockNeedByPublicId(tx: Tx, publicId: string): Promise<PledgeNeed> {
  if (typeof publicId !== "string" || !/^[0-9A-Z]{6,32}$/i.test(publicId)) throw new PledgeError("need_not_found");
  const [need] = await preparedOnce(tx, "lock-need-by-public-id", () =>
    tx.select(pledgeNeedColumns).from(needs).where(eq(needs.publicId, sql.placeholder("publicId"))).for("update"),
  ).execute({ publicId });
  if (!need) throw new PledgeError("need_not_found");
  return need;
}

async function lockNeedById(tx: Tx, needId: string): Promise<Need> {
  const [need] = await tx.select().from(needs).where(eq(needs.id, needId)).for("update");
  if (!need) throw new PledgeError("need_not_found");
  return need;
}

/**
 * Locks the need then the pledge (the one lock order), re-reading the pledge under the lock. A
 * fund pledge (issue 12) has no need: only the pledge is locked, and `need` is null.
 */
export async function lockPledge(tx: Tx, where: ReturnType<typeof eq>): Promise<{ pledge: Pledge; need: Need | null }> {
  const [peek] = await tx.select({ needId: pledges.needId }).from(pledges).where(where).limit(1);
  if (!peek) throw new PledgeError("pledge_not_found");
  const need = peek.needId ? await lockNeedById(tx, peek.needId) : null;
  const [pledge] = await tx.select().from(pledges).where(where).for("update");
  if (!pledge) throw new PledgeError("pledge_not_found");
  return { pledge, need };
}

/**
 * Gives back what a live pledge still holds (amount − paid) and ends it. A pledge that already
 * received part of its money ends `part_paid` (its paid part stays counted); otherwise `status`.
 * The donor count does not move: a donor is counted once money arrives, never for a promise.
 * Call under the need's then the pledge's row lock.
 */
export async function releaseReservation(tx: Tx, pledge: Pledge, need: Pick<Need, "id"> | null, now: Date, status: "cancelled" | "expired" | "declined") {
  const outstanding = pledge.amountMinor - pledge.paidMinor;
  // A fund pledge (need null) reserved nothing.
  if (outstanding > 0 && need) {
    await tx
      .update(needs)
      .set({ reservedMinor: sql`${needs.reservedMinor} - ${outstanding}`, updatedAt: now })
      .where(eq(needs.id, need.id));
  }
  const finalStatus = pledge.paidMinor > 0 ? "part_paid" : status;
  const [updated] = await tx
    .update(pledges)
    .set({ status: finalStatus, releasedAt: now, updatedAt: now, ...(status === "cancelled" ? { cancelledAt: now } : {}) })
    .where(eq(pledges.id, pledge.id))
    .returning();
  return updated;
}

/**
 * After the need's paid total moved: `published` → `funded` when paid reaches the target, `funded`
 * → `published` when it fell below. The actor is the person whose act caused it, or the system
 * (SYSTEM_ACTOR: need_transitions.actor_id and the audit actor null). Returns what happened.
 */
export async function settleNeedState(tx: Tx, actor: Actor, needId: string, now: Date): Promise<"funded" | "unfunded" | null> {
  const [need] = await tx.select().from(needs).where(eq(needs.id, needId));
  if (!need) return null;
  if (need.state === "published" && need.paidMinor >= need.targetMinor) {
    const moved = await applySystemTransition(tx, actor, need, "fund", { now, change: { paidMinor: need.paidMinor, currency: need.currency } });
    return moved ? "funded" : null;
  }
  if (need.state === "funded" && need.paidMinor < need.targetMinor) {
    const moved = await applySystemTransition(tx, actor, need, "unfund", { now, change: { paidMinor: need.paidMinor, currency: need.currency } });
    return moved ? "unfunded" : null;
  }
  return null;
}

/** An in-kind delivery received: its whole amount moves from reserved to paid; the donor is counted. */
export async function countAsReceived(tx: Tx, actor: Actor, pledge: Pledge, need: Need, now: Date) {
  const outstanding = pledge.amountMinor - pledge.paidMinor;
  await tx
    .update(needs)
    .set({
      reservedMinor: sql`${needs.reservedMinor} - ${outstanding}`,
      paidMinor: sql`${needs.paidMinor} + ${outstanding}`,
      donorCount: pledge.paidMinor > 0 ? needs.donorCount : sql`${needs.donorCount} + 1`,
      updatedAt: now,
    })
    .where(eq(needs.id, need.id));
  const [updated] = await tx
    .update(pledges)
    .set({ status: "received", paidMinor: pledge.amountMinor, paidAt: now, updatedAt: now })
    .where(eq(pledges.id, pledge.id))
    .returning();
  const funded = (await settleNeedState(tx, actor, need.id, now)) === "funded";
  return { pledge: updated, funded };
}

export async function requireStaff(tx: Tx, actor: Actor, orgId: string, roles: readonly Role[]) {
  if (!actor.userId) throw new PledgeError("not_allowed");
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId)));
  if (!rows.some((r) => roles.includes(r.role))) throw new PledgeError("not_allowed");
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The chosen item lines, checked against what is still unpledged of each line. */
export async function resolveItems(tx: Tx, need: Pick<Need, "id" | "category">, lines: ItemLineInput[]) {
  if (need.category !== "in_kind_item" || lines.length === 0) throw new PledgeError("items_invalid");
  const rows = await tx.select().from(needItems).where(eq(needItems.needId, need.id)).orderBy(asc(needItems.position));
  const taken = await tx
    .select({ needItemId: pledgeItems.needItemId, quantity: sql<number>`coalesce(sum(${pledgeItems.quantity}), 0)::int` })
    .from(pledgeItems)
    .innerJoin(pledges, eq(pledges.id, pledgeItems.pledgeId))
    .where(and(eq(pledges.needId, need.id), inArray(pledges.status, [...RESERVING, ...COUNTED])))
    .groupBy(pledgeItems.needItemId);
  const out: { needItemId: string; quantity: number; amountMinor: number }[] = [];
  for (const line of lines) {
    const item = rows.find((r) => (line.needItemId ? r.id === line.needItemId : r.position === line.position));
    if (!item || !Number.isInteger(line.quantity) || line.quantity < 1) throw new PledgeError("items_invalid");
    if (out.some((o) => o.needItemId === item.id)) throw new PledgeError("items_invalid");
    const already = Number(taken.find((t) => t.needItemId === item.id)?.quantity ?? 0);
    if (already + line.quantity > item.quantity) throw new PledgeError("item_unavailable");
    out.push({ needItemId: item.id, quantity: line.quantity, amountMinor: line.quantity * item.unitCostMinor });
  }
  return out;
}

export async function getPaymentDetails(db: DbOrTx, orgId: string) {
  const [row] = await preparedOnce(db, "org-payment-details", () =>
    db.select().from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, sql.placeholder("orgId"))).limit(1),
  ).execute({ orgId });
  return row ?? null;
}

/**
 * The organisation, its payment details (null when it has none) and the id of the pledge already
 * made with `idempotencyKey` (null: none), in one query — what a new pledge reads once its need is
 * locked.
 */
export async function getOrgWithPaymentDetails(db: DbOrTx, orgId: string, idempotencyKey: string) {
  const [row] = await preparedOnce(db, "org-with-payment-details", () =>
    db
      .select({
        org: organizations,
        details: orgPaymentDetails,
        replayId: sql<string | null>`(select ${pledges.id} from ${pledges} where ${pledges.idempotencyKey} = ${sql.placeholder("idempotencyKey")})`,
      })
      .from(organizations)
      .leftJoin(orgPaymentDetails, eq(orgPaymentDetails.orgId, organizations.id))
      .where(eq(organizations.id, sql.placeholder("orgId")))
      .limit(1),
  ).execute({ orgId, idempotencyKey });
  return { org: row?.org ?? null, details: row?.details ?? null, replayId: row?.replayId ?? null };
}

/**
 * For staff lists of pledges joined (left) to their need: the need's title, or for a gift to the
 * solidarity fund (issue 12) the fund's name — "Zakat fund" for zakat.
 */
export function fundOrNeedTitle(locale: "ar" | "en") {
  const column = locale === "ar" ? needs.titleAr : needs.titleEn;
  const [solidarity, zakat] = locale === "ar" ? ["صندوق التضامن", "صندوق الزكاة"] : ["Solidarity fund", "Zakat fund"];
  return sql<string | null>`case when ${pledges.needId} is null then (case when ${pledges.zakat} then ${zakat} else ${solidarity} end) else ${column} end`;
}
