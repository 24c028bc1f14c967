import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "#db/client.server";
import { checkoutSessions, organizations, pledges, stripeEvents } from "#db/schema";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { todayIn } from "~/modules/needs/money";
import { currencyDigits } from "~/utils/format";
import { estimateCardFee } from "./card-fees";
import { isPaymentError } from "./errors";
import { closeDispute, markDisputed, recordPayment, recordStripeRefund, releasePledge } from "./payments.server";
import { handlePayoutEvent } from "./payouts.server";
import { invoicePaid, invoicePaymentFailed, subscriptionCheckoutCompleted, subscriptionDeleted } from "~/modules/giving/monthly-stripe.server";
import { stripeClient, webhookSecret } from "./stripe-client.server";
import { StripeAmountError, fromStripeAmount, stripeDigits } from "./stripe-currency";
import { UUID_PATTERN } from "~/utils/uuid";

/**
 * Stripe's events (decision 056). `POST /webhooks/stripe` verifies the signature on the raw body,
 * stores the event once by its id (a replay is a no-op) and answers 200 at once; the event is
 * processed by the `stripe-events` pg-boss job — or inline before the answer when no worker runs
 * in this process (JOBS=off, tests), so the stand-in and tests work without jobs.
 *
 * Every handler is idempotent and acts as the system (SYSTEM_ACTOR). An event that depends on one
 * not yet processed (a refund or dispute before its payment) is `deferred` and retried later (the
 * job's sweep, and at once after any payment lands). Money for a pledge nobody knows goes to
 * suspense, flagged, never lost.
 */

type Json = Record<string, unknown>;
export type StripeEventRow = typeof stripeEvents.$inferSelect;
export type Outcome = { status: "processed" | "deferred" | "ignored"; note?: string };

/** Retries of a failing event before it is left `failed` for a person; deferred events wait longer. */
const MAX_ERROR_ATTEMPTS = 8;
const MAX_DEFERRED_ATTEMPTS = 200;

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() !== "" ? v : null);
const obj = (v: unknown): Json | null => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : null);
const idOf = (v: unknown): string | null => str(v) ?? str(obj(v)?.id);
const UUID = UUID_PATTERN;

// ---------------------------------------------------------------- receiving

export type ReceiveResult = { ok: false; reason: string } | { ok: true; eventId: string; process: boolean };

/**
 * Verifies and stores one delivery. Bad or missing signature (or no secret in production): not ok,
 * nothing stored. A new event, or a replay of one still waiting (received/deferred), asks to be processed.
 */
export async function receiveStripeEvent(db: Db, rawBody: string, signature: string | null): Promise<ReceiveResult> {
  const secret = webhookSecret();
  if (!secret) return { ok: false, reason: "no webhook secret configured" };
  if (!signature) return { ok: false, reason: "missing Stripe-Signature" };
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, secret);
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : "bad signature" };
  }
  if (!str(event.id) || !str(event.type)) return { ok: false, reason: "not an event" };
  const [inserted] = await db
    .insert(stripeEvents)
    .values({
      id: event.id,
      type: event.type,
      livemode: Boolean(event.livemode),
      createdAtStripe: Number.isSafeInteger(event.created) ? event.created : Math.floor(Date.now() / 1000),
      payload: event as unknown as Json,
      status: "received",
    })
    .onConflictDoNothing()
    .returning({ id: stripeEvents.id });
  if (inserted) return { ok: true, eventId: event.id, process: true };
  const [row] = await db.select({ status: stripeEvents.status }).from(stripeEvents).where(eq(stripeEvents.id, event.id)).limit(1);
  return { ok: true, eventId: event.id, process: row?.status === "received" || row?.status === "deferred" };
}

/**
 * The whole endpoint, shared by the route and the stand-in checkout (the same code path as
 * Stripe's deliveries). `enqueue` hands the event to the job worker and answers false when no
 * worker runs in this process: the event is then processed before answering.
 */
export async function handleStripeWebhook(
  db: Db,
  request: Request,
  options: { origin: string; enqueue: (eventId: string, origin: string) => boolean },
): Promise<Response> {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  const raw = await request.text();
  const received = await receiveStripeEvent(db, raw, request.headers.get("stripe-signature"));
  if (!received.ok) {
    console.warn(`[stripe] webhook refused: ${received.reason}`);
    return Response.json({ error: "invalid signature" }, { status: 400 });
  }
  if (received.process && !options.enqueue(received.eventId, options.origin)) {
    const status = await processStripeEvent(db, received.eventId, { origin: options.origin });
    // A processed event may be what deferred ones wait for (a payment before its refund): retry them now.
    await processDueStripeEvents(db, { origin: options.origin, allDeferred: status === "processed" });
  }
  return Response.json({ received: true });
}

// ---------------------------------------------------------------- processing

/**
 * Processes one stored event (unless already processed or ignored) and records the outcome:
 * processed / ignored, deferred (retry_at), or after repeated errors failed (last_error kept).
 */
export async function processStripeEvent(db: Db, eventId: string, options: { origin?: string; now?: Date } = {}): Promise<StripeEventRow["status"] | null> {
  const now = options.now ?? new Date();
  // Claim: one attempt more (a concurrent worker claims too; every handler is idempotent).
  const [row] = await db
    .update(stripeEvents)
    .set({ attempts: sql`${stripeEvents.attempts} + 1` })
    .where(and(eq(stripeEvents.id, eventId), inArray(stripeEvents.status, ["received", "deferred", "failed"])))
    .returning();
  if (!row) return null;
  let outcome: Outcome;
  try {
    outcome = await handleEvent(db, row.payload as Json, { origin: options.origin, now });
  } catch (error) {
    const message = isPaymentError(error) ? `PaymentError ${error.code}` : error instanceof Error ? error.message : String(error);
    console.error(`[stripe] ${row.type} ${row.id} failed (attempt ${row.attempts}): ${message}`);
    const giveUp = row.attempts >= MAX_ERROR_ATTEMPTS;
    await db
      .update(stripeEvents)
      .set({ status: giveUp ? "failed" : "deferred", lastError: message.slice(0, 2000), retryAt: giveUp ? null : new Date(now.getTime() + backoffMs(row.attempts)) })
      .where(eq(stripeEvents.id, row.id));
    return giveUp ? "failed" : "deferred";
  }
  if (outcome.status === "deferred") {
    const giveUp = row.attempts >= MAX_DEFERRED_ATTEMPTS;
    await db
      .update(stripeEvents)
      .set({ status: giveUp ? "failed" : "deferred", lastError: outcome.note ?? null, retryAt: giveUp ? null : new Date(now.getTime() + backoffMs(row.attempts)) })
      .where(eq(stripeEvents.id, row.id));
    return giveUp ? "failed" : "deferred";
  }
  await db
    .update(stripeEvents)
    .set({ status: outcome.status, lastError: outcome.note ?? null, processedAt: now, retryAt: null })
    .where(eq(stripeEvents.id, row.id));
  return outcome.status;
}

/** 1, 2, 4 … minutes, at most an hour. */
function backoffMs(attempts: number): number {
  return Math.min(60, 2 ** Math.max(0, attempts - 1)) * 60_000;
}

/**
 * The sweep (the job, every minute): received events and deferred ones whose retry_at passed, in
 * Stripe's order. After a payment lands, deferred events waiting for it are retried at once
 * (`allDeferred`). Answers how many events it processed.
 */
export async function processDueStripeEvents(db: Db, options: { origin?: string; now?: Date; allDeferred?: boolean; limit?: number } = {}): Promise<number> {
  const now = options.now ?? new Date();
  let done = 0;
  // A processed payment can unblock deferred events: go round while something changes (bounded).
  for (let round = 0; round < 5; round += 1) {
    const due = await db
      .select({ id: stripeEvents.id })
      .from(stripeEvents)
      .where(
        or(
          eq(stripeEvents.status, "received"),
          and(eq(stripeEvents.status, "deferred"), options.allDeferred || round > 0 ? undefined : or(isNull(stripeEvents.retryAt), lte(stripeEvents.retryAt, now))),
        ),
      )
      .orderBy(asc(stripeEvents.createdAtStripe), asc(stripeEvents.receivedAt))
      .limit(options.limit ?? 100);
    let processed = 0;
    for (const { id } of due) {
      if ((await processStripeEvent(db, id, { origin: options.origin, now })) === "processed") processed += 1;
    }
    done += processed;
    if (processed === 0) break;
  }
  return done;
}

async function handleEvent(db: Db, event: Json, ctx: { origin?: string; now: Date }): Promise<Outcome> {
  const type = str(event.type) ?? "";
  const object = obj(obj(event.data)?.object) ?? {};
  const eventId = str(event.id) ?? "";
  switch (type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded":
      // A monthly gift's Checkout (decision 066): the money comes with its invoices.
      if (str(object.mode) === "subscription") return subscriptionCheckoutCompleted(db, object, ctx);
      return sessionPaid(db, object, { ...ctx, eventId, created: Number(event.created) });
    case "checkout.session.async_payment_failed":
    case "checkout.session.expired":
      return sessionEnded(db, object, type === "checkout.session.expired" ? "checkout_expired" : "checkout_failed", ctx.now);
    case "charge.refunded":
      return chargeRefunded(db, object, { ...ctx, eventId });
    case "charge.dispute.created":
      return disputeCreated(db, object, ctx.now);
    case "charge.dispute.closed":
      return disputeClosed(db, object, { ...ctx, eventId });
    case "invoice.paid":
      return invoicePaid(db, object, { ...ctx, created: Number(event.created) });
    case "invoice.payment_failed":
      return invoicePaymentFailed(db, object, ctx);
    case "customer.subscription.deleted":
      return subscriptionDeleted(db, object, ctx);
    case "payout.paid":
    case "payout.failed":
    case "payout.canceled":
      return handlePayoutEvent(db, type, object, { now: ctx.now, eventId }); // payouts.server.ts, decision 058
    default:
      return { status: "ignored", note: `not handled: ${type}` };
  }
}

// ---------------------------------------------------------------- checkout sessions

/** The pledge and organisation a session names: our checkout_sessions row first, then its metadata. */
async function sessionTarget(db: Db, session: Json) {
  const sessionId = str(session.id);
  const metadata = obj(session.metadata) ?? {};
  const [row] = sessionId ? await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, sessionId)).limit(1) : [];
  const metaPledgeId = str(metadata.pledgeId);
  const pledgeId = row?.pledgeId ?? (metaPledgeId && UUID.test(metaPledgeId) ? metaPledgeId : null);
  const [pledge] = pledgeId ? await db.select().from(pledges).where(eq(pledges.id, pledgeId)).limit(1) : [];
  const reference = str(metadata.pledgeReference) ?? str(session.client_reference_id);
  const metaOrg = str(metadata.orgId);
  const orgId = row?.orgId ?? pledge?.orgId ?? (metaOrg && UUID.test(metaOrg) ? metaOrg : null);
  return { sessionId, row: row ?? null, pledge: pledge && (!orgId || pledge.orgId === orgId) ? pledge : null, reference, orgId, metadata };
}

async function sessionPaid(db: Db, session: Json, ctx: { origin?: string; now: Date; eventId: string; created: number }): Promise<Outcome> {
  if (str(session.payment_status) !== "paid" && str(session.payment_status) !== "no_payment_required") {
    return { status: "ignored", note: `payment_status ${String(session.payment_status)}: waiting for async_payment_succeeded` };
  }
  const target = await sessionTarget(db, session);
  const paymentIntentId = idOf(session.payment_intent);
  const currency = (str(session.currency) ?? target.row?.currency ?? "").toUpperCase();
  if (!paymentIntentId || !currency || typeof session.amount_total !== "number") return { status: "ignored", note: "no payment intent, currency or amount" };
  if (!target.orgId) throw new Error(`no organisation for session ${target.sessionId ?? "?"} (metadata lost)`);
  const [org] = await db.select().from(organizations).where(eq(organizations.id, target.orgId)).limit(1);
  if (!org) throw new Error(`unknown organisation ${target.orgId} in session ${target.sessionId ?? "?"}`);

  const amountMinor = fromStripeAmount(session.amount_total, currency);
  const fee = await cardFeeOf(paymentIntentId, amountMinor, currency);
  if (fee === "not_ready") return { status: "deferred", note: "balance transaction not ready" };
  const cover = Number(str(target.metadata.coverFeeMinor) ?? target.row?.coverFeeMinor ?? 0);
  const coverFeeMinor = Number.isSafeInteger(cover) && cover >= 0 && cover < amountMinor ? cover : 0;
  const details = obj(session.customer_details) ?? {};
  const paidAt = Number.isFinite(ctx.created) && ctx.created > 0 ? new Date(Math.min(ctx.created * 1000, ctx.now.getTime())) : ctx.now;

  const result = await recordPayment(db, SYSTEM_ACTOR, {
    orgId: org.id,
    pledgeId: target.pledge?.id ?? null,
    // Unknown to us: recordPayment sends it to suspense, flagged (never lost).
    pledgeReference: target.pledge ? null : (target.reference ?? "unknown"),
    method: "card",
    amountMinor,
    feeMinor: Math.min(fee, amountMinor - 1),
    coverFeeMinor,
    currency,
    valueDate: todayIn(org.timeZone, paidAt),
    externalId: paymentIntentId,
    idempotencyKey: `stripe-pi:${paymentIntentId}`,
    donorEmail: str(details.email) ?? str(session.customer_email),
    donorName: str(details.name),
    locale: target.pledge?.locale ?? (str(session.locale) === "en" ? "en" : "ar"),
    origin: ctx.origin,
    now: ctx.now,
  });
  if (target.sessionId) await db.update(checkoutSessions).set({ status: "complete" }).where(eq(checkoutSessions.id, target.sessionId));
  return { status: "processed", note: `${result.outcome} ${result.payment.id}` };
}

/**
 * Stripe's fee for a payment intent, in the app's minor units of the charge currency: from the
 * charge's balance transaction (converted back when the account settles in another currency).
 * The stand-in has no Stripe: the estimate. "not_ready" while Stripe has no balance transaction yet.
 */
async function cardFeeOf(paymentIntentId: string, amountMinor: number, currency: string): Promise<number | "not_ready"> {
  const stripe = stripeClient();
  if (!stripe) return estimateCardFee(amountMinor, currency);
  const intent = await stripe.paymentIntents.retrieve(paymentIntentId, { expand: ["latest_charge.balance_transaction"] });
  const charge = obj(intent.latest_charge as unknown);
  const bt = obj(charge?.balance_transaction);
  if (!bt || typeof bt.fee !== "number") return "not_ready";
  const btCurrency = (str(bt.currency) ?? currency).toUpperCase();
  if (btCurrency === currency) return fromStripeAmount(bt.fee, currency, "nearest");
  // Settled in another currency: exchange_rate is settlement units per presentment unit.
  const rate = typeof bt.exchange_rate === "number" && bt.exchange_rate > 0 ? bt.exchange_rate : null;
  if (!rate) return "not_ready";
  const feeMajor = bt.fee / 10 ** stripeDigits(btCurrency) / rate;
  return Math.max(0, Math.round(feeMajor * 10 ** currencyDigits(currency)));
}

async function sessionEnded(db: Db, session: Json, reason: "checkout_expired" | "checkout_failed", now: Date): Promise<Outcome> {
  const target = await sessionTarget(db, session);
  if (target.sessionId && target.row) {
    await db
      .update(checkoutSessions)
      .set({ status: "expired" })
      .where(and(eq(checkoutSessions.id, target.sessionId), eq(checkoutSessions.status, "open")));
  }
  if (!target.pledge) return { status: "ignored", note: "no pledge of ours" };
  // Another session of the same pledge still open (the donor changed their fee choice): the hold stays.
  const others = await db
    .select({ id: checkoutSessions.id, expiresAt: checkoutSessions.expiresAt })
    .from(checkoutSessions)
    .where(and(eq(checkoutSessions.pledgeId, target.pledge.id), eq(checkoutSessions.status, "open")));
  if (others.some((o) => o.id !== target.sessionId && o.expiresAt.getTime() > now.getTime())) return { status: "ignored", note: "another session is open" };
  const pledge = await releasePledge(db, SYSTEM_ACTOR, target.pledge.id, { reason, now });
  return { status: "processed", note: `pledge ${pledge.reference} ${pledge.status}` };
}

// ---------------------------------------------------------------- refunds and disputes

async function chargeRefunded(db: Db, charge: Json, ctx: { origin?: string; now: Date; eventId: string }): Promise<Outcome> {
  const paymentIntentId = idOf(charge.payment_intent);
  const chargeId = str(charge.id);
  if (!paymentIntentId || !chargeId) return { status: "ignored", note: "charge without payment intent" };
  // Newer API versions leave charge.refunds out of events: ask Stripe for the list when we can.
  let list = (obj(charge.refunds)?.data as Json[] | undefined) ?? null;
  const stripe = stripeClient();
  if (stripe) list = (await stripe.refunds.list({ charge: chargeId, limit: 100 })).data as unknown as Json[];
  if (!list) return { status: "ignored", note: "no refunds listed" };
  let recorded = 0;
  for (const refund of list) {
    const id = str(refund.id);
    if (!id || (str(refund.status) !== "succeeded" && str(refund.status) !== null)) continue;
    const currency = (str(refund.currency) ?? str(charge.currency) ?? "").toUpperCase();
    if (typeof refund.amount !== "number") continue;
    let amountMinor: number;
    try {
      amountMinor = fromStripeAmount(refund.amount, currency);
    } catch (error) {
      if (error instanceof StripeAmountError) throw new Error(`refund ${id}: ${error.message}`);
      throw error;
    }
    const result = await recordStripeRefund(db, SYSTEM_ACTOR, { paymentIntentId, stripeRefundId: id, amountMinor, currency, eventId: ctx.eventId, now: ctx.now, origin: ctx.origin });
    if (result === "payment_unknown") return { status: "deferred", note: `payment ${paymentIntentId} not recorded yet` };
    if (result === "recorded") recorded += 1;
  }
  return { status: "processed", note: `${recorded} refund(s) recorded` };
}

async function disputeCreated(db: Db, dispute: Json, now: Date): Promise<Outcome> {
  const paymentIntentId = idOf(dispute.payment_intent);
  const disputeId = str(dispute.id);
  if (!paymentIntentId || !disputeId) return { status: "ignored", note: "dispute without payment intent" };
  const result = await markDisputed(db, SYSTEM_ACTOR, { paymentIntentId, disputeId, now });
  if (result === "payment_unknown") return { status: "deferred", note: `payment ${paymentIntentId} not recorded yet` };
  return { status: "processed", note: result };
}

async function disputeClosed(db: Db, dispute: Json, ctx: { now: Date; eventId: string }): Promise<Outcome> {
  const paymentIntentId = idOf(dispute.payment_intent);
  const disputeId = str(dispute.id);
  if (!paymentIntentId || !disputeId) return { status: "ignored", note: "dispute without payment intent" };
  // A closed dispute was opened first, even when its `created` event comes later: flag, then close.
  const flagged = await markDisputed(db, SYSTEM_ACTOR, { paymentIntentId, disputeId, now: ctx.now });
  if (flagged === "payment_unknown") return { status: "deferred", note: `payment ${paymentIntentId} not recorded yet` };
  const won = str(dispute.status) !== "lost";
  const result = await closeDispute(db, SYSTEM_ACTOR, { paymentIntentId, disputeId, won, eventId: ctx.eventId, now: ctx.now });
  if (result === "payment_unknown") return { status: "deferred", note: `payment ${paymentIntentId} not recorded yet` };
  return { status: "processed", note: `${result} (${won ? "won" : "lost"})` };
}
