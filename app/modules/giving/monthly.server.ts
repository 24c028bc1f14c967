/**
 * Monthly giving (issue 12, decision 066): a monthly gift to an organisation's solidarity fund
 * (or its zakat fund), with the same restrictions as a one-off fund gift. Each month is a pledge
 * of kind `fund` carrying the gift's id and the month (YYYY-MM in the organisation's time zone),
 * so every month goes through the money paths there already are: the ledger, receipts, the
 * statement import, refunds, the allocator.
 *
 * - Card: a Stripe subscription (monthly-stripe.server.ts). Each `invoice.paid` becomes that
 *   month's pledge and its payment; a failed payment tells the donor, who updates the card.
 * - Offline: a standing order. The first month's reference is issued with the gift; the
 *   `monthly-gifts` job issues each later month's on the first run of the month and emails it
 *   (the monthly reminder); a month whose reference expired unpaid makes the gift `past_due`.
 *
 * The donor cancels any time: signed in from their account, or as a guest by the signed link
 * in every email about the gift. Nobody else can see or touch a gift.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { monthlyGifts, needs, organizations, pledges } from "#db/schema";
import { recordAudit, type Actor } from "~/modules/audit/audit.server";
import { enqueueEmail } from "~/modules/notifications/outbox.server";
import { fundTitleIn, publicTitleIn } from "~/modules/needs/titles";
import { remainingOf } from "~/modules/pledging/amounts";
import { todayIn } from "~/modules/needs/money";
import { generateToken, hashToken } from "~/modules/identity/tokens";
import { PledgeError } from "~/modules/pledging/errors";
import { initialHold, fullHoldUntil } from "~/modules/pledging/holds";
import { checkFundGift, orgOfFundGift, screenFundGift, type CreateFundPledgeInput } from "~/modules/pledging/fund-pledge.server";
import { insertPledge, sendInstructions } from "~/modules/pledging/pledge-create.server";
import { OFFLINE_METHODS, getOrgWithPaymentDetails, type Pledge } from "~/modules/pledging/pledge-steps.server";
import { recordHits } from "~/modules/rate-limits/rate-limits.server";
import { linkSignature, verifyLinkSignature } from "~/utils/link-signing.server";
import { formatDate, formatMoney } from "~/utils/format";
import { isUuid } from "~/utils/uuid";

export type MonthlyGift = typeof monthlyGifts.$inferSelect;

const PURPOSE = "monthly-gift";

export class MonthlyGiftError extends Error {
  constructor(readonly code: "not_found" | "cancelled" | "not_card" | "stripe_failed") {
    super(`monthly gift refused: ${code}`);
    this.name = "MonthlyGiftError";
  }
  get status(): 404 | 409 | 502 {
    return this.code === "not_found" ? 404 : this.code === "stripe_failed" ? 502 : 409;
  }
  get messageKey(): string {
    return `giving:monthly.errors.${this.code}`;
  }
}

// ---------------------------------------------------------------- links and who may manage

/** The signed link of a gift's page (in every email about it): manage or cancel without an account. */
export function monthlyGiftPath(giftId: string): string {
  return `/monthly/${giftId}?s=${linkSignature(PURPOSE, giftId)}`;
}

export function monthlyGiftLinkValid(giftId: string, signature: string | null | undefined): boolean {
  return isUuid(giftId) && verifyLinkSignature(PURPOSE, giftId, signature);
}

/**
 * Who may open a gift's page and cancel it: whoever holds its signed link, the signed-in donor who
 * made it, or a signed-in donor whose verified address is the gift's. Anyone else is answered as
 * if it did not exist.
 */
export function mayManageMonthlyGift(
  gift: Pick<MonthlyGift, "id" | "email" | "donorUserId">,
  who: { signature: string | null; user: { id: string; email: string; emailVerifiedAt: Date | null } | null },
): boolean {
  if (monthlyGiftLinkValid(gift.id, who.signature)) return true;
  if (!who.user) return false;
  if (gift.donorUserId && gift.donorUserId === who.user.id) return true;
  return Boolean(who.user.emailVerifiedAt && who.user.email.trim().toLowerCase() === gift.email);
}

// ---------------------------------------------------------------- months

/** The month (YYYY-MM) a moment falls in, in a time zone. */
export function monthOf(timeZone: string, at: Date): string {
  return todayIn(timeZone, at).slice(0, 7);
}

/** "November 2026" / "تشرين الثاني 2026" for a YYYY-MM. */
export function monthLabel(period: string, locale: "ar" | "en"): string {
  const [y, m] = period.split("-").map(Number);
  return new Intl.DateTimeFormat(locale === "ar" ? "ar-u-nu-latn" : "en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 15)));
}

/** The month before a YYYY-MM. */
export function previousMonth(period: string): string {
  const [y, m] = period.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** What a month's pledge is called: "Monthly gift — November 2026 — <fund>", or for a kafala "Kafala — November 2026 — <need>". */
export function monthTitle(org: { nameAr: string; nameEn: string }, zakat: boolean, period: string, locale: "ar" | "en", needTitle?: string | null): string {
  if (needTitle) return locale === "ar" ? `كفالة — ${monthLabel(period, locale)} — ${needTitle}` : `Kafala — ${monthLabel(period, locale)} — ${needTitle}`;
  const fund = fundTitleIn(org, zakat, locale);
  return locale === "ar" ? `عطاء شهري — ${monthLabel(period, locale)} — ${fund}` : `Monthly gift — ${monthLabel(period, locale)} — ${fund}`;
}

/** What a gift goes to, in a language: its fund, or for a kafala "Kafala: <the need's public title>". */
export function giftTargetIn(org: { nameAr: string; nameEn: string }, gift: Pick<MonthlyGift, "zakat">, need: { titleAr: string | null; titleEn: string | null } | null, locale: "ar" | "en"): string {
  if (need) return `${locale === "ar" ? "كفالة" : "Kafala"}: ${publicTitleIn(need, locale)}`;
  return fundTitleIn(org, gift.zakat, locale);
}

async function needTitlesOf(tx: DbOrTx, needId: string | null) {
  if (!needId) return null;
  const [need] = await tx.select({ titleAr: needs.titleAr, titleEn: needs.titleEn }).from(needs).where(eq(needs.id, needId)).limit(1);
  return need ?? null;
}

// ---------------------------------------------------------------- create

export type CreateMonthlyGiftResult = { gift: MonthlyGift; created: boolean; firstPledge: Pledge | null; confirmToken?: string | null };

/**
 * Creates a monthly gift in one transaction. The same checks as a one-off fund gift (currency,
 * minimum, method offered, categories, the organisation's governorate, rate limits); by card only
 * in a currency Stripe takes (`card_unavailable`). A double submit answers the first gift.
 * Offline: the first month's pledge and its reference email go out now (a guest confirms it like
 * any pledge; later months are issued once a month was confirmed or paid). Card: `incomplete`
 * until the subscription's Checkout completes (startSubscriptionCheckout).
 */
export async function createMonthlyGift(db: Db, input: CreateFundPledgeInput): Promise<CreateMonthlyGiftResult> {
  const now = input.now ?? new Date();
  const { email, key, categories, regionId } = screenFundGift(input);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`monthly-key:${key}`}))`);
    const { org, details } = await orgOfFundGift(tx, input.orgSlug, key);
    const [replay] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.idempotencyKey, key)).limit(1);
    if (replay) {
      if (replay.orgId !== org.id || replay.email !== email) throw new PledgeError("idempotency_conflict");
      return { gift: replay, created: false, firstPledge: null };
    }
    const { currency, limitRules, verifiedDonor } = await checkFundGift(tx, { ...input, email, regionId, now }, org, details);
    const offline = (OFFLINE_METHODS as readonly string[]).includes(input.method);
    const [gift] = await tx
      .insert(monthlyGifts)
      .values({
        orgId: org.id,
        donorUserId: input.donorUserId ?? null,
        email,
        displayName: input.displayName?.trim() || null,
        anonymous: input.anonymous ?? false,
        locale: input.locale,
        amountMinor: input.amountMinor,
        currency,
        method: input.method,
        zakat: input.zakat === true,
        fundCategories: categories.length ? categories : null,
        fundRegionId: regionId,
        status: offline && verifiedDonor ? "active" : "incomplete",
        idempotencyKey: key,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordHits(tx, limitRules, now);
    if (!offline) return { gift, created: true, firstPledge: null };
    return { gift, created: true, ...(await issueFirstMonth(tx, gift, { org, details, verifiedDonor, now, origin: input.origin })) };
  });
}

/**
 * A standing order's (or an offline kafala's) first month, in the creating transaction: its
 * pledge, held like any offline pledge (a guest confirms it by the email's link), the
 * instructions email with its reference, and the "started" email with the gift's signed page.
 */
export async function issueFirstMonth(
  tx: DbOrTx,
  gift: MonthlyGift,
  ctx: { org: Parameters<typeof sendInstructions>[1]["org"]; details: Parameters<typeof sendInstructions>[1]["details"]; verifiedDonor: boolean; now: Date; origin: string; needTitle?: string | null },
): Promise<{ firstPledge: Pledge; confirmToken: string | null }> {
  const { org, details, now } = ctx;
  const hold = initialHold("offline", { now, verifiedDonor: ctx.verifiedDonor, expiryDays: details?.pledgeExpiryDays });
  const confirmToken = hold.confirmed ? null : generateToken();
  const period = monthOf(org.timeZone, now);
  const firstPledge = await insertMonthPledge(tx, gift, period, {
    status: "pending",
    idempotencyKey: `monthly:${gift.id}:${period}`,
    expiresAt: hold.expiresAt,
    confirmedAt: hold.confirmed ? now : null,
    confirmTokenHash: confirmToken ? hashToken(confirmToken) : null,
    now,
  });
  const title = monthTitle(org, gift.zakat, period, gift.locale, ctx.needTitle);
  await sendInstructions(tx, { pledge: firstPledge, org, details, title, confirmToken, now, origin: ctx.origin });
  await enqueueMonthlyEmail(tx, gift, org, "started", ctx.origin);
  return { firstPledge, confirmToken };
}

/**
 * One month's pledge of a gift: a fund pledge with the gift's restrictions, donor and amount. For a
 * kafala, a pledge to its need for the month's instalment (at most what the need still lacks),
 * reserved on the need under its row lock; a need that has no room left (funded meanwhile, or
 * closed) gets nothing more: that month's money goes to the organisation's fund, and the caller
 * ends the kafala.
 */
export async function insertMonthPledge(
  tx: DbOrTx,
  gift: MonthlyGift,
  period: string,
  values: { status: "pending" | "awaiting_payment"; idempotencyKey: string; expiresAt: Date | null; confirmedAt: Date | null; confirmTokenHash?: string | null; now: Date },
): Promise<Pledge> {
  const common = {
    orgId: gift.orgId,
    zakat: gift.zakat,
    donorUserId: gift.donorUserId,
    email: gift.email,
    displayName: gift.displayName,
    anonymous: gift.anonymous,
    currency: gift.currency,
    method: gift.method,
    status: values.status,
    idempotencyKey: values.idempotencyKey,
    expiresAt: values.expiresAt,
    confirmedAt: values.confirmedAt,
    confirmTokenHash: values.confirmTokenHash ?? null,
    locale: gift.locale,
    monthlyGiftId: gift.id,
    period,
    createdAt: values.now,
    updatedAt: values.now,
  };
  if (gift.needId) {
    const [need] = await tx.select().from(needs).where(eq(needs.id, gift.needId)).for("update");
    const room = need && need.state === "published" ? remainingOf(need) : 0;
    if (room > 0) {
      const amountMinor = Math.min(gift.amountMinor, room);
      const pledge = await insertPledge(tx, { ...common, kind: "need", needId: need.id, amountMinor });
      await tx.update(needs).set({ reservedMinor: sql`${needs.reservedMinor} + ${amountMinor}`, updatedAt: values.now }).where(eq(needs.id, need.id));
      return pledge;
    }
    // The zakat fund only for zakat (a zakat sponsor's money stays zakat).
    return insertPledge(tx, { ...common, kind: "fund", needId: null, fundCategories: null, fundRegionId: null, amountMinor: gift.amountMinor });
  }
  return insertPledge(tx, { ...common, kind: "fund", needId: null, fundCategories: gift.fundCategories, fundRegionId: gift.fundRegionId, amountMinor: gift.amountMinor });
}

/** A kafala's month that found its need without room: the gift is done (`completed` when the need was funded). */
export function kafalaEnded(gift: MonthlyGift, pledge: Pledge): boolean {
  return Boolean(gift.needId) && pledge.kind === "fund";
}

// ---------------------------------------------------------------- emails

type OrgNames = { nameAr: string; nameEn: string };

/** An email about the gift itself (started, a card payment failed, cancelled), with its signed page link. */
export async function enqueueMonthlyEmail(
  tx: DbOrTx,
  gift: MonthlyGift,
  org: OrgNames,
  event: "started" | "payment_failed" | "cancelled" | "missed" | "completed" | "lapsed" | "reminder",
  origin: string,
  month?: { reference: string; payBy: string },
) {
  const locale = gift.locale;
  const need = await needTitlesOf(tx, gift.needId);
  await enqueueEmail(tx, gift.email, locale, {
    template: "monthly-gift",
    data: {
      event,
      name: gift.displayName ?? "",
      amount: formatMoney(gift.amountMinor, gift.currency, locale),
      fundName: giftTargetIn(org, gift, need, locale),
      method: gift.method === "card" ? "card" : "offline",
      manageUrl: `${origin.replace(/\/+$/, "")}${monthlyGiftPath(gift.id)}`,
      ...(month ? { reference: month.reference, payBy: month.payBy, instructionsUrl: `${origin.replace(/\/+$/, "")}/pledges/${month.reference}` } : {}),
    },
  });
}

// ---------------------------------------------------------------- cancel

/** A gift in one of these states takes no more money and cannot be cancelled again. */
export const ENDED: readonly MonthlyGift["status"][] = ["cancelled", "completed", "lapsed"];

export type CancelSubscriptionFn = (subscriptionId: string, idempotencyKey: string) => Promise<void>;

/**
 * The donor cancels (signed in, or by the signed link: the route checked mayManageMonthlyGift).
 * A card gift's subscription is cancelled at Stripe first (refused with `stripe_failed`, nothing
 * changed, when Stripe cannot be reached); no later month is charged or issued. A month already
 * issued keeps its reference (the donor may have paid it). Cancelling twice changes nothing.
 */
export async function cancelMonthlyGift(
  db: Db,
  actor: Actor,
  input: { giftId: string; origin: string; cancelSubscription: CancelSubscriptionFn; now?: Date },
): Promise<{ gift: MonthlyGift; changed: boolean }> {
  const now = input.now ?? new Date();
  if (!isUuid(input.giftId)) throw new MonthlyGiftError("not_found");
  return db.transaction(async (tx) => {
    const [gift] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, input.giftId)).for("update");
    if (!gift) throw new MonthlyGiftError("not_found");
    if (ENDED.includes(gift.status)) return { gift, changed: false };
    if (gift.stripeSubscriptionId) {
      try {
        await input.cancelSubscription(gift.stripeSubscriptionId, `tadamon-cancel-${gift.id}`);
      } catch (error) {
        console.error("[monthly] Stripe refused the cancellation", error instanceof Error ? error.message : error);
        throw new MonthlyGiftError("stripe_failed");
      }
    }
    const updated = await markCancelled(tx, gift, actor.userId, now);
    await recordAudit(tx, actor, { orgId: gift.orgId, action: "monthly_gift.cancel", entityType: "monthly_gift", entityId: gift.id, change: { by: actor.userId ? "donor" : "link" } });
    const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, gift.orgId)).limit(1);
    await enqueueMonthlyEmail(tx, updated, org!, "cancelled", input.origin);
    return { gift: updated, changed: true };
  });
}

export async function markCancelled(tx: DbOrTx, gift: MonthlyGift, by: string | null, now: Date): Promise<MonthlyGift> {
  const [updated] = await tx
    .update(monthlyGifts)
    .set({ status: "cancelled", cancelledAt: now, cancelledBy: by, updatedAt: now })
    .where(eq(monthlyGifts.id, gift.id))
    .returning();
  return updated;
}

// ---------------------------------------------------------------- the standing orders (job)

const PAID_STATUSES = ["paid", "part_paid"] as const;

/**
 * The monthly job's offline half (daily; idempotent): for every standing order not cancelled,
 * the month's pledge with its own reference, emailed with where to pay (the monthly reminder).
 * Issued only once a month of the gift was confirmed or paid (a guest who never confirmed the
 * first month starts nothing). The month before expired or cancelled unpaid: the gift is
 * `past_due` and the donor is told; paid: `active`. Answers how many months it issued.
 */
export async function issueStandingOrderMonths(db: Db, options: { origin: string; now?: Date }): Promise<number> {
  const now = options.now ?? new Date();
  const due = await db
    .select({ id: monthlyGifts.id })
    .from(monthlyGifts)
    .where(and(inArray(monthlyGifts.method, [...OFFLINE_METHODS]), inArray(monthlyGifts.status, ["incomplete", "active", "past_due"])))
    .orderBy(asc(monthlyGifts.createdAt));
  let issued = 0;
  for (const { id } of due) {
    if (await issueMonthFor(db, id, options.origin, now)) issued += 1;
  }
  return issued;
}

async function issueMonthFor(db: Db, giftId: string, origin: string, now: Date): Promise<boolean> {
  return db.transaction(async (tx: Tx) => {
    const [gift] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, giftId)).for("update");
    if (!gift || gift.status === "cancelled") return false;
    const { org, details } = await getOrgWithPaymentDetails(tx, gift.orgId, `monthly:${gift.id}:none`);
    if (!org) return false;
    const period = monthOf(org.timeZone, now);
    const months = await tx
      .select({ period: pledges.period, status: pledges.status, confirmedAt: pledges.confirmedAt, paidMinor: pledges.paidMinor })
      .from(pledges)
      .where(eq(pledges.monthlyGiftId, gift.id))
      .orderBy(desc(pledges.period), desc(pledges.createdAt));
    if (months.some((m) => m.period === period)) return false;
    const started = months.some((m) => m.confirmedAt !== null || m.paidMinor > 0);
    if (!started) return false;
    const unpaid = (m: (typeof months)[number]) => m.paidMinor <= 0 && (m.status === "expired" || m.status === "cancelled");
    if (gift.needId) {
      // A kafala ends when its need has no room left; it lapses after two months missed in a row (the need is offered again).
      const [need] = await tx.select().from(needs).where(eq(needs.id, gift.needId)).for("update");
      const room = need && need.state === "published" ? remainingOf(need) : 0;
      const end: MonthlyGift["status"] | null =
        room <= 0 ? (need && ["funded", "disbursed", "closed"].includes(need.state) ? "completed" : "cancelled") : months.length >= 2 && unpaid(months[0]) && unpaid(months[1]) ? "lapsed" : null;
      if (end) {
        const [ended] = await tx
          .update(monthlyGifts)
          .set({ status: end, updatedAt: now, ...(end === "cancelled" ? { cancelledAt: now } : {}) })
          .where(eq(monthlyGifts.id, gift.id))
          .returning();
        await enqueueMonthlyEmail(tx, ended, org, end, origin);
        return false;
      }
    }
    const last = months[0];
    const lastPaid = last ? (PAID_STATUSES as readonly string[]).includes(last.status) || last.paidMinor > 0 : false;
    const missed = Boolean(last && !lastPaid && (last.status === "expired" || last.status === "cancelled" || last.period! < previousMonth(period)));
    const status = missed ? "past_due" : "active";
    let current = gift;
    if (status !== gift.status) {
      [current] = await tx.update(monthlyGifts).set({ status, updatedAt: now }).where(eq(monthlyGifts.id, gift.id)).returning();
    }
    const pledge = await insertMonthPledge(tx, current, period, {
      status: "pending",
      idempotencyKey: `monthly:${gift.id}:${period}`,
      expiresAt: fullHoldUntil(now, details?.pledgeExpiryDays),
      confirmedAt: now,
      now,
    });
    if (missed) await enqueueMonthlyEmail(tx, current, org, "missed", origin);
    await sendInstructions(tx, { pledge, org, details, title: monthTitle(org, current.zakat, period, current.locale), confirmToken: null, now, origin });
    return true;
  });
}

/** An unpaid standing-order month is reminded this many days before its reference expires. */
export const REMIND_DAYS_BEFORE = 3;

/**
 * The monthly job's reminder (idempotent): a standing order's month still unpaid, confirmed, whose
 * reference expires within REMIND_DAYS_BEFORE days, gets one reminder email (its reference, the
 * day to pay by, how to pay); `reminded_period` keeps it to one per month. Answers how many.
 */
export async function remindStandingOrders(db: Db, options: { origin: string; now?: Date }): Promise<number> {
  const now = options.now ?? new Date();
  const due = await db
    .select({ giftId: monthlyGifts.id, period: pledges.period, reference: pledges.reference, expiresAt: pledges.expiresAt })
    .from(pledges)
    .innerJoin(monthlyGifts, eq(monthlyGifts.id, pledges.monthlyGiftId))
    .where(
      and(
        inArray(monthlyGifts.method, [...OFFLINE_METHODS]),
        inArray(monthlyGifts.status, ["active", "past_due"]),
        eq(pledges.status, "pending"),
        eq(pledges.paidMinor, 0),
        sql`${pledges.confirmedAt} is not null`,
        sql`${pledges.expiresAt} > ${now.toISOString()}::timestamptz and ${pledges.expiresAt} <= ${new Date(now.getTime() + REMIND_DAYS_BEFORE * 86_400_000).toISOString()}::timestamptz`,
        sql`${monthlyGifts.remindedPeriod} is distinct from ${pledges.period}`,
      ),
    )
    .limit(1000);
  let sent = 0;
  for (const row of due) {
    const reminded = await db.transaction(async (tx) => {
      const [gift] = await tx
        .update(monthlyGifts)
        .set({ remindedPeriod: row.period, updatedAt: now })
        .where(and(eq(monthlyGifts.id, row.giftId), sql`${monthlyGifts.remindedPeriod} is distinct from ${row.period}`))
        .returning();
      if (!gift) return false;
      const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn, timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, gift.orgId)).limit(1);
      await enqueueMonthlyEmail(tx, gift, org!, "reminder", options.origin, { reference: row.reference, payBy: formatDate(row.expiresAt!, gift.locale, org!.timeZone) });
      return true;
    });
    if (reminded) sent += 1;
  }
  return sent;
}

/** A confirmed or paid first month starts an `incomplete` standing order (the guest confirmed by the email's link). */
export async function startConfirmedStandingOrders(db: DbOrTx, now: Date = new Date()): Promise<number> {
  const rows = await db
    .update(monthlyGifts)
    .set({ status: "active", updatedAt: now })
    .where(
      and(
        eq(monthlyGifts.status, "incomplete"),
        inArray(monthlyGifts.method, [...OFFLINE_METHODS]),
        sql`exists (select 1 from ${pledges} where ${pledges.monthlyGiftId} = ${monthlyGifts.id} and (${pledges.confirmedAt} is not null or ${pledges.paidMinor} > 0))`,
      ),
    )
    .returning({ id: monthlyGifts.id });
  return rows.length;
}

// ---------------------------------------------------------------- views

export type MonthView = { period: string; label: string; reference: string; status: Pledge["status"]; amountMinor: number; paidMinor: number; expiresAt: Date | null };

/** A gift with its organisation and its months (newest first), for its page. Null: unknown. */
export async function monthlyGiftView(db: DbOrTx, giftId: string, locale: "ar" | "en") {
  if (!isUuid(giftId)) return null;
  const [row] = await db
    .select({
      gift: monthlyGifts,
      org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn, slug: organizations.slug, timeZone: organizations.timeZone },
      need: { publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, months: needs.sponsorshipMonths },
    })
    .from(monthlyGifts)
    .innerJoin(organizations, eq(organizations.id, monthlyGifts.orgId))
    .leftJoin(needs, eq(needs.id, monthlyGifts.needId))
    .where(eq(monthlyGifts.id, giftId))
    .limit(1);
  if (!row) return null;
  const months = await db
    .select({ period: pledges.period, reference: pledges.reference, status: pledges.status, amountMinor: pledges.amountMinor, paidMinor: pledges.paidMinor, expiresAt: pledges.expiresAt })
    .from(pledges)
    .where(eq(pledges.monthlyGiftId, giftId))
    .orderBy(desc(pledges.period), desc(pledges.createdAt))
    .limit(120);
  return {
    ...row,
    need: row.gift.needId ? row.need : null,
    fundName: giftTargetIn(row.org, row.gift, row.gift.needId ? row.need : null, locale),
    months: months.map((m): MonthView => ({ ...m, period: m.period!, label: monthLabel(m.period!, locale) })),
  };
}

/** A donor's monthly gifts (made signed in, or to their verified address), newest first. */
export async function monthlyGiftsOf(db: DbOrTx, who: { userId: string; verifiedEmail: string | null }, locale: "ar" | "en") {
  const rows = await db
    .select({
      gift: monthlyGifts,
      org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn },
      need: { titleAr: needs.titleAr, titleEn: needs.titleEn },
      paidMonths: sql<number>`(select count(*)::int from ${pledges} where ${pledges.monthlyGiftId} = ${monthlyGifts.id} and ${pledges.paidMinor} > 0)`,
    })
    .from(monthlyGifts)
    .innerJoin(organizations, eq(organizations.id, monthlyGifts.orgId))
    .leftJoin(needs, eq(needs.id, monthlyGifts.needId))
    .where(who.verifiedEmail ? sql`(${monthlyGifts.donorUserId} = ${who.userId} or ${monthlyGifts.email} = ${who.verifiedEmail})` : eq(monthlyGifts.donorUserId, who.userId))
    .orderBy(desc(monthlyGifts.createdAt))
    .limit(100);
  return rows.map((r) => ({ ...r, fundName: giftTargetIn(r.org, r.gift, r.gift.needId ? r.need : null, locale), path: monthlyGiftPath(r.gift.id) }));
}

/** For the organisation: its monthly gifts by status, what the active ones bring a month. */
export async function monthlyGiftSummary(db: DbOrTx, orgId: string) {
  return db
    .select({ status: monthlyGifts.status, currency: monthlyGifts.currency, count: sql<number>`count(*)::int`, monthlyMinor: sql<number>`coalesce(sum(${monthlyGifts.amountMinor}), 0)::bigint` })
    .from(monthlyGifts)
    .where(and(eq(monthlyGifts.orgId, orgId), isNull(monthlyGifts.cancelledAt)))
    .groupBy(monthlyGifts.status, monthlyGifts.currency)
    .then((rows) => rows.map((r) => ({ ...r, monthlyMinor: Number(r.monthlyMinor) })));
}
