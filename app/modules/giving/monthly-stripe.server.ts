/**
 * Monthly card gifts through Stripe subscriptions (issue 12, decision 066).
 *
 * - startSubscriptionCheckout: Checkout in `subscription` mode, a monthly price in the gift's
 *   currency, the gift's id in the session's and the subscription's metadata. Without
 *   STRIPE_SECRET_KEY (outside production) the stand-in's page /dev/subscribe/:giftId.
 * - The events (stripe-events.server.ts hands them here, as the system):
 *   `checkout.session.completed` (mode subscription) → the gift is active, with its subscription;
 *   `invoice.paid` → that month's pledge and its payment (ledger, receipt, the fund) — keyed by the
 *   invoice and its payment intent, so a repeated or early event books nothing twice;
 *   `invoice.payment_failed` → `past_due`, the donor is emailed once per attempt with the link to
 *   update the card; `customer.subscription.deleted` → `cancelled`.
 *   Events may come in any order: an invoice before the session names the gift by its metadata.
 * - The stand-in bills its subscriptions once a month from the monthly-gifts job (a signed
 *   `invoice.paid` through the webhook, like its checkout).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, inArray, like, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "#db/client.server";
import { monthlyGifts, needs, organizations, pledges } from "#db/schema";
import { remainingOf } from "~/modules/pledging/amounts";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { todayIn } from "~/modules/needs/money";
import { estimateCardFee } from "~/modules/payments/card-fees";
import { recordPayment } from "~/modules/payments/payments.server";
import { stripeClient, usingStandIn, webhookSecret } from "~/modules/payments/stripe-client.server";
import { fromStripeAmount, toStripeAmount, StripeAmountError, stripeTakes } from "~/modules/payments/stripe-currency";
import { UUID_PATTERN } from "~/utils/uuid";
import { ENDED, enqueueMonthlyEmail, giftTargetIn, insertMonthPledge, markCancelled, monthOf, monthlyGiftPath, MonthlyGiftError, type CancelSubscriptionFn, type MonthlyGift } from "./monthly.server";

type Json = Record<string, unknown>;
type Outcome = { status: "processed" | "deferred" | "ignored"; note?: string };

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const obj = (v: unknown): Json | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v)?.id);

export const STANDIN_SUBSCRIPTION_PREFIX = "sub_test_standin_";

export type SubscriptionMetadata = { monthlyGiftId: string; orgId: string };

// ---------------------------------------------------------------- checkout

/** Where Stripe sends the donor back: the gift's own (signed) page. */
function giftUrls(origin: string, giftId: string) {
  const page = `${origin.replace(/\/+$/, "")}${monthlyGiftPath(giftId)}`;
  return { success: `${page}&started=1`, cancel: `${page}&checkout=cancelled` };
}

/**
 * Opens Checkout for a card gift that has no subscription yet and answers where to send the donor.
 * Refused (MonthlyGiftError): unknown, cancelled, not card, a currency Stripe does not take or an
 * amount it cannot charge (`not_card`), Stripe refusing (`stripe_failed`).
 */
export async function startSubscriptionCheckout(db: Db, input: { giftId: string; origin: string; locale: "ar" | "en"; now?: Date }): Promise<{ url: string }> {
  const now = input.now ?? new Date();
  if (!UUID_PATTERN.test(input.giftId)) throw new MonthlyGiftError("not_found");
  const [row] = await db
    .select({ gift: monthlyGifts, org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn }, need: { titleAr: needs.titleAr, titleEn: needs.titleEn } })
    .from(monthlyGifts)
    .innerJoin(organizations, eq(organizations.id, monthlyGifts.orgId))
    .leftJoin(needs, eq(needs.id, monthlyGifts.needId))
    .where(eq(monthlyGifts.id, input.giftId))
    .limit(1);
  if (!row) throw new MonthlyGiftError("not_found");
  const { gift, org, need } = row;
  if (ENDED.includes(gift.status)) throw new MonthlyGiftError("cancelled");
  if (gift.method !== "card" || gift.stripeSubscriptionId || !stripeTakes(gift.currency)) throw new MonthlyGiftError("not_card");
  let unitAmount: number;
  try {
    unitAmount = toStripeAmount(gift.amountMinor, gift.currency);
  } catch (error) {
    if (error instanceof StripeAmountError) throw new MonthlyGiftError("not_card");
    throw error;
  }
  const stripe = stripeClient();
  const urls = giftUrls(input.origin, gift.id);
  if (!stripe) {
    if (!usingStandIn()) throw new MonthlyGiftError("stripe_failed");
    return { url: `${input.origin.replace(/\/+$/, "")}/dev/subscribe/${gift.id}` };
  }
  const metadata: SubscriptionMetadata = { monthlyGiftId: gift.id, orgId: gift.orgId };
  const name = giftTargetIn(org, gift, gift.needId ? need : null, input.locale);
  const params: Stripe.Checkout.SessionCreateParams = {
    mode: "subscription",
    locale: input.locale === "en" ? "en" : "auto",
    client_reference_id: gift.id,
    customer_email: gift.email,
    line_items: [
      {
        quantity: 1,
        price_data: { currency: gift.currency.toLowerCase(), unit_amount: unitAmount, recurring: { interval: "month" }, product_data: { name: (gift.needId ? name : `${input.locale === "ar" ? "عطاء شهري" : "Monthly gift"}: ${name}`).slice(0, 250) } },
      },
    ],
    metadata,
    subscription_data: { metadata, description: `Tadamon monthly gift ${gift.id}` },
    success_url: urls.success,
    cancel_url: urls.cancel,
  };
  try {
    // One session per gift per hour: a double click gets the same one.
    const session = await stripe.checkout.sessions.create(params, { idempotencyKey: `tadamon-subscribe-${gift.id}-${Math.floor(now.getTime() / 3_600_000)}` });
    if (!session.url) throw new Error("Stripe answered a session without a url");
    return { url: session.url };
  } catch (error) {
    console.error("[monthly] Stripe refused the subscription session", error instanceof Error ? error.message : error);
    throw new MonthlyGiftError("stripe_failed");
  }
}

/** Cancels a subscription at Stripe (the stand-in's have nothing to cancel). */
export const cancelStripeSubscription: CancelSubscriptionFn = async (subscriptionId, idempotencyKey) => {
  if (subscriptionId.startsWith(STANDIN_SUBSCRIPTION_PREFIX)) return;
  const stripe = stripeClient();
  if (!stripe) throw new Error("card subscriptions need STRIPE_SECRET_KEY");
  try {
    await stripe.subscriptions.cancel(subscriptionId, {}, { idempotencyKey });
  } catch (error) {
    // Already cancelled at Stripe (the donor cancelled twice, or Stripe ended it): nothing to undo.
    if (obj(error)?.code === "resource_missing" || /canceled subscription/i.test(error instanceof Error ? error.message : "")) return;
    throw error;
  }
};

/**
 * Where the donor updates the card of a gift: Stripe's customer portal, or the stand-in's page.
 * Refused: no subscription (`not_card`), Stripe refusing.
 */
export async function updateCardUrl(gift: MonthlyGift, origin: string): Promise<string> {
  if (ENDED.includes(gift.status)) throw new MonthlyGiftError("cancelled");
  if (!gift.stripeSubscriptionId) throw new MonthlyGiftError("not_card");
  const back = `${origin.replace(/\/+$/, "")}${monthlyGiftPath(gift.id)}`;
  if (gift.stripeSubscriptionId.startsWith(STANDIN_SUBSCRIPTION_PREFIX)) return `${origin.replace(/\/+$/, "")}/dev/subscribe/${gift.id}?update=1`;
  const stripe = stripeClient();
  if (!stripe || !gift.stripeCustomerId) throw new MonthlyGiftError("stripe_failed");
  try {
    const session = await stripe.billingPortal.sessions.create({ customer: gift.stripeCustomerId, return_url: back, locale: gift.locale === "en" ? "en" : "auto" });
    return session.url;
  } catch (error) {
    console.error("[monthly] Stripe refused the portal session", error instanceof Error ? error.message : error);
    throw new MonthlyGiftError("stripe_failed");
  }
}

// ---------------------------------------------------------------- events

/** The gift an event names: by its subscription id, then by the metadata's gift id (events out of order). */
async function giftFor(db: Db, subscriptionId: string | null, metadata: Json | null): Promise<MonthlyGift | null> {
  if (subscriptionId) {
    const [bySub] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.stripeSubscriptionId, subscriptionId)).limit(1);
    if (bySub) return bySub;
  }
  const metaId = str(metadata?.monthlyGiftId);
  if (!metaId || !UUID_PATTERN.test(metaId)) return null;
  const [byMeta] = await db.select().from(monthlyGifts).where(eq(monthlyGifts.id, metaId)).limit(1);
  if (!byMeta) return null;
  const metaOrg = str(metadata?.orgId);
  if (metaOrg && metaOrg !== byMeta.orgId) return null;
  // The metadata may not claim a gift that already has another subscription.
  if (subscriptionId && byMeta.stripeSubscriptionId && byMeta.stripeSubscriptionId !== subscriptionId) return null;
  return byMeta;
}

/** Ties the subscription (and customer) to the gift and starts it, once; answers the gift as it is now. */
async function attachSubscription(db: Db, gift: MonthlyGift, subscriptionId: string | null, customerId: string | null, origin: string | undefined, now: Date): Promise<MonthlyGift> {
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)).for("update");
    const starting = locked.status === "incomplete";
    const [updated] = await tx
      .update(monthlyGifts)
      .set({
        stripeSubscriptionId: locked.stripeSubscriptionId ?? subscriptionId,
        stripeCustomerId: locked.stripeCustomerId ?? customerId,
        status: starting ? "active" : locked.status,
        updatedAt: now,
      })
      .where(eq(monthlyGifts.id, gift.id))
      .returning();
    if (starting && origin) {
      const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, gift.orgId)).limit(1);
      await enqueueMonthlyEmail(tx, updated, org!, "started", origin);
    }
    return updated;
  });
}

/** `checkout.session.completed` in subscription mode. */
export async function subscriptionCheckoutCompleted(db: Db, session: Json, ctx: { origin?: string; now: Date }): Promise<Outcome> {
  const subscriptionId = idOf(session.subscription);
  const metadata = obj(session.metadata);
  const gift = await giftFor(db, subscriptionId, metadata ?? { monthlyGiftId: str(session.client_reference_id) });
  if (!gift) return { status: "ignored", note: "no monthly gift of ours" };
  const updated = await attachSubscription(db, gift, subscriptionId, idOf(session.customer), ctx.origin, ctx.now);
  return { status: "processed", note: `monthly gift ${updated.id} ${updated.status}` };
}

/** The subscription an invoice belongs to, and the metadata Stripe copied from it (API 2025+ and older shapes). */
function invoiceSubscription(invoice: Json): { subscriptionId: string | null; metadata: Json | null } {
  const details = obj(obj(invoice.parent)?.subscription_details);
  const subscriptionId = idOf(details?.subscription) ?? idOf(invoice.subscription);
  const metadata = obj(details?.metadata) ?? obj(invoice.subscription_details && obj(invoice.subscription_details)?.metadata) ?? null;
  return { subscriptionId, metadata };
}

/** The payment intent that paid an invoice: in the event (payments expanded), else asked of Stripe. */
async function invoicePaymentIntent(invoice: Json): Promise<string | null> {
  const listed = (obj(invoice.payments)?.data as Json[] | undefined) ?? [];
  for (const p of listed) {
    const pi = idOf(obj(p.payment)?.payment_intent);
    if (pi && (str(p.status) ?? "paid") === "paid") return pi;
  }
  const legacy = idOf(invoice.payment_intent);
  if (legacy) return legacy;
  const id = str(invoice.id);
  const stripe = stripeClient();
  if (!id || !stripe) return null;
  const found = await stripe.invoicePayments.list({ invoice: id, limit: 10 });
  for (const p of found.data) {
    const pi = idOf((p.payment as unknown as Json | undefined)?.payment_intent);
    if (pi && p.status === "paid") return pi;
  }
  return null;
}

/** Stripe's fee for a payment intent (the stand-in's: the estimate); "not_ready" before its balance transaction exists. */
async function feeOf(paymentIntentId: string, amountMinor: number, currency: string): Promise<number | "not_ready"> {
  const stripe = stripeClient();
  if (!stripe) return estimateCardFee(amountMinor, currency);
  const intent = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge.balance_transaction"] });
  const bt = obj(obj(intent.latest_charge as unknown)?.balance_transaction);
  if (!bt || typeof bt.fee !== "number") return "not_ready";
  if ((str(bt.currency) ?? currency).toUpperCase() !== currency) return estimateCardFee(amountMinor, currency);
  return fromStripeAmount(bt.fee, currency, "nearest");
}

/**
 * `invoice.paid`: the month's pledge (keyed by the invoice) and its payment (keyed by the payment
 * intent: the same money is never booked twice, whichever event brings it). A gift that was
 * cancelled meanwhile still books money that arrived; a cancelled gift is never started again.
 */
export async function invoicePaid(db: Db, invoice: Json, ctx: { origin?: string; now: Date; created: number }): Promise<Outcome> {
  const invoiceId = str(invoice.id);
  const { subscriptionId, metadata } = invoiceSubscription(invoice);
  if (!invoiceId || !subscriptionId) return { status: "ignored", note: "not a subscription invoice" };
  let gift = await giftFor(db, subscriptionId, metadata);
  if (!gift) return metadata?.monthlyGiftId ? { status: "deferred", note: "monthly gift not found yet" } : { status: "ignored", note: "no monthly gift of ours" };
  if (typeof invoice.amount_paid !== "number" || invoice.amount_paid <= 0) return { status: "ignored", note: "nothing paid" };
  const currency = (str(invoice.currency) ?? gift.currency).toUpperCase();
  const amountMinor = fromStripeAmount(invoice.amount_paid, currency);
  const paymentIntentId = await invoicePaymentIntent(invoice);
  if (!paymentIntentId) return { status: "deferred", note: "invoice payment not listed yet" };
  const fee = await feeOf(paymentIntentId, amountMinor, currency);
  if (fee === "not_ready") return { status: "deferred", note: "balance transaction not ready" };
  if (!gift.stripeSubscriptionId || gift.status === "incomplete") gift = await attachSubscription(db, gift, subscriptionId, idOf(invoice.customer), ctx.origin, ctx.now);

  const [org] = await db.select({ timeZone: organizations.timeZone }).from(organizations).where(eq(organizations.id, gift.orgId)).limit(1);
  const line = ((obj(invoice.lines)?.data as Json[] | undefined) ?? [])[0];
  const periodStart = Number(obj(line?.period)?.start ?? invoice.period_start ?? ctx.created);
  const paidAt = Number.isFinite(ctx.created) && ctx.created > 0 ? new Date(Math.min(ctx.created * 1000, ctx.now.getTime())) : ctx.now;
  const period = monthOf(org!.timeZone, Number.isFinite(periodStart) && periodStart > 0 ? new Date(periodStart * 1000) : paidAt);

  const key = `invoice:${invoiceId}`;
  const pledge = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`pledge-key:${key}`}))`);
    const [existing] = await tx.select().from(pledges).where(eq(pledges.idempotencyKey, key)).limit(1);
    if (existing) return existing;
    return insertMonthPledge(tx, gift!, period, {
      status: "awaiting_payment",
      idempotencyKey: key,
      expiresAt: new Date(ctx.now.getTime() + 7 * 86_400_000),
      confirmedAt: ctx.now,
      now: ctx.now,
    });
  });
  const result = await recordPayment(db, SYSTEM_ACTOR, {
    orgId: gift.orgId,
    pledgeId: pledge.id,
    method: "card",
    amountMinor,
    feeMinor: Math.min(fee, amountMinor - 1),
    currency,
    valueDate: todayIn(org!.timeZone, paidAt),
    externalId: paymentIntentId,
    idempotencyKey: `stripe-pi:${paymentIntentId}`,
    donorEmail: gift.email,
    donorName: gift.displayName,
    locale: gift.locale,
    origin: ctx.origin,
    now: ctx.now,
  });
  if (gift.status === "past_due") {
    await db.update(monthlyGifts).set({ status: "active", lastFailure: null, updatedAt: ctx.now }).where(and(eq(monthlyGifts.id, gift.id), eq(monthlyGifts.status, "past_due")));
  }
  if (gift.needId) await completeKafalaIfFunded(db, gift, ctx);
  return { status: "processed", note: `${period} ${result.outcome} ${result.payment.id}` };
}

/**
 * A kafala whose need has no room left (funded by this month, or meanwhile) is `completed`: its
 * subscription is cancelled at Stripe so nothing more is charged (a failure is logged; the next
 * invoice, if any, lands in the fund and tries again).
 */
async function completeKafalaIfFunded(db: Db, gift: MonthlyGift, ctx: { origin?: string; now: Date }) {
  const [need] = await db.select().from(needs).where(eq(needs.id, gift.needId!)).limit(1);
  if (need && need.state === "published" && remainingOf(need) > 0) return;
  const ended = await db.transaction(async (tx) => {
    const [locked] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)).for("update");
    if (locked.status === "completed" || locked.status === "cancelled" || locked.status === "lapsed") return null;
    const [updated] = await tx.update(monthlyGifts).set({ status: "completed", updatedAt: ctx.now }).where(eq(monthlyGifts.id, gift.id)).returning();
    if (ctx.origin) {
      const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, gift.orgId)).limit(1);
      await enqueueMonthlyEmail(tx, updated, org!, "completed", ctx.origin);
    }
    return updated;
  });
  if (ended?.stripeSubscriptionId) {
    await cancelStripeSubscription(ended.stripeSubscriptionId, `tadamon-complete-${ended.id}`).catch((error) =>
      console.error("[monthly] could not cancel a completed kafala's subscription", ended.id, error instanceof Error ? error.message : error),
    );
  }
}

/** `invoice.payment_failed`: `past_due`, and the donor is told once per attempt, with the link to update the card. */
export async function invoicePaymentFailed(db: Db, invoice: Json, ctx: { origin?: string; now: Date }): Promise<Outcome> {
  const invoiceId = str(invoice.id);
  const { subscriptionId, metadata } = invoiceSubscription(invoice);
  if (!invoiceId || !subscriptionId) return { status: "ignored", note: "not a subscription invoice" };
  const gift = await giftFor(db, subscriptionId, metadata);
  if (!gift) return { status: "ignored", note: "no monthly gift of ours" };
  const failure = `${invoiceId}:${Number(invoice.attempt_count ?? 1)}`;
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)).for("update");
    if (locked.status === "cancelled") return { status: "ignored" as const, note: "gift cancelled" };
    if (locked.lastFailure === failure) return { status: "processed" as const, note: "already told" };
    // A failure of an invoice already paid (events out of order) changes nothing.
    const [paid] = await tx.select({ id: pledges.id }).from(pledges).where(and(eq(pledges.idempotencyKey, `invoice:${invoiceId}`), inArray(pledges.status, ["paid", "part_paid"]))).limit(1);
    if (paid) return { status: "ignored" as const, note: "invoice already paid" };
    const [updated] = await tx
      .update(monthlyGifts)
      .set({ status: "past_due", lastFailure: failure, stripeSubscriptionId: locked.stripeSubscriptionId ?? subscriptionId, updatedAt: ctx.now })
      .where(eq(monthlyGifts.id, gift.id))
      .returning();
    if (ctx.origin) {
      const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, gift.orgId)).limit(1);
      await enqueueMonthlyEmail(tx, updated, org!, "payment_failed", ctx.origin);
    }
    return { status: "processed" as const, note: `past_due ${failure}` };
  });
}

/** `customer.subscription.deleted`: Stripe ended it (retries exhausted, or the donor's cancel): `cancelled`, the donor told if it was not their doing here. */
export async function subscriptionDeleted(db: Db, subscription: Json, ctx: { origin?: string; now: Date }): Promise<Outcome> {
  const gift = await giftFor(db, str(subscription.id), obj(subscription.metadata));
  if (!gift) return { status: "ignored", note: "no monthly gift of ours" };
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(monthlyGifts).where(eq(monthlyGifts.id, gift.id)).for("update");
    if (locked.status === "cancelled" || locked.status === "completed" || locked.status === "lapsed") return { status: "processed" as const, note: `already ${locked.status}` };
    // A kafala Stripe gave up on after failed payments has lapsed: the need is offered again.
    if (locked.needId && locked.status === "past_due") {
      const [lapsed] = await tx.update(monthlyGifts).set({ status: "lapsed", updatedAt: ctx.now }).where(eq(monthlyGifts.id, gift.id)).returning();
      if (ctx.origin) {
        const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, gift.orgId)).limit(1);
        await enqueueMonthlyEmail(tx, lapsed, org!, "lapsed", ctx.origin);
      }
      return { status: "processed" as const, note: "kafala lapsed" };
    }
    const updated = await markCancelled(tx, locked, null, ctx.now);
    if (ctx.origin) {
      const [org] = await tx.select({ nameAr: organizations.nameAr, nameEn: organizations.nameEn }).from(organizations).where(eq(organizations.id, gift.orgId)).limit(1);
      await enqueueMonthlyEmail(tx, updated, org!, "cancelled", ctx.origin);
    }
    return { status: "processed" as const, note: "cancelled by Stripe" };
  });
}

// ---------------------------------------------------------------- the stand-in

const hash = (s: string, n = 24) => createHash("sha256").update(s).digest("hex").slice(0, n);

function standInEvent(type: string, object: Json, now: Date): Stripe.Event {
  return {
    id: `evt_test_standin_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: null,
    created: Math.floor(now.getTime() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  } as unknown as Stripe.Event;
}

/** The stand-in's subscription id of a gift (one per gift: a double submit is one subscription). */
export function standInSubscriptionId(giftId: string): string {
  return `${STANDIN_SUBSCRIPTION_PREFIX}${hash(giftId)}`;
}

/** Real-shaped `checkout.session.completed` (subscription mode) for a stand-in gift paid with a test card. */
export function standInSubscriptionCompleted(gift: MonthlyGift, now: Date = new Date()): Stripe.Event {
  const metadata: SubscriptionMetadata = { monthlyGiftId: gift.id, orgId: gift.orgId };
  return standInEvent(
    "checkout.session.completed",
    {
      id: `cs_test_standin_sub_${hash(gift.id, 16)}`,
      object: "checkout.session",
      mode: "subscription",
      status: "complete",
      payment_status: "paid",
      client_reference_id: gift.id,
      customer: `cus_test_standin_${hash(gift.email, 14)}`,
      customer_email: gift.email,
      subscription: standInSubscriptionId(gift.id),
      currency: gift.currency.toLowerCase(),
      amount_total: toStripeAmount(gift.amountMinor, gift.currency),
      metadata,
    },
    now,
  );
}

/** Real-shaped `invoice.paid` of a stand-in subscription for one month (API 2025+ shape: parent, payments). */
export function standInInvoicePaid(gift: MonthlyGift, period: string, now: Date = new Date(), reason: "subscription_create" | "subscription_cycle" = "subscription_cycle"): Stripe.Event {
  const invoiceId = `in_test_standin_${hash(`${gift.id}:${period}`)}`;
  const amount = toStripeAmount(gift.amountMinor, gift.currency);
  const start = Math.floor(now.getTime() / 1000);
  return standInEvent(
    "invoice.paid",
    {
      id: invoiceId,
      object: "invoice",
      status: "paid",
      billing_reason: reason,
      amount_due: amount,
      amount_paid: amount,
      attempt_count: 1,
      currency: gift.currency.toLowerCase(),
      customer: gift.stripeCustomerId ?? `cus_test_standin_${hash(gift.email, 14)}`,
      customer_email: gift.email,
      parent: { type: "subscription_details", subscription_details: { subscription: gift.stripeSubscriptionId ?? standInSubscriptionId(gift.id), metadata: { monthlyGiftId: gift.id, orgId: gift.orgId } } },
      lines: { object: "list", data: [{ id: `il_${invoiceId}`, amount, currency: gift.currency.toLowerCase(), period: { start, end: start + 30 * 86_400 } }] },
      payments: { object: "list", data: [{ id: `inpay_${invoiceId}`, status: "paid", payment: { type: "payment_intent", payment_intent: `pi_test_standin_${hash(invoiceId)}` } }] },
      period_start: start,
      period_end: start,
    },
    now,
  );
}

/** The signed request Stripe would send to the webhook. */
export async function signedStandInRequest(event: Stripe.Event, origin: string): Promise<Request> {
  const { signedWebhookRequest } = await import("~/modules/payments/standin.server");
  if (!webhookSecret()) throw new Error("no webhook secret");
  return signedWebhookRequest(event, origin);
}

/**
 * The stand-in bills its active (or past-due) subscriptions for the month they have not paid yet:
 * a signed `invoice.paid` each, handed to `deliver` (the webhook's action). Answers how many.
 */
export async function billStandInSubscriptions(db: Db, options: { origin: string; now?: Date; deliver: (request: Request) => Promise<Response> }): Promise<number> {
  if (!usingStandIn()) return 0;
  const now = options.now ?? new Date();
  const rows = await db
    .select({ gift: monthlyGifts, timeZone: organizations.timeZone })
    .from(monthlyGifts)
    .innerJoin(organizations, eq(organizations.id, monthlyGifts.orgId))
    .where(and(inArray(monthlyGifts.status, ["active", "past_due"]), like(monthlyGifts.stripeSubscriptionId, `${STANDIN_SUBSCRIPTION_PREFIX}%`)));
  let billed = 0;
  for (const { gift, timeZone } of rows) {
    const period = monthOf(timeZone, now);
    const [has] = await db.select({ id: pledges.id }).from(pledges).where(and(eq(pledges.monthlyGiftId, gift.id), eq(pledges.period, period))).limit(1);
    if (has) continue;
    const response = await options.deliver(await signedStandInRequest(standInInvoicePaid(gift, period, now), options.origin));
    if (response.status === 200) billed += 1;
  }
  return billed;
}
