// The card pages without STRIPE_SECRET_KEY (the built-in stand-in of Stripe Checkout), called the
// way Remix calls them: /pledges/:ref/pay opens a cs_test_standin_… session, /dev/checkout/:id
// takes the test cards and delivers a signed checkout.session.completed through the webhook
// route's own action (JOBS is off in tests: processed inline), /pledges/:ref/card-return shows it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { checkoutSessions, ledgerEntries, orgPaymentDetails, payments, pledges, receipts, stripeEvents } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { resetEnvCache } from "~/utils/env.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { coverAmountFor, estimateCardFee } from "~/modules/payments/card-fees";
import { CheckoutError, startCheckout } from "~/modules/payments/checkout.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import * as payPage from "~/routes/pledges.$reference_.pay";
import * as returnPage from "~/routes/pledges.$reference_.card-return";
import * as standIn from "~/routes/dev.checkout.$sessionId";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run } from "../fixtures/routes";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

const saved = { key: process.env.STRIPE_SECRET_KEY, env: process.env.NODE_ENV, session: process.env.SESSION_SECRET, hash: process.env.IDENTITY_HASH_SECRET };
beforeEach(() => {
  delete process.env.STRIPE_SECRET_KEY;
});
afterEach(() => {
  if (saved.key === undefined) delete process.env.STRIPE_SECRET_KEY;
  else process.env.STRIPE_SECRET_KEY = saved.key;
  process.env.NODE_ENV = saved.env;
  for (const [name, value] of [["SESSION_SECRET", saved.session], ["IDENTITY_HASH_SECRET", saved.hash]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  resetEnvCache();
});

async function cardPledge(w: World, amountMinor = 5_000) {
  return (await createPledge(await getDb(), pledgeInput(w.need, { method: "card", amountMinor, cardPayments: true, locale: "ar" }))).pledge;
}

const sessionIdOf = (location: string | null) => (location ?? "").split("/dev/checkout/")[1] ?? "";

async function openCheckout(reference: string, coverFee = false, lng = "en") {
  return run(payPage.action, makeRequest(`/pledges/${reference}/pay`, { form: coverFee ? { intent: "pay", coverFee: "on" } : { intent: "pay" }, lng }), { reference });
}

async function payWith(sessionId: string, cardNumber: string, lng = "en") {
  return run(standIn.action, makeRequest(`/dev/checkout/${sessionId}`, { form: { intent: "pay", cardNumber }, lng }), { sessionId });
}

async function paymentsOf(pledgeId: string) {
  return (await getDb()).select().from(payments).where(eq(payments.pledgeId, pledgeId));
}

describe("card payments through the stand-in (no Stripe key)", () => {
  it("continue → stand-in page (labelled as a test) → 4242 → one payment with the estimated fee, the pledge paid, a receipt, a balanced ledger; paying twice changes nothing", async () => {
    const w = await pledgeWorld({ targetMinor: 20_000 });
    const p = await cardPledge(w, 5_000);
    const db = await getDb();

    const page = await run(payPage.loader, makeRequest(`/pledges/${p.reference}/pay`, { lng: "ar" }), { reference: p.reference });
    expect(page.status).toBe(200);
    expect(page.body.state).toBe("payable");
    expect(page.body.cover).toContain("1.81"); // the fee cover the donor may add, in their language's format

    const opened = await openCheckout(p.reference, true);
    expect(opened.status).toBe(302);
    const sessionId = sessionIdOf(opened.location);
    expect(sessionId).toMatch(/^cs_test_standin_[0-9a-f]{32}$/);
    const cover = coverAmountFor(5_000, "USD");
    const [session] = await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, sessionId));
    expect(session).toMatchObject({ pledgeId: p.id, giftMinor: 5_000, coverFeeMinor: cover, currency: "USD", status: "open" });

    // The same choice again: the same session.
    expect(sessionIdOf((await openCheckout(p.reference, true)).location)).toBe(sessionId);

    const shown = await run(standIn.loader, makeRequest(`/dev/checkout/${sessionId}`, { lng: "en" }), { sessionId });
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ reference: p.reference, total: "US$51.81", gift: "US$50.00", open: true });
    expect(shown.body.title).toMatch(/Test checkout/);

    const paid = await payWith(sessionId, "4242 4242 4242 4242");
    expect(paid.status).toBe(302);
    expect(paid.location).toBe(`http://localhost/pledges/${p.reference}/card-return?session_id=${sessionId}`);

    const [payment] = await paymentsOf(p.id);
    expect(payment).toMatchObject({
      method: "card",
      amountMinor: 5_000 + cover,
      coverFeeMinor: cover,
      feeMinor: estimateCardFee(5_000 + cover, "USD"),
      status: "succeeded",
      recordedBy: null,
      allocation: "need_fund",
    });
    expect(payment.externalId).toMatch(/^pi_test_standin_/);
    const [pledge] = await db.select().from(pledges).where(eq(pledges.id, p.id));
    expect(pledge).toMatchObject({ status: "paid", paidMinor: 5_000 });
    const [{ n: receiptCount }] = await db.select({ n: count() }).from(receipts).where(eq(receipts.paymentId, payment.id));
    expect(receiptCount).toBe(1);
    const [done] = await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, sessionId));
    expect(done.status).toBe("complete");
    const [event] = await db.select().from(stripeEvents).where(eq(stripeEvents.type, "checkout.session.completed")).orderBy(stripeEvents.receivedAt);
    expect(event).toBeTruthy();

    const back = await run(returnPage.loader, makeRequest(`/pledges/${p.reference}/card-return?session_id=${sessionId}`, { lng: "en" }), { reference: p.reference });
    expect(back.status).toBe(200);
    expect(back.body.state).toBe("paid");
    expect(back.body.receipts).toHaveLength(1);

    // A second submit of the (now closed) page: refused, still one payment and one ledger entry.
    const again = await payWith(sessionId, "4242424242424242");
    expect(again.status).toBe(409);
    expect(await paymentsOf(p.id)).toHaveLength(1);
    const [{ n: entries }] = await db.select({ n: count() }).from(ledgerEntries).where(and(eq(ledgerEntries.paymentId, payment.id), eq(ledgerEntries.kind, "payment")));
    expect(entries).toBe(1);
    expect((await checkLedger(db, p.orgId)).problems).toEqual([]);

    // The pay page now says there is nothing to pay, and a POST opens nothing.
    const over = await openCheckout(p.reference);
    expect(over.status).toBe(409);
    expect(over.body.error).toBe("card:errors.not_payable");
  });

  it("the declined test card and an unknown number change nothing; cancel returns to the cancel page, the pledge still held", async () => {
    const w = await pledgeWorld();
    const p = await cardPledge(w, 2_000);
    const sessionId = sessionIdOf((await openCheckout(p.reference)).location);

    const declined = await payWith(sessionId, "4000 0000 0000 0002", "ar");
    expect(declined.status).toBe(402);
    expect(declined.body.error).toBe("card:standin.declined");
    const other = await payWith(sessionId, "1234");
    expect(other.status).toBe(400);
    expect(await paymentsOf(p.id)).toHaveLength(0);
    expect(await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, sessionId))).toHaveLength(0);

    const cancelled = await run(standIn.action, makeRequest(`/dev/checkout/${sessionId}`, { form: { intent: "cancel" } }), { sessionId });
    expect(cancelled.location).toBe(`http://localhost/pledges/${p.reference}/card-return?cancelled=1`);
    const back = await run(returnPage.loader, makeRequest(`/pledges/${p.reference}/card-return?cancelled=1`), { reference: p.reference });
    expect(back.body).toMatchObject({ state: "cancelled", canRetry: true });
    const [pledge] = await (await getDb()).select().from(pledges).where(eq(pledges.id, p.id));
    expect(pledge.status).toBe("awaiting_payment");
  });

  it("a different fee choice opens a new session and closes the old one", async () => {
    const w = await pledgeWorld();
    const p = await cardPledge(w, 3_000);
    const first = sessionIdOf((await openCheckout(p.reference)).location);
    const second = sessionIdOf((await openCheckout(p.reference, true)).location);
    expect(second).not.toBe(first);
    const rows = await (await getDb()).select().from(checkoutSessions).where(eq(checkoutSessions.pledgeId, p.id));
    expect(rows.find((r) => r.id === first)?.status).toBe("expired");
    expect(rows.find((r) => r.id === second)).toMatchObject({ status: "open", coverFeeMinor: coverAmountFor(3_000, "USD") });
    expect((await payWith(first, "4242424242424242")).status).toBe(409);
  });

  it("refused with nothing stored: not a card pledge, the organisation switched card off, a hold about to end, an unknown pledge", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const bank = (await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }))).pledge;
    expect((await openCheckout(bank.reference)).status).toBe(409);

    const card = await cardPledge(w, 1_000);
    await db.update(orgPaymentDetails).set({ cardEnabled: false }).where(eq(orgPaymentDetails.orgId, w.org.id));
    const off = await openCheckout(card.reference);
    expect(off.status).toBe(409);
    expect(off.body.error).toBe("card:errors.card_unavailable");
    const shown = await run(payPage.loader, makeRequest(`/pledges/${card.reference}/pay`), { reference: card.reference });
    expect(shown.body.state).toBe("unavailable");
    await db.update(orgPaymentDetails).set({ cardEnabled: true }).where(eq(orgPaymentDetails.orgId, w.org.id));

    await db.update(pledges).set({ expiresAt: new Date(Date.now() + 10 * 60_000) }).where(eq(pledges.id, card.id));
    await expect(startCheckout(db, { pledgeId: card.id, coverFee: false, origin: "http://x.test", locale: "en" })).rejects.toMatchObject({ code: "hold_ended" });
    await expect(startCheckout(db, { pledgeId: "00000000-0000-4000-8000-000000000000", coverFee: false, origin: "http://x.test", locale: "en" })).rejects.toBeInstanceOf(CheckoutError);
    expect(await db.select().from(checkoutSessions).where(eq(checkoutSessions.pledgeId, card.id))).toHaveLength(0);
    expect((await run(payPage.loader, makeRequest(`/pledges/TDM-NOPE-NOPE/pay`), { reference: "TDM-NOPE-NOPE" })).status).toBe(404);
  });

  it("JOD: an amount Stripe cannot charge exactly (last digit not 0) is refused; a whole one opens", async () => {
    const w = await pledgeWorld({ currency: "JOD", targetMinor: 100_000 });
    const odd = await cardPledge(w, 5_125);
    await expect(startCheckout(await getDb(), { pledgeId: odd.id, coverFee: false, origin: "http://x.test", locale: "ar" })).rejects.toMatchObject({ code: "amount_not_chargeable" });
    const even = await cardPledge(w, 5_120);
    const { url } = await startCheckout(await getDb(), { pledgeId: even.id, coverFee: true, origin: "http://x.test", locale: "ar" });
    expect(url).toMatch(/^http:\/\/x\.test\/dev\/checkout\/cs_test_standin_/);
  });

  it("the stand-in page is 404 in production and whenever a Stripe key is set", async () => {
    const w = await pledgeWorld();
    const p = await cardPledge(w, 1_000);
    const sessionId = sessionIdOf((await openCheckout(p.reference)).location);
    process.env.STRIPE_SECRET_KEY = "sk_test_x";
    expect((await run(standIn.loader, makeRequest(`/dev/checkout/${sessionId}`), { sessionId })).status).toBe(404);
    expect((await payWith(sessionId, "4242424242424242")).status).toBe(404);
    delete process.env.STRIPE_SECRET_KEY;
    process.env.NODE_ENV = "production";
    process.env.SESSION_SECRET = "s".repeat(40);
    process.env.IDENTITY_HASH_SECRET = "h".repeat(40);
    resetEnvCache();
    expect((await run(standIn.loader, makeRequest(`/dev/checkout/${sessionId}`), { sessionId })).status).toBe(404);
    expect(await paymentsOf(p.id)).toHaveLength(0);
  });
});
