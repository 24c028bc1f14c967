// Monthly giving (issue 12, decision 066): standing orders (a reference a month, emailed; a missed
// month makes the gift past due), card subscriptions through the built-in stand-in (the
// /dev/subscribe page, the job's monthly billing) and through a local stand-in of Stripe's API
// with real webhook signatures (events repeated and shuffled, a failed payment, Stripe ending it),
// cancelling from the gift's signed page, and the bad input the issue lists.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import { monthlyGifts, payments, pledges, receipts } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { fundBalances } from "~/modules/matching/fund.server";
import { PledgeError } from "~/modules/pledging/errors";
import { expirePledges } from "~/modules/pledging/pledge-status.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { webhookSecret } from "~/modules/payments/stripe-client.server";
import { createMonthlyGift, monthOf, monthlyGiftPath, remindStandingOrders, type MonthlyGift } from "~/modules/giving/monthly.server";
import { startSubscriptionCheckout } from "~/modules/giving/monthly-stripe.server";
import { runMonthlyGifts } from "~/modules/giving/monthly-job.server";
import * as monthlyRoute from "~/routes/monthly.$giftId";
import * as standInRoute from "~/routes/dev.subscribe.$giftId";
import * as giveRoute from "~/routes/orgs.$slug_.give";
import * as webhook from "~/routes/webhooks.stripe";
import { emailsTo } from "../fixtures/auth";
import { unique } from "../fixtures/db";
import { actorFor, createGovernorate, needsWorld } from "../fixtures/needs";
import { idemKey, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run } from "../fixtures/routes";
import { useStripeApiStandIn } from "../mocks/stripe";

type World = Awaited<ReturnType<typeof pledgeWorld>>;
const ORIGIN = "http://tadamon.test";
/** A documentation address per request (198.18.0.0/15): the donor forms' rate limits count by address. */
const freshIp = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
const DAY = 86_400_000;

function giftInput(w: World, overrides: Partial<Parameters<typeof createMonthlyGift>[1]> = {}): Parameters<typeof createMonthlyGift>[1] {
  return {
    orgSlug: w.org.slug,
    amountMinor: 2_500,
    currency: "USD",
    method: "bank_transfer",
    email: `${unique("monthly")}@example.test`,
    displayName: "Rania",
    idempotencyKey: idemKey(),
    locale: "en",
    origin: ORIGIN,
    cardPayments: true,
    ...overrides,
  };
}

async function giftRow(id: string): Promise<MonthlyGift> {
  const [row] = await (await getDb()).select().from(monthlyGifts).where(eq(monthlyGifts.id, id));
  return row!;
}

async function monthsOf(giftId: string) {
  return (await getDb()).select().from(pledges).where(eq(pledges.monthlyGiftId, giftId)).orderBy(pledges.period);
}

async function ledgerSound(orgId: string) {
  const check = await checkLedger(await getDb(), orgId);
  expect(check.problems).toEqual([]);
}

const sigOf = (giftId: string) => new URL(monthlyGiftPath(giftId), ORIGIN).searchParams.get("s")!;

async function deliver(event: unknown) {
  const raw = JSON.stringify(event);
  const headers = new Headers({ "content-type": "application/json", "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: raw, secret: webhookSecret()! }) });
  const response = (await webhook.action({ request: new Request(`${ORIGIN}/webhooks/stripe`, { method: "POST", headers, body: raw }), params: {}, context: {} })) as Response;
  return response.status;
}

let seq = 0;
function event(type: string, object: Record<string, unknown>, id = `evt_test_monthly_${++seq}_${randomUUID().slice(0, 8)}`): Stripe.Event {
  return { id, object: "event", type, created: Math.floor(Date.now() / 1000), livemode: false, data: { object } } as unknown as Stripe.Event;
}

describe("standing orders (offline monthly gifts)", () => {
  it("issues one reference a month once the first month is confirmed, emails it, matches payments like any pledge, and marks a missed month past due", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const now = new Date();
    const { gift, firstPledge, confirmToken } = await createMonthlyGift(db, giftInput(w));
    // A guest: the first month waits for the email's confirmation; the gift has not started.
    expect(gift).toMatchObject({ status: "incomplete", method: "bank_transfer", amountMinor: 2_500 });
    expect(confirmToken).toBeTruthy();
    expect(firstPledge).toMatchObject({ kind: "fund", monthlyGiftId: gift.id, period: monthOf(w.org.timeZone, now), status: "pending", amountMinor: 2_500 });
    const instructions = await emailsTo(gift.email, "pledge-instructions");
    expect(instructions).toHaveLength(1);
    expect(instructions[0].html).toContain(firstPledge!.reference);
    expect(instructions[0].subject + instructions[0].html).toMatch(/Monthly gift/);
    const [started] = await emailsTo(gift.email, "monthly-gift");
    expect(started.html).toContain(monthlyGiftPath(gift.id).replace(/&/g, "&amp;"));

    // Next month, unconfirmed: nothing is issued.
    const nextMonth = new Date(now.getTime() + 32 * DAY);
    await runMonthlyGifts(db, { origin: ORIGIN, now: nextMonth });
    expect(await monthsOf(gift.id)).toHaveLength(1);

    // The donor confirms (the email's link); the bank transfer arrives by its reference.
    await db.update(pledges).set({ confirmedAt: now }).where(eq(pledges.id, firstPledge!.id));
    const paid = await recordPayment(db, actorFor(w.finance.id), {
      orgId: w.org.id,
      pledgeReference: firstPledge!.reference,
      method: "bank_transfer",
      amountMinor: 2_500,
      currency: "USD",
      valueDate: todayIn(w.org.timeZone),
      idempotencyKey: idemKey(),
    });
    expect(paid.outcome).toBe("recorded");
    const fund = (await fundBalances(db, w.org.id)).find((b) => b.fund === "unrestricted_fund" && b.currency === "USD");
    expect(fund?.balanceMinor).toBeGreaterThanOrEqual(2_500);

    await runMonthlyGifts(db, { origin: ORIGIN, now: nextMonth });
    expect((await giftRow(gift.id)).status).toBe("active");
    const months = await monthsOf(gift.id);
    expect(months).toHaveLength(2);
    const second = months[1];
    expect(second).toMatchObject({ period: monthOf(w.org.timeZone, nextMonth), status: "pending", amountMinor: 2_500 });
    expect(second.confirmedAt).not.toBeNull();
    expect(second.reference).not.toBe(firstPledge!.reference);
    // Issued once: the job runs hourly.
    await runMonthlyGifts(db, { origin: ORIGIN, now: new Date(nextMonth.getTime() + 3_600_000) });
    expect(await monthsOf(gift.id)).toHaveLength(2);
    const reminders = await emailsTo(gift.email, "pledge-instructions");
    expect(reminders).toHaveLength(2);
    expect(reminders.some((m) => m.html.includes(second.reference))).toBe(true);

    // Unpaid a few days before it expires: one reminder with its reference (the job runs hourly).
    const remindAt = new Date(second.expiresAt!.getTime() - 2 * DAY);
    await remindStandingOrders(db, { origin: ORIGIN, now: new Date(remindAt.getTime() - 2 * DAY) });
    expect((await emailsTo(gift.email, "monthly-gift")).filter((m) => (m.meta as { event: string }).event === "reminder")).toHaveLength(0);
    await remindStandingOrders(db, { origin: ORIGIN, now: remindAt });
    await remindStandingOrders(db, { origin: ORIGIN, now: new Date(remindAt.getTime() + 3_600_000) });
    const reminders2 = (await emailsTo(gift.email, "monthly-gift")).filter((m) => (m.meta as { event: string }).event === "reminder");
    expect(reminders2).toHaveLength(1);
    expect(reminders2[0].html).toContain(second.reference);
    expect(reminders2[0].html).toContain(`/pledges/${second.reference}`);

    // The second month is never paid: its reference expires; the month after, the gift is past due and the donor told.
    await expirePledges(db, new Date(second.expiresAt!.getTime() + 1_000));
    const third = new Date(nextMonth.getTime() + 31 * DAY);
    await runMonthlyGifts(db, { origin: ORIGIN, now: third });
    expect((await giftRow(gift.id)).status).toBe("past_due");
    expect(await monthsOf(gift.id)).toHaveLength(3);
    expect((await emailsTo(gift.email, "monthly-gift")).map((m) => m.meta as { event: string }).map((m) => m.event)).toContain("missed");
    await ledgerSound(w.org.id);
  });

  it("refuses bad input with a clear error and writes nothing", async () => {
    const w = await pledgeWorld();
    const other = await needsWorld();
    const otherRegion = await createGovernorate(other.org.id, "Aleppo", "حلب");
    const db = await getDb();
    const count = async () => (await db.select({ id: monthlyGifts.id }).from(monthlyGifts).where(eq(monthlyGifts.orgId, w.org.id))).length;
    await expect(createMonthlyGift(db, giftInput(w, { amountMinor: 50 }))).rejects.toMatchObject({ code: "below_minimum" });
    await expect(createMonthlyGift(db, giftInput(w, { amountMinor: -100 }))).rejects.toMatchObject({ code: "below_minimum" });
    await expect(createMonthlyGift(db, giftInput(w, { regionId: otherRegion.id }))).rejects.toMatchObject({ code: "region_invalid" });
    await expect(createMonthlyGift(db, giftInput(w, { currency: "EUR" }))).rejects.toMatchObject({ code: "currency_mismatch" });
    await expect(createMonthlyGift(db, giftInput(w, { method: "delivery" }))).rejects.toBeInstanceOf(PledgeError);
    expect(await count()).toBe(0);

    // A subscription in a currency Stripe does not take (Syrian pounds): refused before anything is written.
    const syp = await pledgeWorld({ currency: "SYP" });
    await expect(createMonthlyGift(db, giftInput(syp, { currency: "SYP", method: "card", amountMinor: 100_000 }))).rejects.toMatchObject({ code: "card_unavailable" });
    expect((await db.select({ id: monthlyGifts.id }).from(monthlyGifts).where(eq(monthlyGifts.orgId, syp.org.id))).length).toBe(0);

    // Through the form: a 400 with the message in the donor's language.
    const form = await run(
      giveRoute.action,
      makeRequest(`/orgs/${syp.org.slug}/give`, {
        lng: "en",
        ip: freshIp(),
        form: { frequency: "monthly", amount: "1000", method: "card", email: "x@example.test", idempotencyKey: idemKey() },
      }),
      { slug: syp.org.slug },
    );
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    expect(JSON.stringify(form.body)).toMatch(/not available in this currency|choose another way/i);
    const bad = await run(
      giveRoute.action,
      makeRequest(`/orgs/${w.org.slug}/give`, { lng: "ar", ip: freshIp(), form: { frequency: "yearly", amount: "25", method: "bank_transfer", email: "x@example.test", idempotencyKey: idemKey() } }),
      { slug: w.org.slug },
    );
    expect(bad.status).toBe(400);
    expect(await count()).toBe(0);
  });
});

describe("monthly card gifts through the built-in stand-in", () => {
  it("the form opens the stand-in; paying starts the subscription and books the first month; the job bills the next month; cancelling stops it", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const email = `${unique("card-monthly")}@example.test`;
    const posted = await run(
      giveRoute.action,
      makeRequest(`/orgs/${w.org.slug}/give`, { lng: "en", ip: freshIp(), form: { frequency: "monthly", amount: "30", method: "card", email, zakat: "on", idempotencyKey: idemKey() } }),
      { slug: w.org.slug },
    );
    expect(posted.status).toBe(302);
    const location = posted.headers!.get("location")!;
    expect(location).toMatch(/\/dev\/subscribe\/[0-9a-f-]{36}$/);
    const giftId = location.split("/").pop()!;
    expect(await giftRow(giftId)).toMatchObject({ status: "incomplete", method: "card", zakat: true, amountMinor: 3_000 });

    const declined = await run(standInRoute.action, makeRequest(`/dev/subscribe/${giftId}`, { form: { intent: "pay", cardNumber: "4000 0000 0000 0002" } }), { giftId });
    expect(declined.status).toBe(402);
    expect(await monthsOf(giftId)).toHaveLength(0);

    const paid = await run(standInRoute.action, makeRequest(`/dev/subscribe/${giftId}`, { form: { intent: "pay", cardNumber: "4242 4242 4242 4242" } }), { giftId });
    expect(paid.status).toBe(302);
    expect(paid.headers!.get("location")).toContain(`/monthly/${giftId}?s=`);
    const gift = await giftRow(giftId);
    expect(gift.status).toBe("active");
    expect(gift.stripeSubscriptionId).toMatch(/^sub_test_standin_/);
    const [first] = await monthsOf(giftId);
    expect(first).toMatchObject({ status: "paid", paidMinor: 3_000, zakat: true, method: "card" });
    const [payment] = await db.select().from(payments).where(eq(payments.pledgeId, first.id));
    expect(payment).toMatchObject({ method: "card", amountMinor: 3_000 });
    expect((await db.select().from(receipts).where(eq(receipts.paymentId, payment.id))).length).toBe(1);
    const zakat = (await fundBalances(db, w.org.id)).find((b) => b.fund === "zakat_fund");
    expect(zakat?.balanceMinor).toBeGreaterThan(0);

    // The page is open by its signed link only.
    expect((await run(monthlyRoute.loader, makeRequest(`/monthly/${giftId}`), { giftId })).status).toBe(404);
    const page = await run(monthlyRoute.loader, makeRequest(monthlyGiftPath(giftId)), { giftId });
    expect(page.status).toBe(200);
    expect(page.body.months).toHaveLength(1);
    expect(JSON.stringify(page.body)).not.toContain(w.household.id);

    // Next month the stand-in bills it once.
    const next = new Date(Date.now() + 32 * DAY);
    await runMonthlyGifts(db, { origin: ORIGIN, now: next });
    await runMonthlyGifts(db, { origin: ORIGIN, now: new Date(next.getTime() + 3_600_000) });
    const months = await monthsOf(giftId);
    expect(months).toHaveLength(2);
    expect(months.every((m) => m.status === "paid")).toBe(true);

    // A body without the button's intent changes nothing; the donor cancels by the signed link.
    const hostile = await run(monthlyRoute.action, makeRequest(`/monthly/${giftId}`, { form: { s: sigOf(giftId), intent: "drop" } }), { giftId });
    expect(hostile.status).toBe(400);
    const stranger = await run(monthlyRoute.action, makeRequest(`/monthly/${giftId}`, { form: { intent: "cancel" } }), { giftId });
    expect(stranger.status).toBe(404);
    expect((await giftRow(giftId)).status).toBe("active");
    const cancelled = await run(monthlyRoute.action, makeRequest(`/monthly/${giftId}`, { form: { s: sigOf(giftId), intent: "cancel" } }), { giftId });
    expect(cancelled.status).toBe(302);
    expect(await giftRow(giftId)).toMatchObject({ status: "cancelled" });
    expect((await emailsTo(email, "monthly-gift")).map((m) => (m.meta as { event: string }).event).sort()).toEqual(["cancelled", "started"]);
    // Nothing more is billed.
    await runMonthlyGifts(db, { origin: ORIGIN, now: new Date(next.getTime() + 31 * DAY) });
    expect(await monthsOf(giftId)).toHaveLength(2);
    await ledgerSound(w.org.id);
  });
});

describe("monthly card gifts with Stripe (a local stand-in of its API, real signatures)", () => {
  const stripeApi = useStripeApiStandIn({ beforeEach, afterEach });

  function invoice(gift: MonthlyGift, opts: { id: string; pi?: string; amount?: number; attempt?: number; withPayments?: boolean; subscription: string }) {
    return {
      id: opts.id,
      object: "invoice",
      amount_paid: opts.amount ?? gift.amountMinor,
      amount_due: opts.amount ?? gift.amountMinor,
      attempt_count: opts.attempt ?? 1,
      currency: gift.currency.toLowerCase(),
      customer: "cus_mock_1",
      parent: { type: "subscription_details", subscription_details: { subscription: opts.subscription, metadata: { monthlyGiftId: gift.id, orgId: gift.orgId } } },
      lines: { object: "list", data: [{ period: { start: Math.floor(Date.now() / 1000), end: Math.floor(Date.now() / 1000) + 30 * 86_400 } }] },
      ...(opts.withPayments && opts.pi ? { payments: { object: "list", data: [{ status: "paid", payment: { type: "payment_intent", payment_intent: opts.pi } }] } } : {}),
    };
  }

  it("Checkout in subscription mode; invoice.paid before the session, repeated and shuffled, books each month once with Stripe's fee; a failed payment is told once; Stripe ending it cancels", async () => {
    const mock = stripeApi();
    const w = await pledgeWorld();
    const db = await getDb();
    const { gift } = await createMonthlyGift(db, giftInput(w, { method: "card", amountMinor: 5_000, locale: "ar" }));
    const { url } = await startSubscriptionCheckout(db, { giftId: gift.id, origin: ORIGIN, locale: "ar" });
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const sent = mock.requests.find((r) => r.path === "/v1/checkout/sessions")!;
    expect(sent.body).toMatchObject({
      mode: "subscription",
      "line_items[0][price_data][currency]": "usd",
      "line_items[0][price_data][unit_amount]": "5000",
      "line_items[0][price_data][recurring][interval]": "month",
      "metadata[monthlyGiftId]": gift.id,
      "subscription_data[metadata][monthlyGiftId]": gift.id,
      customer_email: gift.email,
    });

    const sub = `sub_mock_${randomUUID().slice(0, 8)}`;
    const pi1 = `pi_mock_${randomUUID().slice(0, 8)}`;
    mock.intents.set(pi1, { amount: 5_000, currency: "usd", fee: 175 });
    const paid1 = event("invoice.paid", invoice(gift, { id: `in_mock_${randomUUID().slice(0, 8)}`, pi: pi1, withPayments: true, subscription: sub }));
    const session = event("checkout.session.completed", { id: "cs_mock_sub", object: "checkout.session", mode: "subscription", subscription: sub, customer: "cus_mock_1", client_reference_id: gift.id, metadata: { monthlyGiftId: gift.id, orgId: gift.orgId } });
    // The invoice first, twice; then the session, twice.
    expect(await deliver(paid1)).toBe(200);
    expect(await deliver(paid1)).toBe(200);
    expect(await deliver(session)).toBe(200);
    expect(await deliver(event("checkout.session.completed", (session.data.object as unknown) as Record<string, unknown>))).toBe(200);
    expect(await giftRow(gift.id)).toMatchObject({ status: "active", stripeSubscriptionId: sub, stripeCustomerId: "cus_mock_1" });
    let months = await monthsOf(gift.id);
    expect(months).toHaveLength(1);
    expect(months[0]).toMatchObject({ status: "paid", paidMinor: 5_000 });
    const [p1] = await db.select().from(payments).where(and(eq(payments.method, "card"), eq(payments.externalId, pi1)));
    expect(p1).toMatchObject({ amountMinor: 5_000, feeMinor: 175, pledgeId: months[0].id });
    expect((await emailsTo(gift.email, "monthly-gift")).filter((m) => (m.meta as { event: string }).event === "started")).toHaveLength(1);

    // Month two: the payment fails (told once per attempt, even when Stripe repeats the event), then the retry pays;
    // this time the invoice does not carry its payments: they are asked of Stripe.
    const in2 = `in_mock_${randomUUID().slice(0, 8)}`;
    const failed = invoice(gift, { id: in2, subscription: sub, attempt: 1 });
    expect(await deliver(event("invoice.payment_failed", failed))).toBe(200);
    expect(await deliver(event("invoice.payment_failed", failed))).toBe(200);
    expect((await giftRow(gift.id)).status).toBe("past_due");
    const failures = () => emailsTo(gift.email, "monthly-gift").then((r) => r.filter((m) => (m.meta as { event: string }).event === "payment_failed"));
    expect(await failures()).toHaveLength(1);
    expect((await failures())[0].locale).toBe("ar");
    expect(await deliver(event("invoice.payment_failed", { ...failed, attempt_count: 2 }))).toBe(200);
    expect(await failures()).toHaveLength(2);

    const pi2 = `pi_mock_${randomUUID().slice(0, 8)}`;
    mock.intents.set(pi2, { amount: 5_000, currency: "usd", fee: 175 });
    mock.invoicePayments.set(in2, [{ paymentIntent: pi2, status: "paid" }]);
    expect(await deliver(event("invoice.paid", invoice(gift, { id: in2, subscription: sub })))).toBe(200);
    expect((await giftRow(gift.id)).status).toBe("active");
    months = await monthsOf(gift.id);
    expect(months).toHaveLength(2);
    expect(months.every((m) => m.status === "paid")).toBe(true);
    // A late failure of the invoice already paid changes nothing.
    expect(await deliver(event("invoice.payment_failed", { ...failed, attempt_count: 3 }))).toBe(200);
    expect((await giftRow(gift.id)).status).toBe("active");

    // Stripe ends the subscription: cancelled, told; a later invoice.paid of it still books the money that arrived.
    expect(await deliver(event("customer.subscription.deleted", { id: sub, object: "subscription", status: "canceled", metadata: { monthlyGiftId: gift.id, orgId: gift.orgId } }))).toBe(200);
    expect((await giftRow(gift.id)).status).toBe("cancelled");
    expect((await emailsTo(gift.email, "monthly-gift")).filter((m) => (m.meta as { event: string }).event === "cancelled")).toHaveLength(1);
    await ledgerSound(w.org.id);
  });

  it("the donor cancels from the signed page: Stripe's subscription is cancelled first; Stripe unreachable changes nothing", async () => {
    const mock = stripeApi();
    const w = await pledgeWorld();
    const db = await getDb();
    const { gift } = await createMonthlyGift(db, giftInput(w, { method: "card" }));
    const sub = `sub_mock_${randomUUID().slice(0, 8)}`;
    expect(await deliver(event("checkout.session.completed", { id: "cs_mock_2", object: "checkout.session", mode: "subscription", subscription: sub, customer: "cus_mock_2", metadata: { monthlyGiftId: gift.id, orgId: gift.orgId } }))).toBe(200);
    expect((await giftRow(gift.id)).status).toBe("active");

    const base = process.env.STRIPE_API_BASE;
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9"; // nothing listens
    const down = await run(monthlyRoute.action, makeRequest(`/monthly/${gift.id}`, { lng: "en", form: { s: sigOf(gift.id), intent: "cancel" } }), { giftId: gift.id });
    expect(down.status).toBe(502);
    expect(down.body.error).toMatch(/did not answer/);
    expect((await giftRow(gift.id)).status).toBe("active");
    process.env.STRIPE_API_BASE = base;

    const done = await run(monthlyRoute.action, makeRequest(`/monthly/${gift.id}`, { form: { s: sigOf(gift.id), intent: "cancel" } }), { giftId: gift.id });
    expect(done.status).toBe(302);
    expect(mock.cancelledSubscriptions).toEqual([sub]);
    expect((await giftRow(gift.id)).status).toBe("cancelled");
    // The deletion event Stripe then sends changes nothing more and tells nobody twice.
    expect(await deliver(event("customer.subscription.deleted", { id: sub, object: "subscription", metadata: { monthlyGiftId: gift.id, orgId: gift.orgId } }))).toBe(200);
    expect((await emailsTo(gift.email, "monthly-gift")).filter((m) => (m.meta as { event: string }).event === "cancelled")).toHaveLength(1);
  });
});
