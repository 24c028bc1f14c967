import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import {
  memberships,
  users,
  needItems,
  needs,
  organizations,
  regions,
  orgPaymentDetails,
  pledgeItems,
  pledges,
} from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { toPublicNeed, type PublicNeed } from "~/modules/anonymization/public-need";
import { formatDate, formatDateTime, formatMoney } from "~/utils/format";
import type { Locale } from "~/utils/i18n";
import { generateToken, hashToken } from "~/modules/identity/tokens";
import { checkLimits, recordHits, type LimitRule } from "~/modules/rate-limits/rate-limits.server";
import { PLEDGE_LIMITS, retryAfterSeconds } from "~/modules/rate-limits/rules";
import { cardAvailable, effectiveMinimum, remainingOf } from "./amounts";
import { PledgeError } from "./errors";
import { CARD_HOLD_MS, canConfirm, fullHoldUntil, initialHold } from "./holds";
import { PLATFORM_CARD_PAYMENTS, methodsMissingDetails, offeredMethods, type OfflineMethod, type PaymentMethod } from "./methods";
import { newReference, normalizeReference } from "./reference";
import { applySystemTransition } from "~/modules/needs/needs.server";
import { todayIn } from "~/modules/needs/money";
import { recordPayment } from "~/modules/payments/payments.server";
import { PaymentError } from "~/modules/payments/errors";

export { CARD_HOLD_MS };

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
const RESERVING: Pledge["status"][] = ["pending", "awaiting_payment", "offered"];
/** Statuses whose money counts in `paid_minor`. */
const COUNTED: Pledge["status"][] = ["paid", "received"];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

async function lockNeedByPublicId(tx: Tx, publicId: string): Promise<Need> {
  if (typeof publicId !== "string" || !/^[0-9A-Z]{6,32}$/i.test(publicId)) throw new PledgeError("need_not_found");
  const [need] = await tx.select().from(needs).where(eq(needs.publicId, publicId)).for("update");
  if (!need) throw new PledgeError("need_not_found");
  return need;
}

async function lockNeedById(tx: Tx, needId: string): Promise<Need> {
  const [need] = await tx.select().from(needs).where(eq(needs.id, needId)).for("update");
  if (!need) throw new PledgeError("need_not_found");
  return need;
}

/** Locks the need then the pledge (the one lock order), re-reading the pledge under the lock. */
async function lockPledge(tx: Tx, where: ReturnType<typeof eq>): Promise<{ pledge: Pledge; need: Need }> {
  const [peek] = await tx.select({ needId: pledges.needId }).from(pledges).where(where).limit(1);
  if (!peek) throw new PledgeError("pledge_not_found");
  const need = await lockNeedById(tx, peek.needId);
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
export async function releaseReservation(tx: Tx, pledge: Pledge, need: Pick<Need, "id">, now: Date, status: "cancelled" | "expired" | "declined") {
  const outstanding = pledge.amountMinor - pledge.paidMinor;
  if (outstanding > 0) {
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
async function countAsReceived(tx: Tx, actor: Actor, pledge: Pledge, need: Need, now: Date) {
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

async function requireStaff(tx: Tx, actor: Actor, orgId: string, roles: readonly (typeof memberships.$inferSelect)["role"][]) {
  if (!actor.userId) throw new PledgeError("not_allowed");
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, actor.userId)));
  if (!rows.some((r) => roles.includes(r.role))) throw new PledgeError("not_allowed");
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The chosen item lines, checked against what is still unpledged of each line. */
async function resolveItems(tx: Tx, need: Need, lines: ItemLineInput[]) {
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
  const [row] = await db.select().from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, orgId)).limit(1);
  return row ?? null;
}

// ---------------------------------------------------------------- create

/**
 * Creates a pledge: in one transaction, under the need's row lock. A second submit with the same
 * idempotency key answers the first pledge (created: false) and changes nothing.
 * Offline methods: `pending`, expiring after the organisation's number of days, with an
 * instructions email (reference code, amount, bank details) in the outbox.
 * Card: `awaiting_payment`, reserved the same way; the payments issue opens Stripe Checkout for it
 * and marks it paid (markPledgePaid) or lets it expire.
 * Delivery (in-kind, see offerDelivery): `offered`, reserved until staff receive or decline it.
 */
export async function createPledge(db: Db, input: CreatePledgeInput): Promise<CreatePledgeResult> {
  const now = input.now ?? new Date();
  const email = normalizeEmail(input.email);
  const key = String(input.idempotencyKey ?? "").trim();
  if (key.length < 16 || key.length > 100) throw new PledgeError("idempotency_conflict");
  return db.transaction(async (tx) => {
    const need = await lockNeedByPublicId(tx, input.needPublicId);

    // A double submit waits on the same row lock, then finds the first pledge here.
    const [existing] = await tx.select().from(pledges).where(eq(pledges.idempotencyKey, key)).limit(1);
    if (existing) {
      if (existing.needId !== need.id || existing.email !== email) throw new PledgeError("idempotency_conflict");
      return { pledge: existing, created: false };
    }

    if (need.state !== "published") throw new PledgeError("need_not_open", { state: need.state });
    if (input.currency.toUpperCase() !== need.currency) throw new PledgeError("currency_mismatch", { currency: need.currency });
    const details = await getPaymentDetails(tx, need.orgId);
    const cardPayments = input.cardPayments ?? PLATFORM_CARD_PAYMENTS;
    if (input.method === "card" && cardPayments && !cardAvailable(need.currency)) throw new PledgeError("card_unavailable");
    if (input.method === "delivery") {
      if (!input.items?.length) throw new PledgeError("items_invalid");
    } else if (!(offeredMethods(details, need.currency, cardPayments) as string[]).includes(input.method)) {
      throw new PledgeError("method_not_offered");
    }

    // Rate limits (decision 053): checked under the need's lock, after a replay has been answered
    // (a double submit is not a new pledge), counted below only once the pledge exists.
    const limitRules: LimitRule[] = input.rateLimit
      ? [
          { bucket: "pledge_ip", key: input.rateLimit.ip, limits: PLEDGE_LIMITS.ip },
          { bucket: "pledge_email", key: email, limits: PLEDGE_LIMITS.email },
        ]
      : [];
    if (limitRules.length) {
      const until = await checkLimits(tx, limitRules, now);
      if (until) throw new PledgeError("rate_limited", { retryAfterSeconds: retryAfterSeconds(until, now) });
    }

    const items = input.items?.length ? await resolveItems(tx, need, input.items) : [];
    const amountMinor = items.length ? items.reduce((s, i) => s + i.amountMinor, 0) : input.amountMinor;
    const remainingMinor = remainingOf(need);
    const currency = need.currency;
    if (remainingMinor <= 0) throw new PledgeError("need_full", { remainingMinor: 0, currency });
    if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) throw new PledgeError("below_minimum", { minimumMinor: effectiveMinimum(currency, remainingMinor), currency });
    if (amountMinor > remainingMinor) throw new PledgeError("above_remaining", { remainingMinor, currency });
    const minimumMinor = effectiveMinimum(currency, remainingMinor);
    if (!items.length && amountMinor < minimumMinor) throw new PledgeError("below_minimum", { minimumMinor, currency });

    const offline = (OFFLINE_METHODS as readonly string[]).includes(input.method);
    const status: Pledge["status"] = input.method === "card" ? "awaiting_payment" : input.method === "delivery" ? "offered" : "pending";
    // A signed-in donor whose address is verified gets the full period at once; a guest 24 hours.
    let verifiedDonor = false;
    if (input.donorUserId) {
      const [donor] = await tx
        .select({ email: users.email, verifiedAt: users.emailVerifiedAt })
        .from(users)
        .where(eq(users.id, input.donorUserId))
        .limit(1);
      verifiedDonor = Boolean(donor?.verifiedAt && donor.email === email);
    }
    const hold = initialHold(offline ? "offline" : input.method === "card" ? "card" : "delivery", {
      now,
      verifiedDonor,
      expiryDays: details?.pledgeExpiryDays,
    });
    const expiresAt = hold.expiresAt;
    const confirmToken = hold.confirmed ? null : generateToken();

    let pledge: Pledge | undefined;
    for (let attempt = 0; attempt < 5 && !pledge; attempt += 1) {
      [pledge] = await tx
        .insert(pledges)
        .values({
          reference: newReference(),
          needId: need.id,
          orgId: need.orgId,
          donorUserId: input.donorUserId ?? null,
          email,
          displayName: input.displayName?.trim() || null,
          anonymous: input.anonymous ?? false,
          message: input.message?.trim() || null,
          amountMinor,
          currency,
          method: input.method,
          status,
          idempotencyKey: key,
          expiresAt,
          confirmedAt: hold.confirmed ? now : null,
          confirmTokenHash: confirmToken ? hashToken(confirmToken) : null,
          locale: input.locale,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning();
      if (!pledge) {
        // Either the same key committed meanwhile for another need (no shared lock) or a reference collided.
        const [clash] = await tx.select({ id: pledges.id }).from(pledges).where(eq(pledges.idempotencyKey, key)).limit(1);
        if (clash) throw new PledgeError("idempotency_conflict");
      }
    }
    if (!pledge) throw new Error("could not allocate a pledge reference");

    if (items.length) await tx.insert(pledgeItems).values(items.map((i) => ({ ...i, pledgeId: pledge.id })));
    await tx
      .update(needs)
      .set({
        reservedMinor: sql`${needs.reservedMinor} + ${amountMinor}`,
        updatedAt: now,
      })
      .where(eq(needs.id, need.id));
    await recordHits(tx, limitRules, now);

    if (offline) {
      const [org] = await tx.select().from(organizations).where(eq(organizations.id, need.orgId)).limit(1);
      const title = (input.locale === "ar" ? need.titleAr ?? need.titleEn : need.titleEn ?? need.titleAr) ?? "";
      await enqueueEmail(tx, email, input.locale, {
        template: "pledge-instructions",
        data: {
          name: pledge.displayName ?? "",
          reference: pledge.reference,
          amount: formatMoney(amountMinor, currency, input.locale),
          needTitle: title,
          orgName: input.locale === "ar" ? org.nameAr : org.nameEn,
          method: input.method as "bank_transfer" | "cash" | "money_transfer",
          expiresOn: expiresAt ? formatDate(expiresAt, input.locale, org.timeZone) : "",
          // A guest confirms by this link within 24 hours (the URL carries the token: kept out of meta).
          confirmUrl: confirmToken ? `${input.origin}/pledges/${pledge.reference}/confirm?token=${confirmToken}` : null,
          confirmBy: confirmToken ? formatDateTime(expiresAt!, input.locale, org.timeZone) : null,
          holdsUntil: confirmToken ? formatDate(fullHoldUntil(now, details?.pledgeExpiryDays), input.locale, org.timeZone) : null,
          bank: details
            ? {
                bankName: details.bankName,
                accountName: details.accountName,
                accountNumber: details.accountNumber,
                swift: details.swift,
              }
            : null,
          instructions:
            input.method === "money_transfer"
              ? ((input.locale === "ar" ? details?.transferShopInstructionsAr : details?.transferShopInstructionsEn) ?? null)
              : input.method === "cash"
                ? ((input.locale === "ar" ? details?.officeInstructionsAr : details?.officeInstructionsEn) ?? null)
                : null,
          instructionsUrl: `${input.origin}/pledges/${pledge.reference}`,
        },
      });
    }
    return { pledge, created: true, confirmToken };
  });
}

/** In-kind: the donor offers to deliver an item themselves (`offered`); staff receive or decline. */
export async function offerDelivery(
  db: Db,
  input: Omit<CreatePledgeInput, "method" | "amountMinor" | "items"> & { item: ItemLineInput },
) {
  return createPledge(db, { ...input, method: "delivery", amountMinor: 0, items: [input.item] });
}

// ---------------------------------------------------------------- confirm (guests)

export type ConfirmCheck =
  | { outcome: "confirmable"; reference: string; expiresAt: Date }
  | { outcome: "already_confirmed"; reference: string };

/** The pledge a confirmation link names, checked without changing anything (the GET of the link). */
export async function checkConfirmation(db: DbOrTx, rawReference: string, token: string, now: Date = new Date()): Promise<ConfirmCheck> {
  const reference = normalizeReference(rawReference);
  if (!reference || typeof token !== "string" || token.length < 16 || token.length > 100) throw new PledgeError("confirm_invalid");
  const [pledge] = await db
    .select()
    .from(pledges)
    .where(and(eq(pledges.reference, reference), eq(pledges.confirmTokenHash, hashToken(token))))
    .limit(1);
  if (!pledge) throw new PledgeError("confirm_invalid");
  if (pledge.confirmedAt) return { outcome: "already_confirmed", reference };
  if (!canConfirm(pledge, now)) throw new PledgeError("confirm_expired");
  return { outcome: "confirmable", reference, expiresAt: pledge.expiresAt! };
}

/**
 * A guest confirms an offline pledge with the single-use token from the instructions email: the
 * pledge now holds for the organisation's full period (from its creation). A token works once: a
 * second use changes nothing (`already_confirmed`). An unknown token, or one for another
 * reference, is `confirm_invalid`; a pledge past its 24 hours (or no longer pending) `confirm_expired`.
 */
export async function confirmPledge(
  db: Db,
  input: { reference: string; token: string; now?: Date },
): Promise<{ outcome: "confirmed" | "already_confirmed"; pledge: Pledge }> {
  const now = input.now ?? new Date();
  const reference = normalizeReference(input.reference);
  if (!reference || typeof input.token !== "string" || input.token.length < 16 || input.token.length > 100) {
    throw new PledgeError("confirm_invalid");
  }
  const where = and(eq(pledges.reference, reference), eq(pledges.confirmTokenHash, hashToken(input.token)))!;
  return db.transaction(async (tx) => {
    const { pledge } = await lockPledge(tx, where as ReturnType<typeof eq>).catch((error: unknown) => {
      if (error instanceof PledgeError && error.code === "pledge_not_found") throw new PledgeError("confirm_invalid");
      throw error;
    });
    if (pledge.confirmedAt) return { outcome: "already_confirmed" as const, pledge };
    if (!canConfirm(pledge, now)) throw new PledgeError("confirm_expired");
    const details = await getPaymentDetails(tx, pledge.orgId);
    const [updated] = await tx
      .update(pledges)
      .set({ confirmedAt: now, expiresAt: fullHoldUntil(pledge.createdAt, details?.pledgeExpiryDays), updatedAt: now })
      .where(eq(pledges.id, pledge.id))
      .returning();
    return { outcome: "confirmed" as const, pledge: updated };
  });
}

// ---------------------------------------------------------------- cancel and expire

/**
 * The donor cancels a pending or awaiting-payment pledge, releasing its reservation. The owner
 * proves it by being signed in as the pledge's donor, or (a guest) by its email address.
 * Anyone else is told the pledge does not exist.
 */
export async function cancelPledge(
  db: Db,
  input: { reference: string; userId?: string | null; email?: string | null; actor: Actor; now?: Date },
): Promise<Pledge> {
  const reference = normalizeReference(input.reference);
  if (!reference) throw new PledgeError("pledge_not_found");
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { pledge, need } = await lockPledge(tx, eq(pledges.reference, reference));
    const byUser = input.userId && pledge.donorUserId === input.userId;
    const byEmail = input.email && normalizeEmail(input.email) === pledge.email;
    if (!byUser && !byEmail) throw new PledgeError("pledge_not_found");
    if (pledge.status !== "pending" && pledge.status !== "awaiting_payment") throw new PledgeError("not_cancellable");
    const updated = await releaseReservation(tx, pledge, need, now, "cancelled");
    return updated;
  });
}

/**
 * Expires unpaid pledges whose time is up, releasing their reservations: one short transaction per
 * pledge (need lock, then pledge lock, then the status checked again). Idempotent: a second run
 * finds nothing to do. Returns the references expired.
 */
export async function expirePledges(db: Db, now: Date = new Date(), limit = 500): Promise<string[]> {
  const due = await db
    .select({ id: pledges.id })
    .from(pledges)
    .where(and(inArray(pledges.status, ["pending", "awaiting_payment"]), lte(pledges.expiresAt, now)))
    .orderBy(asc(pledges.expiresAt))
    .limit(limit);
  const expired: string[] = [];
  for (const { id } of due) {
    const ref = await db.transaction(async (tx) => {
      const { pledge, need } = await lockPledge(tx, eq(pledges.id, id));
      if (pledge.status !== "pending" && pledge.status !== "awaiting_payment") return null;
      if (!pledge.expiresAt || pledge.expiresAt.getTime() > now.getTime()) return null;
      await releaseReservation(tx, pledge, need, now, "expired");
      return pledge.reference;
    });
    if (ref) expired.push(ref);
  }
  return expired;
}

// ---------------------------------------------------------------- paid, received, declined

export type MarkPaidResult =
  | { outcome: "paid"; pledge: Pledge; funded: boolean }
  | { outcome: "already_paid"; pledge: Pledge }
  /** Money for a cancelled or expired pledge: recorded on it and flagged; the need is untouched. */
  | { outcome: "needs_resolution"; pledge: Pledge };

/**
 * The old one-click "payment received", kept as a thin wrapper over recordPayment (payments
 * module) until the finance UI's payments inbox replaces its button: records the pledge's
 * outstanding amount, value date today (organisation's time zone), by the pledge's offline method.
 * - pending / awaiting_payment → paid (ledger entry, receipt); at the target the need is `funded`.
 * - paid → nothing changes (safe to retry).
 * - cancelled / expired → the money goes to suspense, flagged (pledge finance_flag too); the
 *   need's totals do not move and finance resolves it in the payments inbox. The caller answers 409.
 * The actor must be finance or org_admin of the pledge's organisation.
 */
export async function markPledgePaid(db: Db, actor: Actor, pledgeId: string, now: Date = new Date()): Promise<MarkPaidResult> {
  if (!UUID.test(pledgeId)) throw new PledgeError("pledge_not_found");
  const [pledge] = await db.select().from(pledges).where(eq(pledges.id, pledgeId)).limit(1);
  if (!pledge) throw new PledgeError("pledge_not_found");
  await db.transaction((tx) => requireStaff(tx, actor, pledge.orgId, ["finance", "org_admin"]));
  if (pledge.status === "paid") return { outcome: "already_paid", pledge };
  if ((pledge.status === "cancelled" || pledge.status === "expired") && pledge.financeFlag) return { outcome: "needs_resolution", pledge };
  if (pledge.method === "delivery") throw new PledgeError("invalid_state");
  const [org] = await db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, pledge.orgId));
  const released = pledge.status === "cancelled" || pledge.status === "expired";
  const amountMinor = released ? pledge.amountMinor : pledge.amountMinor - pledge.paidMinor;
  if (amountMinor <= 0) throw new PledgeError("invalid_state");
  try {
    const result = await recordPayment(db, actor, {
      orgId: pledge.orgId,
      pledgeId: pledge.id,
      method: (OFFLINE_METHODS as readonly string[]).includes(pledge.method) ? (pledge.method as OfflineMethod) : "bank_transfer",
      amountMinor,
      currency: pledge.currency,
      valueDate: todayIn(org.timeZone, now),
      idempotencyKey: `mark-paid:${pledge.id}:${pledge.paidMinor}:${pledge.status}`,
      now,
    });
    const [current] = await db.select().from(pledges).where(eq(pledges.id, pledge.id));
    if (result.outcome === "recorded") return { outcome: "paid", pledge: current, funded: result.funded };
    if (result.outcome === "suspense") return { outcome: "needs_resolution", pledge: current };
    return { outcome: current.status === "paid" ? "already_paid" : "needs_resolution", pledge: current };
  } catch (error) {
    if (error instanceof PaymentError) {
      const map: Partial<Record<string, PledgeError["code"]>> = { not_allowed: "not_allowed", pledge_not_found: "pledge_not_found", currency_mismatch: "currency_mismatch" };
      throw new PledgeError(map[error.code] ?? "invalid_state");
    }
    throw error;
  }
}

/** Staff confirm an offered in-kind delivery (counts in progress, may fund the need) or decline it (released). */
export async function decideOffer(db: Db, actor: Actor, pledgeId: string, decision: "received" | "declined", now: Date = new Date()) {
  if (!UUID.test(pledgeId)) throw new PledgeError("pledge_not_found");
  return db.transaction(async (tx) => {
    const { pledge, need } = await lockPledge(tx, eq(pledges.id, pledgeId));
    await requireStaff(tx, actor, pledge.orgId, ["caseworker", "finance", "org_admin"]);
    if (pledge.status !== "offered") throw new PledgeError("invalid_state");
    let result: { pledge: Pledge; funded: boolean };
    if (decision === "received") result = await countAsReceived(tx, actor, pledge, need, now);
    else result = { pledge: await releaseReservation(tx, pledge, need, now, "declined"), funded: false };
    await recordAudit(tx, actor, {
      orgId: pledge.orgId,
      action: `pledge.${decision}`,
      entityType: "pledge",
      entityId: pledge.id,
      change: { reference: pledge.reference, amountMinor: pledge.amountMinor, currency: pledge.currency },
    });
    return result;
  });
}

// ---------------------------------------------------------------- donors

/** Attaches the guest pledges of an email address to the account that just verified it. */
export async function attachGuestPledges(db: DbOrTx, userId: string, email: string): Promise<number> {
  const rows = await db
    .update(pledges)
    .set({ donorUserId: userId })
    .where(and(eq(pledges.email, normalizeEmail(email)), isNull(pledges.donorUserId)))
    .returning({ id: pledges.id });
  return rows.length;
}

export interface DonorPledgeRow {
  reference: string;
  status: Pledge["status"];
  method: PledgeMethod;
  amountMinor: number;
  currency: string;
  createdAt: Date;
  expiresAt: Date | null;
  needPublicId: string;
  needTitleAr: string | null;
  needTitleEn: string | null;
}

export async function listDonorPledges(db: DbOrTx, userId: string): Promise<DonorPledgeRow[]> {
  return db
    .select({
      reference: pledges.reference,
      status: pledges.status,
      method: pledges.method,
      amountMinor: pledges.amountMinor,
      currency: pledges.currency,
      createdAt: pledges.createdAt,
      expiresAt: pledges.expiresAt,
      needPublicId: needs.publicId,
      needTitleAr: needs.titleAr,
      needTitleEn: needs.titleEn,
    })
    .from(pledges)
    .innerJoin(needs, eq(needs.id, pledges.needId))
    .where(eq(pledges.donorUserId, userId))
    .orderBy(desc(pledges.createdAt))
    .limit(200);
}

/**
 * What the instructions page shows for a reference: the pledge (no email), the need's public title,
 * the organisation and its payment details. Null for an unknown or malformed reference.
 */
export async function getPledgeInstructions(db: DbOrTx, rawReference: string) {
  const reference = normalizeReference(rawReference);
  if (!reference) return null;
  const [row] = await db
    .select({
      pledge: {
        reference: pledges.reference,
        status: pledges.status,
        method: pledges.method,
        amountMinor: pledges.amountMinor,
        currency: pledges.currency,
        expiresAt: pledges.expiresAt,
        confirmedAt: pledges.confirmedAt,
        createdAt: pledges.createdAt,
        donorUserId: pledges.donorUserId,
        displayName: pledges.displayName,
      },
      need: { publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, state: needs.state },
      org: { id: organizations.id, slug: organizations.slug, nameAr: organizations.nameAr, nameEn: organizations.nameEn, timeZone: organizations.timeZone },
    })
    .from(pledges)
    .innerJoin(needs, eq(needs.id, pledges.needId))
    .innerJoin(organizations, eq(organizations.id, pledges.orgId))
    .where(eq(pledges.reference, reference))
    .limit(1);
  if (!row) return null;
  const details = await getPaymentDetails(db, row.org.id);
  return { ...row, details };
}

// ---------------------------------------------------------------- organisation payment details

export interface PaymentDetailsInput {
  bankName: string | null;
  accountName: string | null;
  accountNumber: string | null;
  swift: string | null;
  currency: string | null;
  transferShopInstructionsAr: string | null;
  transferShopInstructionsEn: string | null;
  officeInstructionsAr: string | null;
  officeInstructionsEn: string | null;
  pledgeExpiryDays: number;
  /** The offline methods ticked; null keeps the default (every method whose details are filled in). */
  offeredMethods?: OfflineMethod[] | null;
}

/** The org admin saves where donors send offline money (audited; field names only). */
export async function savePaymentDetails(db: Db, actor: Actor, orgId: string, input: PaymentDetailsInput) {
  if (!Number.isInteger(input.pledgeExpiryDays) || input.pledgeExpiryDays < 1 || input.pledgeExpiryDays > 60) {
    throw new PledgeError("invalid_state");
  }
  if (input.offeredMethods && methodsMissingDetails(input.offeredMethods, input).length > 0) throw new PledgeError("method_needs_details");
  return db.transaction(async (tx) => {
    await requireStaff(tx, actor, orgId, ["org_admin"]);
    const now = new Date();
    const values = { ...input, currency: input.currency?.toUpperCase() ?? null, updatedBy: actor.userId, updatedAt: now };
    await tx
      .insert(orgPaymentDetails)
      .values({ orgId, ...values })
      .onConflictDoUpdate({ target: orgPaymentDetails.orgId, set: values });
    await recordAudit(tx, actor, {
      orgId,
      action: "org.payment_details_update",
      entityType: "organization",
      entityId: orgId,
      change: { fields: Object.keys(input).filter((k) => input[k as keyof PaymentDetailsInput] !== null) },
    });
  });
}

// ---------------------------------------------------------------- the pledge page

/**
 * A need as the pledge page shows it (public projection with progress, and per item line how many
 * are still unpledged), or null when there is no such public need (never published).
 */
export async function getPledgeableNeed(
  db: DbOrTx,
  publicId: string,
  /** Whether the platform takes cards (servers pass cardPaymentsAvailable()); default off. */
  cardPayments: boolean = PLATFORM_CARD_PAYMENTS,
): Promise<{ need: PublicNeed; itemsLeft: number[]; remainingMinor: number; methods: PaymentMethod[] } | null> {
  if (typeof publicId !== "string" || !/^[0-9A-Z]{6,32}$/i.test(publicId)) return null;
  const [row] = await db
    .select({ need: needs, org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn, slug: organizations.slug } })
    .from(needs)
    .innerJoin(organizations, eq(organizations.id, needs.orgId))
    .where(and(eq(needs.publicId, publicId), inArray(needs.state, ["published", "funded", "disbursed", "closed"])))
    .limit(1);
  if (!row) return null;
  const [items, taken, governorate, details] = await Promise.all([
    db.select().from(needItems).where(eq(needItems.needId, row.need.id)).orderBy(asc(needItems.position)),
    db
      .select({ needItemId: pledgeItems.needItemId, quantity: sql<number>`coalesce(sum(${pledgeItems.quantity}), 0)::int` })
      .from(pledgeItems)
      .innerJoin(pledges, eq(pledges.id, pledgeItems.pledgeId))
      .where(and(eq(pledges.needId, row.need.id), inArray(pledges.status, [...RESERVING, ...COUNTED])))
      .groupBy(pledgeItems.needItemId),
    row.need.publicRegionId
      ? db
          .select({ nameAr: regions.nameAr, nameEn: regions.nameEn })
          .from(regions)
          .where(eq(regions.id, row.need.publicRegionId))
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    getPaymentDetails(db, row.need.orgId),
  ]);
  const need = toPublicNeed(row.need, items, row.org, governorate, row.need);
  const itemsLeft = items.map((item) => item.quantity - Number(taken.find((t) => t.needItemId === item.id)?.quantity ?? 0));
  return {
    need,
    itemsLeft,
    remainingMinor: row.need.state === "published" ? remainingOf(row.need) : 0,
    methods: offeredMethods(details, row.need.currency, cardPayments),
  };
}
