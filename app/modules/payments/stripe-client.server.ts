import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import type { StripeRefundFn } from "./payments.server";

/**
 * The Stripe SDK client, or null when the app runs without STRIPE_SECRET_KEY (the built-in
 * stand-in takes card payments outside production). STRIPE_API_BASE points the SDK at a local
 * stand-in of Stripe's HTTP API (tests): the SDK takes host, port and protocol.
 */
export function stripeClient(): Stripe | null {
  const key = process.env.STRIPE_SECRET_KEY?.trim();
  if (!key) return null;
  const base = process.env.STRIPE_API_BASE?.trim();
  if (!base) return new Stripe(key, { maxNetworkRetries: 2, timeout: 20_000 });
  const url = new URL(base);
  return new Stripe(key, {
    host: url.hostname,
    port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
    protocol: url.protocol === "https:" ? "https" : "http",
    maxNetworkRetries: 0,
    timeout: 10_000,
  });
}

/** True when card money is handled by the built-in stand-in (no key, not production). */
export function usingStandIn(): boolean {
  return !process.env.STRIPE_SECRET_KEY?.trim() && process.env.NODE_ENV !== "production";
}

/**
 * Refunds through Stripe's refund API, with the payments module's stable idempotency key (a
 * retried request never refunds twice). Under the stand-in a refund succeeds at once with a
 * stand-in id, like a test-mode card refund.
 */
export const stripeRefund: StripeRefundFn = async ({ paymentIntentId, stripeAmount, idempotencyKey }) => {
  const stripe = stripeClient();
  if (!stripe) {
    if (!usingStandIn()) throw new Error("card refunds need STRIPE_SECRET_KEY in production");
    return { id: `re_standin_${randomBytes(12).toString("hex")}`, status: "succeeded" };
  }
  const refund = await stripe.refunds.create({ payment_intent: paymentIntentId, amount: stripeAmount }, { idempotencyKey });
  return { id: refund.id, status: refund.status ?? "pending" };
};

/**
 * Whether the platform can take cards at all: with STRIPE_SECRET_KEY, or through the built-in
 * stand-in outside production. In production without the key card is hidden everywhere (the
 * organisation settings say why).
 */
export function cardPaymentsAvailable(): boolean {
  return Boolean(process.env.STRIPE_SECRET_KEY?.trim()) || process.env.NODE_ENV !== "production";
}

/** The fixed webhook secret of the stand-in (and of a developer without STRIPE_WEBHOOK_SECRET): never used in production. */
export const DEV_WEBHOOK_SECRET = "whsec_tadamon_dev_standin_not_secret";

/**
 * The secret webhook signatures are checked with: STRIPE_WEBHOOK_SECRET, or outside production the
 * fixed dev secret (the stand-in signs with it). Null in production without one: every event is refused.
 */
export function webhookSecret(): string | null {
  const secret = process.env.STRIPE_WEBHOOK_SECRET?.trim();
  if (secret) return secret;
  return process.env.NODE_ENV === "production" ? null : DEV_WEBHOOK_SECRET;
}
