import { createHash, randomBytes } from "node:crypto";
import { and, asc, eq, isNull, lte } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "#db/client.server";
import type { DbOrTx } from "#db/client.server";
import { checkoutSessions, needs, organizations, payments, pledges } from "#db/schema";
import { returnUrls, type CheckoutMetadata } from "./checkout.server";
import { usingStandIn, webhookSecret } from "./stripe-client.server";
import { appChargeStep, toStripeAmount } from "./stripe-currency";

/**
 * The built-in stand-in of Stripe Checkout (no STRIPE_SECRET_KEY, never in production), like the
 * dev mailbox stands in for Resend. startCheckout stores a `cs_test_standin_…` session whose url is
 * /dev/checkout/:id; paying there with a test card builds a real-shaped
 * `checkout.session.completed` event, signs it with the webhook secret (Stripe's own
 * generateTestHeaderString) and hands it to POST /webhooks/stripe — the same code path as
 * Stripe's deliveries. The fee is the estimate (card-fees.ts): there is no Stripe to ask.
 */

export const STANDIN_PREFIX = "cs_test_standin_";
/** Stripe's documented test cards. */
export const TEST_CARD_OK = "4242424242424242";
export const TEST_CARD_DECLINED = "4000000000000002";

export function standInActive(): boolean {
  return usingStandIn();
}

/** A stand-in session with its pledge, need and organisation; null when unknown or not the stand-in's. */
export async function standInSession(db: Db, sessionId: string) {
  if (!sessionId.startsWith(STANDIN_PREFIX) || sessionId.length > 100) return null;
  const [row] = await db
    .select({
      session: checkoutSessions,
      pledge: {
        id: pledges.id,
        reference: pledges.reference,
        status: pledges.status,
        email: pledges.email,
        displayName: pledges.displayName,
        locale: pledges.locale,
        currency: pledges.currency,
        zakat: pledges.zakat,
      },
      need: { titleAr: needs.titleAr, titleEn: needs.titleEn },
      org: { nameAr: organizations.nameAr, nameEn: organizations.nameEn },
    })
    .from(checkoutSessions)
    .innerJoin(pledges, eq(pledges.id, checkoutSessions.pledgeId))
    .leftJoin(needs, eq(needs.id, pledges.needId))
    .innerJoin(organizations, eq(organizations.id, checkoutSessions.orgId))
    .where(eq(checkoutSessions.id, sessionId))
    .limit(1);
  return row ?? null;
}

export type StandInSession = NonNullable<Awaited<ReturnType<typeof standInSession>>>;

/** Whether the donor can still pay on this stand-in page. */
export function standInOpen(found: StandInSession, now: Date = new Date()): boolean {
  return found.session.status === "open" && found.session.expiresAt.getTime() > now.getTime() && found.pledge.status === "awaiting_payment";
}

/** The payment intent of a stand-in session: one per session, so a double submit is one payment. */
export function standInPaymentIntent(sessionId: string): string {
  return `pi_test_standin_${createHash("sha256").update(sessionId).digest("hex").slice(0, 24)}`;
}

/** A real-shaped `checkout.session.completed` event for a stand-in session paid with a test card. */
export function standInCompletedEvent(found: StandInSession, origin: string, now: Date = new Date()): Stripe.Event {
  const { session, pledge } = found;
  const created = Math.floor(now.getTime() / 1000);
  const total = toStripeAmount(session.giftMinor + session.coverFeeMinor, session.currency);
  const metadata: CheckoutMetadata = {
    pledgeReference: pledge.reference,
    pledgeId: pledge.id,
    orgId: session.orgId,
    giftMinor: String(session.giftMinor),
    coverFeeMinor: String(session.coverFeeMinor),
  };
  const urls = returnUrls(origin, pledge.reference);
  const object = {
    id: session.id,
    object: "checkout.session",
    amount_subtotal: total,
    amount_total: total,
    client_reference_id: pledge.reference,
    created: Math.floor(session.createdAt.getTime() / 1000),
    currency: session.currency.toLowerCase(),
    customer_details: { email: pledge.email, name: pledge.displayName ?? null },
    customer_email: pledge.email,
    expires_at: Math.floor(session.expiresAt.getTime() / 1000),
    livemode: false,
    locale: pledge.locale === "en" ? "en" : "auto",
    metadata,
    mode: "payment",
    payment_intent: standInPaymentIntent(session.id),
    payment_status: "paid",
    status: "complete",
    success_url: urls.success,
    cancel_url: urls.cancel,
    url: null,
  };
  return {
    id: `evt_test_standin_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: null,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "checkout.session.completed",
    data: { object },
  } as unknown as Stripe.Event;
}

/** The signed request Stripe would send: POST {origin}/webhooks/stripe with the Stripe-Signature header. */
export function signedWebhookRequest(event: Stripe.Event, origin: string): Request {
  const secret = webhookSecret();
  if (!secret) throw new Error("no webhook secret: the stand-in cannot sign");
  const payload = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  return new Request(`${origin.replace(/\/$/, "")}/webhooks/stripe`, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signature, "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks; Tadamon stand-in)" },
    body: payload,
  });
}

// ---------------------------------------------------------------- payouts (issue 10, decision 058)

export const STANDIN_PAYOUT_PREFIX = "po_test_standin_";

/**
 * The stand-in's answer to `balanceTransactions.list({payout, type: "charge"})` for its own
 * payouts: the payment intents of the organisation's card payments in the payout's currency that
 * no payout carried yet, recorded by the time the payout was made (what Stripe would have swept).
 */
export async function standInPayoutIntents(db: DbOrTx, input: { orgId: string; currency: string; createdAt: Date }): Promise<string[]> {
  const rows = await db
    .select({ externalId: payments.externalId })
    .from(payments)
    .where(
      and(
        eq(payments.orgId, input.orgId),
        eq(payments.method, "card"),
        eq(payments.currency, input.currency),
        isNull(payments.stripePayoutId),
        isNull(payments.reversedAt),
        lte(payments.recordedAt, new Date(Math.max(input.createdAt.getTime(), 0) + 999)),
      ),
    )
    .orderBy(asc(payments.recordedAt));
  return rows.map((r) => r.externalId).filter((id): id is string => Boolean(id));
}

/** The amount Stripe's API would carry for this app amount, rounded down to what Stripe can express. */
function payoutStripeAmount(minor: number, currency: string): number {
  const step = appChargeStep(currency);
  return toStripeAmount(Math.floor(minor / step) * step, currency);
}

/**
 * A real-shaped `payout.paid` event of the stand-in: the organisation's unpaid-out card money in
 * one currency (its Stripe balance in the ledger) sent to its bank, arriving today, with
 * `metadata.orgId` as our payout schedule sets it. Signed and sent like the stand-in checkout's.
 */
export function standInPayoutEvent(input: { orgId: string; currency: string; amountMinor: number; now?: Date }): Stripe.Event {
  const now = input.now ?? new Date();
  const created = Math.floor(now.getTime() / 1000);
  const id = `${STANDIN_PAYOUT_PREFIX}${randomBytes(12).toString("hex")}`;
  const arrival = Math.floor(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) / 1000);
  const object = {
    id,
    object: "payout",
    amount: payoutStripeAmount(input.amountMinor, input.currency),
    arrival_date: arrival,
    automatic: true,
    balance_transaction: `txn_test_standin_${randomBytes(8).toString("hex")}`,
    created,
    currency: input.currency.toLowerCase(),
    description: "STRIPE PAYOUT",
    destination: "ba_test_standin",
    livemode: false,
    metadata: { orgId: input.orgId },
    method: "standard",
    source_type: "card",
    statement_descriptor: `TADAMON ${id.slice(-8).toUpperCase()}`,
    status: "paid",
    type: "bank_account",
  };
  return {
    id: `evt_test_standin_${randomBytes(12).toString("hex")}`,
    object: "event",
    api_version: null,
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: "payout.paid",
    data: { object },
  } as unknown as Stripe.Event;
}
