import { randomBytes } from "node:crypto";
import { and, count, desc, eq, gt } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "#db/client.server";
import { checkoutSessions, needs, orgPaymentDetails, organizations, pledges } from "#db/schema";
import { coverAmountFor } from "./card-fees";
import { cardPaymentsAvailable, stripeClient } from "./stripe-client.server";
import { StripeAmountError, stripeTakes, toStripeAmount } from "./stripe-currency";
import { pledgeTitleIn } from "~/modules/needs/titles";

export { cardPaymentsAvailable } from "./stripe-client.server";

/**
 * Stripe Checkout for a card pledge (decision 056). One Checkout Session per pledge at a time
 * (an open one is reused), mode payment, in the pledge's currency converted to Stripe's units,
 * the pledge reference as client_reference_id and in metadata (the webhook reads it back), a
 * Stripe idempotency key derived from the pledge, expiring with the card hold. Without
 * STRIPE_SECRET_KEY outside production the session is the stand-in's (/dev/checkout/:id).
 */

export const CHECKOUT_ERROR_CODES = ["pledge_not_found", "not_payable", "hold_ended", "card_unavailable", "amount_not_chargeable", "stripe_failed"] as const;
export type CheckoutErrorCode = (typeof CHECKOUT_ERROR_CODES)[number];

export class CheckoutError extends Error {
  constructor(readonly code: CheckoutErrorCode) {
    super(code);
    this.name = "CheckoutError";
  }
  get status(): 404 | 409 | 502 {
    return this.code === "pledge_not_found" ? 404 : this.code === "stripe_failed" ? 502 : 409;
  }
  /** The i18n key of the message. */
  get messageKey(): string {
    return `card:errors.${this.code}`;
  }
}

/** Stripe's smallest session lifetime is 30 minutes, its largest 24 hours. */
const MIN_LIFETIME_MS = 31 * 60 * 1000;
const MAX_LIFETIME_MS = 24 * 60 * 60 * 1000 - 60 * 1000;
/** A session closer than this to its end is not handed out again. */
const REUSE_MARGIN_MS = 5 * 60 * 1000;

/**
 * Stripe Checkout has no Arabic page (its locale list, SDK 23.1): an Arabic donor's page follows
 * the browser ("auto"); ours stay in Arabic before and after.
 */
const STRIPE_LOCALE = { ar: "auto", en: "en" } as const;

export type CheckoutMetadata = {
  pledgeReference: string;
  pledgeId: string;
  orgId: string;
  giftMinor: string;
  coverFeeMinor: string;
};

export interface StartCheckoutInput {
  pledgeId: string;
  /** The donor ticked "cover the processing fee". */
  coverFee: boolean;
  /** The app's public origin (success, cancel and stand-in URLs). */
  origin: string;
  locale: "ar" | "en";
  now?: Date;
}

/** Whether a card pledge of this organisation and currency can be paid now. */
export function cardOfferedFor(details: { cardEnabled?: boolean | null } | null | undefined, currency: string): boolean {
  return cardPaymentsAvailable() && details?.cardEnabled === true && stripeTakes(currency);
}

/** Where Stripe (or the stand-in) sends the donor back. */
export function returnUrls(origin: string, reference: string) {
  const base = `${origin.replace(/\/$/, "")}/pledges/${encodeURIComponent(reference)}/card-return`;
  return { success: `${base}?session_id={CHECKOUT_SESSION_ID}`, cancel: `${base}?cancelled=1` };
}

/**
 * Opens (or reuses) the Checkout Session of a card pledge and answers where to send the donor.
 * Refused with a CheckoutError (nothing stored): a pledge that is not a card pledge awaiting
 * payment, a hold too close to its end, card no longer offered, an amount Stripe cannot charge
 * exactly (a three-decimal currency not ending in 0), or Stripe refusing.
 */
export async function startCheckout(db: Db, input: StartCheckoutInput): Promise<{ url: string; sessionId: string }> {
  const now = input.now ?? new Date();
  const locale = input.locale === "en" ? "en" : "ar";
  if (!/^[0-9a-f-]{36}$/i.test(input.pledgeId)) throw new CheckoutError("pledge_not_found");
  return db.transaction(async (tx) => {
    // The pledge's row lock: two clicks at once open one session.
    const [pledge] = await tx.select().from(pledges).where(eq(pledges.id, input.pledgeId)).for("update");
    if (!pledge) throw new CheckoutError("pledge_not_found");
    if (pledge.method !== "card" || pledge.status !== "awaiting_payment") throw new CheckoutError("not_payable");
    if (!pledge.expiresAt || pledge.expiresAt.getTime() - now.getTime() < MIN_LIFETIME_MS) throw new CheckoutError("hold_ended");
    const [details] = await tx.select({ cardEnabled: orgPaymentDetails.cardEnabled }).from(orgPaymentDetails).where(eq(orgPaymentDetails.orgId, pledge.orgId)).limit(1);
    if (!cardOfferedFor(details, pledge.currency)) throw new CheckoutError("card_unavailable");

    const giftMinor = pledge.amountMinor - pledge.paidMinor;
    if (giftMinor <= 0) throw new CheckoutError("not_payable");
    const coverFeeMinor = input.coverFee ? coverAmountFor(giftMinor, pledge.currency) : 0;

    // The same choice again: the open session.
    const [open] = await tx
      .select()
      .from(checkoutSessions)
      .where(and(eq(checkoutSessions.pledgeId, pledge.id), eq(checkoutSessions.status, "open"), gt(checkoutSessions.expiresAt, new Date(now.getTime() + REUSE_MARGIN_MS))))
      .orderBy(desc(checkoutSessions.createdAt))
      .limit(1);
    if (open && open.giftMinor === giftMinor && open.coverFeeMinor === coverFeeMinor) return { url: open.url, sessionId: open.id };

    let giftStripe: number;
    let coverStripe: number;
    try {
      giftStripe = toStripeAmount(giftMinor, pledge.currency);
      coverStripe = toStripeAmount(coverFeeMinor, pledge.currency);
    } catch (error) {
      if (error instanceof StripeAmountError) throw new CheckoutError("amount_not_chargeable");
      throw error;
    }
    const expiresAt = new Date(Math.floor(Math.min(pledge.expiresAt.getTime(), now.getTime() + MAX_LIFETIME_MS) / 1000) * 1000);
    const [{ n }] = await tx.select({ n: count() }).from(checkoutSessions).where(eq(checkoutSessions.pledgeId, pledge.id));
    const metadata: CheckoutMetadata = {
      pledgeReference: pledge.reference,
      pledgeId: pledge.id,
      orgId: pledge.orgId,
      giftMinor: String(giftMinor),
      coverFeeMinor: String(coverFeeMinor),
    };
    const [need] = pledge.needId ? await tx.select({ titleAr: needs.titleAr, titleEn: needs.titleEn }).from(needs).where(eq(needs.id, pledge.needId)).limit(1) : [];
    const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, pledge.orgId)).limit(1);
    const title = pledgeTitleIn({ need: need ?? null, org: org!, zakat: pledge.zakat }, locale) || pledge.reference;
    const urls = returnUrls(input.origin, pledge.reference);

    let id: string;
    let url: string;
    const stripe = stripeClient();
    if (stripe) {
      const params: Stripe.Checkout.SessionCreateParams = {
        mode: "payment",
        locale: STRIPE_LOCALE[locale],
        client_reference_id: pledge.reference,
        customer_email: pledge.email,
        line_items: [
          {
            quantity: 1,
            price_data: { currency: pledge.currency.toLowerCase(), unit_amount: giftStripe, product_data: { name: `${title} (${pledge.reference})`.slice(0, 250) } },
          },
          ...(coverStripe > 0
            ? [{ quantity: 1, price_data: { currency: pledge.currency.toLowerCase(), unit_amount: coverStripe, product_data: { name: locale === "ar" ? "تغطية رسوم المعالجة" : "Processing fee cover" } } }]
            : []),
        ],
        metadata,
        payment_intent_data: { metadata, description: `Tadamon pledge ${pledge.reference}` },
        success_url: urls.success,
        cancel_url: urls.cancel,
        expires_at: Math.floor(expiresAt.getTime() / 1000),
      };
      try {
        const session = await stripe.checkout.sessions.create(params, { idempotencyKey: `tadamon-checkout-${pledge.id}-${n}-${coverFeeMinor}` });
        if (!session.url) throw new Error("Stripe answered a session without a url");
        id = session.id;
        url = session.url;
      } catch (error) {
        console.error("[checkout] Stripe refused the session", error instanceof Error ? error.message : error);
        throw new CheckoutError("stripe_failed");
      }
    } else {
      id = `cs_test_standin_${randomBytes(16).toString("hex")}`;
      url = `${input.origin.replace(/\/$/, "")}/dev/checkout/${id}`;
    }
    // A newer choice replaces the open session (Stripe's expires on its own; the webhook of a
    // late payment on it still lands, by the pledge reference).
    if (open && stripe && !open.id.startsWith("cs_test_standin_")) {
      await stripe.checkout.sessions.expire(open.id).catch((error) => console.warn("[checkout] could not expire", open.id, error instanceof Error ? error.message : error));
    }
    if (open) await tx.update(checkoutSessions).set({ status: "expired" }).where(eq(checkoutSessions.id, open.id));
    await tx
      .insert(checkoutSessions)
      .values({ id, pledgeId: pledge.id, orgId: pledge.orgId, giftMinor, coverFeeMinor, currency: pledge.currency, status: "open", url, expiresAt, createdAt: now })
      .onConflictDoNothing();
    return { url, sessionId: id };
  });
}

/** What the card pages (continue, return, stand-in) show of a pledge, by its reference: null when unknown. */
export async function cardPledgeView(db: Db, reference: string) {
  const [row] = await db
    .select({
      pledge: {
        id: pledges.id,
        reference: pledges.reference,
        status: pledges.status,
        method: pledges.method,
        amountMinor: pledges.amountMinor,
        paidMinor: pledges.paidMinor,
        currency: pledges.currency,
        expiresAt: pledges.expiresAt,
        email: pledges.email,
        displayName: pledges.displayName,
        zakat: pledges.zakat,
        locale: pledges.locale,
        donorUserId: pledges.donorUserId,
        orgId: pledges.orgId,
      },
      need: { titleAr: needs.titleAr, titleEn: needs.titleEn, publicId: needs.publicId },
      org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn, timeZone: organizations.timeZone },
      cardEnabled: orgPaymentDetails.cardEnabled,
    })
    .from(pledges)
    .leftJoin(needs, eq(needs.id, pledges.needId))
    .innerJoin(organizations, eq(organizations.id, pledges.orgId))
    .leftJoin(orgPaymentDetails, eq(orgPaymentDetails.orgId, pledges.orgId))
    .where(eq(pledges.reference, reference))
    .limit(1);
  if (!row) return null;
  const payable = row.pledge.method === "card" && row.pledge.status === "awaiting_payment";
  return { ...row, payable, cardOffered: cardOfferedFor({ cardEnabled: row.cardEnabled }, row.pledge.currency) };
}
