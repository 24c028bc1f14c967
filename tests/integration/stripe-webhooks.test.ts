// POST /webhooks/stripe with real signatures (the SDK's generateTestHeaderString, the webhook
// secret of the environment), processed inline as JOBS is off in tests: bad signatures, repeated
// and out-of-order deliveries, an unknown pledge, an expired session; the fee from Stripe's
// balance transaction through the local stand-in of Stripe's API (tests/mocks/stripe.ts).
import { afterEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, count, eq } from "drizzle-orm";
import Stripe from "stripe";
import { checkoutSessions, ledgerEntries, needs, payments, pledges, receipts, refunds, stripeEvents } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { processDueStripeEvents } from "~/modules/payments/stripe-events.server";
import { webhookSecret } from "~/modules/payments/stripe-client.server";
import * as webhook from "~/routes/webhooks.stripe";
import { screenRequest } from "~/utils/request-screen.server";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { startStripeMock, type StripeMock } from "../mocks/stripe";

/** Stripe's own test signature (the SDK's generateTestHeaderString), with the environment's webhook secret by default. */
const signStripePayload = (payload: string, secret = webhookSecret()!) => Stripe.webhooks.generateTestHeaderString({ payload, secret });

type World = Awaited<ReturnType<typeof pledgeWorld>>;
type Pledge = typeof pledges.$inferSelect;

let evtSeq = 0;
const evtId = (tag: string) => `evt_test_${tag}_${++evtSeq}_${Math.random().toString(36).slice(2, 8)}`;

async function cardPledge(w: World, amountMinor = 5_000): Promise<Pledge> {
  return (await createPledge(await getDb(), pledgeInput(w.need, { method: "card", amountMinor, cardPayments: true }))).pledge;
}

function completed(p: Pledge, opts: { pi: string; amount?: number; cover?: number; id?: string; sessionId?: string; type?: string }): Stripe.Event {
  const cover = opts.cover ?? 0;
  return {
    id: opts.id ?? evtId("completed"),
    object: "event",
    type: opts.type ?? "checkout.session.completed",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: opts.sessionId ?? `cs_test_${p.id.slice(0, 8)}`,
        object: "checkout.session",
        payment_status: "paid",
        payment_intent: opts.pi,
        amount_total: opts.amount ?? p.amountMinor + cover,
        currency: p.currency.toLowerCase(),
        client_reference_id: p.reference,
        customer_details: { email: p.email, name: "Samira" },
        metadata: { pledgeId: p.id, pledgeReference: p.reference, orgId: p.orgId, giftMinor: String(p.amountMinor), coverFeeMinor: String(cover) },
      },
    },
  } as unknown as Stripe.Event;
}

function refunded(pi: string, currency: string, list: Array<{ id: string; amount: number }>, created = Math.floor(Date.now() / 1000)): Stripe.Event {
  return {
    id: evtId("refunded"),
    object: "event",
    type: "charge.refunded",
    created,
    livemode: false,
    data: {
      object: {
        id: `ch_${pi}`,
        object: "charge",
        payment_intent: pi,
        currency: currency.toLowerCase(),
        amount_refunded: list.reduce((t, r) => t + r.amount, 0),
        refunds: { object: "list", data: list.map((r) => ({ ...r, object: "refund", status: "succeeded", payment_intent: pi })) },
      },
    },
  } as unknown as Stripe.Event;
}

async function deliver(event: unknown, signature?: string | null) {
  const raw = JSON.stringify(event);
  const headers = new Headers({ "content-type": "application/json" });
  const sig = signature === undefined ? signStripePayload(raw) : signature;
  if (sig) headers.set("stripe-signature", sig);
  const response = (await webhook.action({ request: new Request("http://localhost/webhooks/stripe", { method: "POST", headers, body: raw }), params: {}, context: {} })) as Response;
  return { status: response.status, cache: response.headers.get("cache-control"), body: (await response.json()) as Record<string, unknown> };
}

async function eventRow(id: string) {
  const [row] = await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, id));
  return row;
}

async function pledgeRow(id: string) {
  const [row] = await (await getDb()).select().from(pledges).where(eq(pledges.id, id));
  return row;
}

async function paymentsOf(pi: string) {
  return (await getDb()).select().from(payments).where(and(eq(payments.method, "card"), eq(payments.externalId, pi)));
}

async function ledgerSound(orgId: string) {
  const check = await checkLedger(await getDb(), orgId);
  expect(check.problems).toEqual([]);
  expect(check.ok).toBe(true);
}

describe("POST /webhooks/stripe", () => {
  it("refuses a bad, missing or wrongly signed signature with 400 and stores nothing", async () => {
    const w = await pledgeWorld();
    const p = await cardPledge(w);
    const event = completed(p, { pi: `pi_${randomUUID()}` });
    const raw = JSON.stringify(event);
    const before = (await (await getDb()).select({ n: count() }).from(stripeEvents))[0].n;

    expect((await deliver(event, null)).status).toBe(400); // missing
    expect((await deliver(event, "t=1,v1=deadbeef")).status).toBe(400); // bad
    expect((await deliver(event, signStripePayload(raw, "whsec_someone_else"))).status).toBe(400); // another secret
    // A valid signature over another body (the body was changed on the way).
    const tampered = { ...event, data: { object: { ...(event.data.object as object), amount_total: 1 } } };
    expect((await deliver(tampered, signStripePayload(raw))).status).toBe(400);

    expect((await (await getDb()).select({ n: count() }).from(stripeEvents))[0].n).toBe(before);
    expect(await eventRow(event.id)).toBeUndefined();
    expect(await paymentsOf((event.data.object as { payment_intent: string }).payment_intent)).toHaveLength(0);
    expect((await pledgeRow(p.id)).status).toBe("awaiting_payment");
  });

  it("a payment delivered three times, a second event for it, and its refund arriving first: one payment, one ledger payment entry, one receipt, one refund", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const p = await cardPledge(w, 5_000);
    const pi = `pi_${randomUUID().replace(/-/g, "")}`;
    const paid = completed(p, { pi, cover: 181 });
    const refund = refunded(pi, p.currency, [{ id: `re_${randomUUID().slice(0, 8)}`, amount: 1_000 }]);

    // The refund comes first: stored, deferred (its payment is not there yet), answered 200.
    const first = await deliver(refund);
    expect(first.status).toBe(200);
    expect(first.cache).toBe("no-store");
    expect(await eventRow(refund.id)).toMatchObject({ status: "deferred", attempts: 1 });
    expect((await eventRow(refund.id)).retryAt).toBeInstanceOf(Date);

    // The payment: three deliveries of the same event, and Stripe's async_payment_succeeded for the same intent.
    const async = completed(p, { pi, cover: 181, type: "checkout.session.async_payment_succeeded" });
    const deliveries = [paid, async, paid, paid];
    for (const event of deliveries) expect((await deliver(event)).status).toBe(200);
    expect(await eventRow(paid.id)).toMatchObject({ status: "processed" });
    expect((await eventRow(paid.id)).attempts).toBe(1);

    const [row, ...others] = await paymentsOf(pi);
    expect(others).toHaveLength(0);
    expect(row).toMatchObject({ pledgeId: p.id, amountMinor: 5_181, coverFeeMinor: 181, currency: "USD", flag: null });
    // The stand-in's fee: the estimate on the whole charge (2.9% + 30 cents).
    expect(row.feeMinor).toBe(Math.ceil(5_181 * 0.029) + 30);
    // Paid, then 10.00 of it refunded at once (the refund was waiting for this payment).
    expect(await pledgeRow(p.id)).toMatchObject({ status: "part_paid", paidMinor: 4_000 });

    // The payment landing retried the refund waiting for it at once, and only once.
    expect(await eventRow(refund.id)).toMatchObject({ status: "processed", attempts: 2 });
    await processDueStripeEvents(db, { now: new Date(Date.now() + 3_600_000) });
    expect(await eventRow(refund.id)).toMatchObject({ status: "processed", attempts: 2 });
    expect((await deliver(refund)).status).toBe(200); // and Stripe's redelivery changes nothing

    const entries = await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.paymentId, row.id), eq(ledgerEntries.kind, "payment")));
    expect(entries).toHaveLength(1);
    expect(await db.select().from(receipts).where(and(eq(receipts.paymentId, row.id), eq(receipts.kind, "receipt")))).toHaveLength(1);
    const refundRows = await db.select().from(refunds).where(eq(refunds.paymentId, row.id));
    expect(refundRows).toHaveLength(1);
    expect(refundRows[0].amountMinor).toBe(1_000);
    await ledgerSound(w.org.id);
  });

  it("money for a pledge nobody knows is stored, sent to suspense and flagged, never lost", async () => {
    const w = await pledgeWorld();
    const p = await cardPledge(w, 2_000);
    const ghost = { ...p, id: randomUUID(), reference: "TDM-ZZZZ-ZZZZ" };
    const pi = `pi_${randomUUID().replace(/-/g, "")}`;
    const event = completed(ghost, { pi });
    expect((await deliver(event)).status).toBe(200);
    expect(await eventRow(event.id)).toMatchObject({ status: "processed" });
    const [row] = await paymentsOf(pi);
    expect(row).toMatchObject({ orgId: w.org.id, pledgeId: null, amountMinor: 2_000, flag: "unknown_pledge" });
    expect((await pledgeRow(p.id)).status).toBe("awaiting_payment"); // the real pledge is untouched
    await ledgerSound(w.org.id);
  });

  it("an expired or failed session releases the unpaid card pledge (its reservation too); a paid pledge is kept", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const p = await cardPledge(w, 4_000);
    const sessionId = `cs_test_${randomUUID().replace(/-/g, "")}`;
    await db.insert(checkoutSessions).values({ id: sessionId, pledgeId: p.id, orgId: p.orgId, giftMinor: 4_000, currency: p.currency, url: "https://x.test", expiresAt: new Date(Date.now() + 3_600_000) });
    const reservedBefore = (await db.select().from(needs).where(eq(needs.id, w.need.id)))[0].reservedMinor;

    const expired = completed(p, { pi: "", sessionId, type: "checkout.session.expired" });
    (expired.data.object as unknown as Record<string, unknown>).payment_status = "unpaid";
    (expired.data.object as unknown as Record<string, unknown>).payment_intent = null;
    expect((await deliver(expired)).status).toBe(200);
    expect(await eventRow(expired.id)).toMatchObject({ status: "processed" });
    const released = await pledgeRow(p.id);
    expect(released.status).not.toBe("awaiting_payment");
    expect((await db.select().from(needs).where(eq(needs.id, w.need.id)))[0].reservedMinor).toBe(reservedBefore - 4_000);
    expect((await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, sessionId)))[0].status).toBe("expired");

    // A paid pledge's old session expiring changes nothing.
    const q = await cardPledge(w, 1_000);
    const pi = `pi_${randomUUID().replace(/-/g, "")}`;
    await deliver(completed(q, { pi }));
    expect((await pledgeRow(q.id)).status).toBe("paid");
    const late = completed(q, { pi: "", type: "checkout.session.async_payment_failed" });
    expect((await deliver(late)).status).toBe(200);
    expect((await pledgeRow(q.id)).status).toBe("paid");
    await ledgerSound(w.org.id);
  });

  it("a lost dispute whose events come before the payment: deferred, then flagged and booked once after it", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const p = await cardPledge(w, 3_000);
    const pi = `pi_${randomUUID().replace(/-/g, "")}`;
    const dispute = (type: string, status: string) =>
      ({ id: evtId("dispute"), object: "event", type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: `dp_${pi}`, object: "dispute", payment_intent: pi, status, amount: 3_000, currency: "usd" } } }) as const;
    const closed = dispute("charge.dispute.closed", "lost");
    const created = dispute("charge.dispute.created", "needs_response");
    expect((await deliver(closed)).status).toBe(200);
    expect((await deliver(created)).status).toBe(200);
    expect(await eventRow(closed.id)).toMatchObject({ status: "deferred" });
    expect(await eventRow(created.id)).toMatchObject({ status: "deferred" });

    await deliver(completed(p, { pi }));
    await processDueStripeEvents(db, { now: new Date(Date.now() + 3_600_000) });
    await processDueStripeEvents(db, { now: new Date(Date.now() + 7_200_000) });
    expect(await eventRow(closed.id)).toMatchObject({ status: "processed" });
    expect(await eventRow(created.id)).toMatchObject({ status: "processed" });
    const [row] = await paymentsOf(pi);
    expect(row.flag).toBe("dispute_lost");
    expect(await db.select().from(ledgerEntries).where(and(eq(ledgerEntries.paymentId, row.id), eq(ledgerEntries.kind, "adjustment")))).toHaveLength(1);
    await ledgerSound(w.org.id);
  });

  it("is a machine route: Stripe's JSON POST passes the request screen (a form is required elsewhere); GET is 405; never cached", async () => {
    const json = new Headers({ "content-type": "application/json", "content-length": "120" });
    expect(screenRequest("POST", "/webhooks/stripe", json)).toBeNull();
    expect(screenRequest("POST", "/needs", json)?.status).toBe(415);
    const get = webhook.loader();
    expect(get.status).toBe(405);
    expect(get.headers.get("cache-control")).toBe("no-store");
    expect((await deliver({ id: evtId("x"), object: "event", type: "ping", created: 1, livemode: false, data: { object: {} } })).cache).toBe("no-store");
  });

  it("an unknown event type is stored and ignored", async () => {
    const event = { id: evtId("other"), object: "event", type: "customer.created", created: 1, livemode: false, data: { object: { id: "cus_1" } } };
    expect((await deliver(event)).status).toBe(200);
    expect(await eventRow(event.id)).toMatchObject({ status: "ignored", type: "customer.created" });
  });
});

describe("with STRIPE_SECRET_KEY: the fee comes from Stripe's balance transaction", () => {
  let mock: StripeMock | null = null;
  const saved = { key: process.env.STRIPE_SECRET_KEY, base: process.env.STRIPE_API_BASE };
  afterEach(async () => {
    process.env.STRIPE_SECRET_KEY = saved.key ?? "";
    process.env.STRIPE_API_BASE = saved.base ?? "";
    if (saved.key === undefined) delete process.env.STRIPE_SECRET_KEY;
    if (saved.base === undefined) delete process.env.STRIPE_API_BASE;
    await mock?.close();
    mock = null;
  });

  it("books Stripe's fee (LBP: Stripe's cents → whole pounds) and asks with the expansion", async () => {
    mock = await startStripeMock();
    process.env.STRIPE_SECRET_KEY = "sk_test_mock";
    process.env.STRIPE_API_BASE = mock.url;
    const w = await pledgeWorld({ currency: "LBP", targetMinor: 5_000_000 });
    const p = await cardPledge(w, 450_000);
    const pi = `pi_${randomUUID().replace(/-/g, "")}`;
    mock.intents.set(pi, { amount: 45_000_000, currency: "lbp", fee: 1_335_050 }); // 13 350.50 LBP at Stripe
    const event = completed(p, { pi, amount: 45_000_000 });
    expect((await deliver(event)).status).toBe(200);
    expect(await eventRow(event.id)).toMatchObject({ status: "processed" });
    const [row] = await paymentsOf(pi);
    expect(row).toMatchObject({ amountMinor: 450_000, feeMinor: 13_351, currency: "LBP" });
    const call = mock.requests.find((r) => r.path === `/v1/payment_intents/${pi}`);
    expect(call?.method).toBe("GET");
    expect(Object.values(call?.query ?? {})).toContain("latest_charge.balance_transaction");
    await ledgerSound(w.org.id);
  });
});
