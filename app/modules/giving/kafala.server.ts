/**
 * Kafala — sponsorship (issue 12, decision 067). Staff offer a need (its household consented to
 * publication) to one sponsor in N monthly instalments (`needs.sponsorship_months`). A sponsor
 * commits: a monthly gift (decision 066) bound to that need, paid by card (a Stripe subscription)
 * or offline (a reference a month). Each month is a pledge of kind `need` reserving that month's
 * instalment on the need, so the household's account shows each month received and disbursed like
 * any pledge, and the sponsor hears of deliveries like any donor — the public title and the
 * payee's kind only; no sponsor ever learns who the household is.
 *
 * One sponsor at a time: committing takes the need's row lock and is refused while another
 * sponsorship is live (active, past due, or a card checkout started in the last two hours). The
 * sponsorship completes when the need is funded; an offline one lapses after two months missed in
 * a row (a card one when Stripe gives up), and the need is offered for sponsorship again.
 */
import { and, asc, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { households, monthlyGifts, needs, organizations, pledges } from "#db/schema";
import { kafalaMonthlyMinor } from "~/modules/anonymization/public-need";
import { publicTitleIn } from "~/modules/needs/titles";
import { PledgeError } from "~/modules/pledging/errors";
import { minimumFor, remainingOf } from "~/modules/pledging/amounts";
import { checkFundGift } from "~/modules/pledging/fund-pledge.server";
import { OFFLINE_METHODS, getOrgWithPaymentDetails, lockNeedByPublicId, normalizeEmail, type CreatePledgeInput } from "~/modules/pledging/pledge-steps.server";
import { recordHits } from "~/modules/rate-limits/rate-limits.server";
import { issueFirstMonth, monthOf, type CreateMonthlyGiftResult, type MonthlyGift } from "./monthly.server";

/** A card checkout started this recently still holds the kafala (the donor may be paying now). */
const CHECKOUT_HOLD_MS = 2 * 60 * 60 * 1000;

export class KafalaError extends Error {
  constructor(readonly code: "not_kafala" | "already_sponsored" | "no_consent") {
    super(`kafala refused: ${code}`);
    this.name = "KafalaError";
  }
  get status(): 404 | 409 {
    return this.code === "not_kafala" ? 404 : 409;
  }
  get messageKey(): string {
    return `giving:kafala.errors.${this.code}`;
  }
}

/** The live sponsorship of a need, if any: active, past due, or a card checkout started lately. */
export async function liveSponsorship(db: DbOrTx, needId: string, now: Date = new Date()): Promise<MonthlyGift | null> {
  const [row] = await db
    .select()
    .from(monthlyGifts)
    .where(
      and(
        eq(monthlyGifts.needId, needId),
        or(inArray(monthlyGifts.status, ["active", "past_due"]), and(eq(monthlyGifts.status, "incomplete"), gt(monthlyGifts.createdAt, new Date(now.getTime() - CHECKOUT_HOLD_MS)))),
      ),
    )
    .orderBy(desc(monthlyGifts.createdAt))
    .limit(1);
  return row ?? null;
}

export type CreateSponsorshipInput = Omit<CreatePledgeInput, "amountMinor" | "currency" | "items" | "message">;

/**
 * A sponsor commits to a kafala, in one transaction under the need's row lock. Refused, nothing
 * written: not a published kafala (`not_kafala`), already sponsored, the household's consent to
 * publication withdrawn (`no_consent`), zakat to a need not eligible, a method not offered (card
 * only in a currency Stripe takes), the rate limits. Offline: the first month's pledge and its
 * reference now. Card: `incomplete` until its subscription's Checkout completes.
 */
export async function createSponsorship(db: Db, input: CreateSponsorshipInput): Promise<CreateMonthlyGiftResult> {
  const now = input.now ?? new Date();
  const email = normalizeEmail(input.email);
  const key = String(input.idempotencyKey ?? "").trim();
  if (key.length < 16 || key.length > 100) throw new PledgeError("idempotency_conflict");
  if (input.method === "delivery") throw new PledgeError("method_not_offered");
  return db.transaction(async (tx: Tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`monthly-key:${key}`}))`);
    const need = await lockNeedByPublicId(tx, input.needPublicId);
    const [replay] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.idempotencyKey, key)).limit(1);
    if (replay) {
      if (replay.needId !== need.id || replay.email !== email) throw new PledgeError("idempotency_conflict");
      return { gift: replay, created: false, firstPledge: null };
    }
    if (!need.sponsorshipMonths) throw new KafalaError("not_kafala");
    if (need.state !== "published") throw new PledgeError("need_not_open", { state: need.state });
    const [household] = await tx
      .select({ consentPublish: households.consentPublish })
      .from(households)
      .innerJoin(needs, eq(needs.householdId, households.id))
      .where(eq(needs.id, need.id))
      .limit(1);
    if (!household?.consentPublish) throw new KafalaError("no_consent");
    if (await liveSponsorship(tx, need.id, now)) throw new KafalaError("already_sponsored");
    if (input.zakat && need.zakatCategory === null) throw new PledgeError("zakat_ineligible");
    const remainingMinor = remainingOf(need);
    if (remainingMinor <= 0) throw new PledgeError("need_full", { remainingMinor: 0, currency: need.currency });
    const monthlyMinor = Math.min(kafalaMonthlyMinor(need.targetMinor, need.sponsorshipMonths), remainingMinor);

    const { org, details } = await getOrgWithPaymentDetails(tx, need.orgId, key);
    if (!org) throw new PledgeError("need_not_found");
    // The instalment is the kafala's, not the donor's choice: the currency's pledge minimum does not apply to it.
    const { limitRules, verifiedDonor } = await checkFundGift(
      tx,
      { ...input, currency: need.currency, amountMinor: Math.max(monthlyMinor, minimumFor(need.currency)), email, regionId: null, now },
      { id: org.id, defaultCurrency: need.currency },
      details,
    );
    const offline = (OFFLINE_METHODS as readonly string[]).includes(input.method);
    const [gift] = await tx
      .insert(monthlyGifts)
      .values({
        orgId: org.id,
        needId: need.id,
        donorUserId: input.donorUserId ?? null,
        email,
        displayName: input.displayName?.trim() || null,
        anonymous: input.anonymous ?? false,
        locale: input.locale,
        amountMinor: monthlyMinor,
        currency: need.currency,
        method: input.method,
        zakat: input.zakat === true,
        status: offline && verifiedDonor ? "active" : "incomplete",
        idempotencyKey: key,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await recordHits(tx, limitRules, now);
    if (!offline) return { gift, created: true, firstPledge: null };
    return { gift, created: true, ...(await issueFirstMonth(tx, gift, { org, details, verifiedDonor, now, origin: input.origin, needTitle: publicTitleIn(need, gift.locale) })) };
  });
}

/** What the sponsor page shows of a kafala: its terms and whether it is taken. Null: not a published kafala. */
export async function kafalaOffer(db: DbOrTx, publicId: string, now: Date = new Date()) {
  if (typeof publicId !== "string" || !/^[0-9A-Z]{6,32}$/i.test(publicId)) return null;
  const [need] = await db.select({ id: needs.id, state: needs.state, targetMinor: needs.targetMinor, months: needs.sponsorshipMonths }).from(needs).where(eq(needs.publicId, publicId)).limit(1);
  if (!need?.months) return null;
  return { months: need.months, monthlyMinor: kafalaMonthlyMinor(need.targetMinor, need.months), sponsored: Boolean(await liveSponsorship(db, need.id, now)), open: need.state === "published" };
}

// ---------------------------------------------------------------- for finance

export type SponsorshipRow = Awaited<ReturnType<typeof sponsorshipsOf>>["rows"][number];

/**
 * The organisation's sponsorships (newest first, a page at a time): the need, the sponsor, the
 * terms, months received and months due so far (from the first month to this one, at most the
 * kafala's months), and the arrears — what finance follows up and the sponsor is reminded of.
 */
export async function sponsorshipsOf(db: DbOrTx, orgId: string, options: { now?: Date; limit?: number; offset?: number } = {}) {
  const now = options.now ?? new Date();
  const limit = Math.min(200, Math.max(1, options.limit ?? 50));
  const rows = await db
    .select({
      gift: monthlyGifts,
      need: { id: needs.id, publicId: needs.publicId, titleAr: needs.titleAr, titleEn: needs.titleEn, months: needs.sponsorshipMonths, targetMinor: needs.targetMinor, paidMinor: needs.paidMinor },
      timeZone: organizations.timeZone,
      paidMonths: sql<number>`(select count(*)::int from ${pledges} p where p.monthly_gift_id = ${monthlyGifts.id} and p.paid_minor > 0)`,
      receivedMinor: sql<string>`(select coalesce(sum(p.paid_minor), 0) from ${pledges} p where p.monthly_gift_id = ${monthlyGifts.id})`,
      firstPeriod: sql<string | null>`(select min(p.period) from ${pledges} p where p.monthly_gift_id = ${monthlyGifts.id})`,
      total: sql<number>`count(*) over ()::int`,
    })
    .from(monthlyGifts)
    .innerJoin(needs, eq(needs.id, monthlyGifts.needId))
    .innerJoin(organizations, eq(organizations.id, monthlyGifts.orgId))
    .where(and(eq(monthlyGifts.orgId, orgId), sql`${monthlyGifts.needId} is not null`))
    .orderBy(desc(monthlyGifts.createdAt), asc(monthlyGifts.id))
    .limit(limit)
    .offset(Math.max(0, options.offset ?? 0));
  const total = rows[0]?.total ?? 0;
  return {
    total,
    rows: rows.map((r) => {
      const live = r.gift.status === "active" || r.gift.status === "past_due";
      const first = r.firstPeriod ?? monthOf(r.timeZone, r.gift.createdAt);
      const dueMonths = live ? Math.min(r.need.months ?? 0, monthsBetween(first, monthOf(r.timeZone, now)) + 1) : r.paidMonths;
      return { ...r, receivedMinor: Number(r.receivedMinor), dueMonths, arrears: Math.max(0, dueMonths - r.paidMonths) };
    }),
  };
}

/** Whole months from one YYYY-MM to another (0 for the same month). */
export function monthsBetween(from: string, to: string): number {
  const [fy, fm] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  return Math.max(0, (ty - fy) * 12 + (tm - fm));
}

/** Kafala money per month (the last `months` months): what was due from live sponsorships and what arrived. */
export async function sponsorshipMonths(db: DbOrTx, orgId: string, months = 12) {
  const rows = await db
    .select({
      period: pledges.period,
      currency: pledges.currency,
      dueMinor: sql<string>`coalesce(sum(${pledges.amountMinor}), 0)`,
      receivedMinor: sql<string>`coalesce(sum(${pledges.paidMinor}), 0)`,
    })
    .from(pledges)
    .innerJoin(monthlyGifts, eq(monthlyGifts.id, pledges.monthlyGiftId))
    .where(and(eq(pledges.orgId, orgId), sql`${monthlyGifts.needId} is not null`))
    .groupBy(pledges.period, pledges.currency)
    .orderBy(desc(pledges.period))
    .limit(months * 4);
  return rows.map((r) => ({ period: r.period!, currency: r.currency, dueMinor: Number(r.dueMinor), receivedMinor: Number(r.receivedMinor) })).reverse();
}
