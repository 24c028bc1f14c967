/**
 * A gift to an organisation's solidarity fund (issue 12): a pledge with no need (kind `fund`),
 * paid like any pledge — card through Checkout, or offline with its reference, which the statement
 * import matches — whose money goes to the organisation's fund (the zakat fund for zakat). The
 * allocator then gives it to the most urgent verified needs that fit the gift's restrictions: the
 * categories and the governorate the donor chose, and zakat. It reserves nothing on any need.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "#db/client.server";
import { appeals, organizations, pledges, regions, users } from "#db/schema";
import { takesSponsor } from "~/modules/giving/appeals.server";
import { checkLimits, recordHits, type LimitRule } from "~/modules/rate-limits/rate-limits.server";
import { PLEDGE_LIMITS, retryAfterSeconds } from "~/modules/rate-limits/rules";
import { NEED_CATEGORIES, type NeedCategory } from "~/modules/needs/schemas";
import { fundTitleIn } from "~/modules/needs/titles";
import { generateToken, hashToken } from "~/modules/identity/tokens";
import { cardAvailable, minimumFor } from "./amounts";
import { PledgeError } from "./errors";
import { initialHold } from "./holds";
import { PLATFORM_CARD_PAYMENTS, offeredMethods } from "./methods";
import { insertPledge, sendInstructions } from "./pledge-create.server";
import { isUuid } from "~/utils/uuid";
import { OFFLINE_METHODS, getOrgWithPaymentDetails, getPaymentDetails, normalizeEmail, type CreatePledgeInput, type CreatePledgeResult } from "./pledge-steps.server";

export type CreateFundPledgeInput = Omit<CreatePledgeInput, "needPublicId" | "items" | "message"> & {
  orgSlug: string;
  /** Only needs in these categories (empty: any). */
  categories?: readonly string[];
  /** Only needs in this governorate of the organisation (null: anywhere). */
  regionId?: string | null;
  /** The matching sponsor of this appeal of the organisation (decision 068): the money waits to match its gifts. */
  appealSlug?: string | null;
};

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Creates a fund pledge in one transaction. A double submit (same idempotency key) answers the
 * first pledge and changes nothing. Refused, nothing written: an unknown organisation, a currency
 * other than the organisation's, an amount under the currency's minimum, a method it does not
 * offer, a category not in the list, a region that is not one of the organisation's governorates
 * (its districts and camps are private), the rate limits.
 */
export async function createFundPledge(db: Db, input: CreateFundPledgeInput): Promise<CreatePledgeResult> {
  const now = input.now ?? new Date();
  const { email, key, categories, regionId } = screenFundGift(input);

  return db.transaction(async (tx) => {
    // Two submits of one form wait here for each other; the second finds the first pledge.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`pledge-key:${key}`}))`);
    const { org, details, replayId } = await orgOfFundGift(tx, input.orgSlug, key);
    if (replayId) {
      const [existing] = await tx.select().from(pledges).where(eq(pledges.id, replayId)).limit(1);
      if (!existing || existing.kind !== "fund" || existing.orgId !== org.id || existing.email !== email) throw new PledgeError("idempotency_conflict");
      return { pledge: existing, created: false };
    }
    const { currency, limitRules, verifiedDonor } = await checkFundGift(tx, { ...input, email, regionId, now }, org, details);
    let appealId: string | null = null;
    if (input.appealSlug) {
      const [appeal] = await tx
        .select({ id: appeals.id, orgId: appeals.orgId, matchPercent: appeals.matchPercent, endsAt: appeals.endsAt })
        .from(appeals)
        .where(eq(appeals.slug, String(input.appealSlug).slice(0, 80)))
        .limit(1);
      if (!appeal || !takesSponsor(appeal, org.id, now) || input.zakat || categories.length || regionId) {
        throw new PledgeError("appeal_invalid");
      }
      appealId = appeal.id;
    }

    const offline = (OFFLINE_METHODS as readonly string[]).includes(input.method);
    const hold = initialHold(offline ? "offline" : "card", { now, verifiedDonor, expiryDays: details?.pledgeExpiryDays });
    const confirmToken = hold.confirmed ? null : generateToken();

    const pledge = await insertPledge(tx, {
      kind: "fund",
      needId: null,
      orgId: org.id,
      zakat: input.zakat === true,
      fundCategories: categories.length ? (categories as NeedCategory[]) : null,
      fundRegionId: regionId,
      appealId,
      donorUserId: input.donorUserId ?? null,
      email,
      displayName: input.displayName?.trim() || null,
      anonymous: input.anonymous ?? false,
      amountMinor: input.amountMinor,
      currency,
      method: input.method,
      status: input.method === "card" ? "awaiting_payment" : "pending",
      idempotencyKey: key,
      expiresAt: hold.expiresAt,
      confirmedAt: hold.confirmed ? now : null,
      confirmTokenHash: confirmToken ? hashToken(confirmToken) : null,
      locale: input.locale,
      createdAt: now,
      updatedAt: now,
    });
    await recordHits(tx, limitRules, now);
    if (offline) {
      await sendInstructions(tx, { pledge, org, details, title: fundTitleIn(org, pledge.zakat, input.locale), confirmToken, now, origin: input.origin });
    }
    return { pledge, created: true, confirmToken };
  });
}

/**
 * The checks of a gift to a fund that need no database (shared by one-off and monthly gifts):
 * the idempotency key, the organisation's slug, categories from the list, a region id's shape, no
 * delivery. Answers the normalised email, key, categories and region.
 */
export function screenFundGift(input: Pick<CreateFundPledgeInput, "email" | "idempotencyKey" | "orgSlug" | "categories" | "regionId" | "method">) {
  const email = normalizeEmail(input.email);
  const key = String(input.idempotencyKey ?? "").trim();
  if (key.length < 16 || key.length > 100) throw new PledgeError("idempotency_conflict");
  if (typeof input.orgSlug !== "string" || !SLUG.test(input.orgSlug)) throw new PledgeError("org_not_found");
  const categories = [...new Set(input.categories ?? [])];
  if (categories.some((c) => !(NEED_CATEGORIES as readonly string[]).includes(c))) throw new PledgeError("category_invalid");
  const regionId = input.regionId ? input.regionId.toLowerCase() : null;
  if (regionId && !isUuid(regionId)) throw new PledgeError("region_invalid");
  if (input.method === "delivery") throw new PledgeError("method_not_offered");
  return { email, key, categories: categories as NeedCategory[], regionId };
}

/** The organisation a fund gift names (by slug), its payment details, and whether the key already made a pledge. */
export async function orgOfFundGift(tx: DbOrTx, slug: string, key: string) {
  const [found] = await tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)).limit(1);
  if (!found) throw new PledgeError("org_not_found");
  const { org, details, replayId } = await getOrgWithPaymentDetails(tx, found.id, key);
  if (!org) throw new PledgeError("org_not_found");
  return { org, details, replayId };
}

/**
 * The checks of a fund gift against its organisation (inside the caller's transaction): its
 * currency, the method offered (card only in a currency Stripe takes), the minimum, the region one
 * of its governorates, the rate limits. Answers the currency, the limit rules to count once the
 * gift exists, and whether the donor is signed in with this verified address.
 */
export async function checkFundGift(
  tx: Tx,
  input: Pick<CreateFundPledgeInput, "currency" | "cardPayments" | "method" | "amountMinor" | "rateLimit" | "donorUserId"> & { email: string; regionId: string | null; now: Date },
  org: { id: string; defaultCurrency: string },
  details: Parameters<typeof offeredMethods>[0],
) {
  const currency = input.currency.toUpperCase();
  if (currency !== org.defaultCurrency) throw new PledgeError("currency_mismatch", { currency: org.defaultCurrency });
  const cardPayments = input.cardPayments ?? PLATFORM_CARD_PAYMENTS;
  if (input.method === "card" && cardPayments && !cardAvailable(currency)) throw new PledgeError("card_unavailable");
  if (!(offeredMethods(details, currency, cardPayments) as string[]).includes(input.method)) throw new PledgeError("method_not_offered");
  const minimumMinor = minimumFor(currency);
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < minimumMinor) throw new PledgeError("below_minimum", { minimumMinor, currency });
  if (input.regionId) {
    const [region] = await tx
      .select({ id: regions.id })
      .from(regions)
      .where(and(eq(regions.id, input.regionId), eq(regions.orgId, org.id), inArray(regions.level, ["governorate"])))
      .limit(1);
    if (!region) throw new PledgeError("region_invalid");
  }
  const limitRules: LimitRule[] = input.rateLimit
    ? [
        { bucket: "pledge_ip", key: input.rateLimit.ip, limits: PLEDGE_LIMITS.ip },
        { bucket: "pledge_email", key: input.email, limits: PLEDGE_LIMITS.email },
      ]
    : [];
  if (limitRules.length) {
    const until = await checkLimits(tx, limitRules, input.now);
    if (until) throw new PledgeError("rate_limited", { retryAfterSeconds: retryAfterSeconds(until, input.now) });
  }
  let verifiedDonor = false;
  if (input.donorUserId) {
    const [donor] = await tx.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, input.donorUserId)).limit(1);
    verifiedDonor = Boolean(donor?.verifiedAt && donor.email === input.email);
  }
  return { currency, limitRules, verifiedDonor };
}

/** What the fund gift form shows for an organisation: its names, currency, methods and governorates. Null: no such organisation. */
export async function fundGiftForm(db: DbOrTx, slug: string, cardPayments: boolean) {
  if (typeof slug !== "string" || !SLUG.test(slug)) return null;
  const [org] = await db
    .select({ id: organizations.id, slug: organizations.slug, nameAr: organizations.nameAr, nameEn: organizations.nameEn, currency: organizations.defaultCurrency })
    .from(organizations)
    .where(eq(organizations.slug, slug))
    .limit(1);
  if (!org) return null;
  const [details, governorates] = await Promise.all([
    getPaymentDetails(db, org.id),
    db
      .select({ id: regions.id, nameAr: regions.nameAr, nameEn: regions.nameEn })
      .from(regions)
      .where(and(eq(regions.orgId, org.id), eq(regions.level, "governorate")))
      .orderBy(asc(regions.sortOrder), asc(regions.nameEn)),
  ]);
  return { org, governorates, methods: offeredMethods(details, org.currency, cardPayments), minimumMinor: minimumFor(org.currency) };
}
