// Stripe payouts (decision 058): signed payout.paid events through POST /webhooks/stripe (the SDK's
// generateTestHeaderString), with STRIPE_SECRET_KEY against the local stand-in of Stripe's API
// (balance transactions of the payout → charges → payment intents → our card payments) and with
// the built-in stand-in (no key: the payouts page's test form). Dr bank / Cr Stripe once, payments
// marked, replay a no-op, deferral until the payments land, refusals, failure after paid, the
// matcher's candidates, and the pages (finance only, another organisation's payout 404).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { and, count, eq, inArray } from "drizzle-orm";
import Stripe from "stripe";
import fc from "fast-check";
import { ledgerAccounts, ledgerEntries, ledgerPostings, moneyAccounts, payments, pledges, statementImports, statementLines, statementMatches, stripeEvents, stripePayouts } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { webhookSecret } from "~/modules/payments/stripe-client.server";
import { findPayoutCandidates, unpaidCardBalances } from "~/modules/payments/payouts.server";
import * as webhook from "~/routes/webhooks.stripe";
import * as payoutsPage from "~/routes/finance.$orgSlug.payouts._index";
import * as payoutPage from "~/routes/finance.$orgSlug.payouts.$payoutId";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn } from "../fixtures/routes";
import { startStripeMock, type StripeMock } from "../mocks/stripe";

type World = Awaited<ReturnType<typeof pledgeWorld>>;
type Pledge = typeof pledges.$inferSelect;

const sign = (payload: string, secret = webhookSecret()!) => Stripe.webhooks.generateTestHeaderString({ payload, secret });
let seq = 0;
const evtId = (tag: string) => `evt_test_${tag}_${++seq}_${Math.random().toString(36).slice(2, 8)}`;
const poId = () => `po_test_${randomUUID().replace(/-/g, "").slice(0, 20)}`;
const piId = () => `pi_${randomUUID().replace(/-/g, "")}`;

async function cardPledge(w: World, amountMinor: number): Promise<Pledge> {
  return (await createPledge(await getDb(), pledgeInput(w.need, { method: "card", amountMinor, cardPayments: true }))).pledge;
}

function completed(p: Pledge, pi: string): Stripe.Event {
  return {
    id: evtId("completed"),
    object: "event",
    type: "checkout.session.completed",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: `cs_test_${randomUUID().slice(0, 8)}`,
        object: "checkout.session",
        payment_status: "paid",
        payment_intent: pi,
        amount_total: p.amountMinor,
        currency: p.currency.toLowerCase(),
        client_reference_id: p.reference,
        customer_details: { email: p.email, name: "Samira" },
        metadata: { pledgeId: p.id, pledgeReference: p.reference, orgId: p.orgId, giftMinor: String(p.amountMinor), coverFeeMinor: "0" },
      },
    },
  } as unknown as Stripe.Event;
}

function payoutEvent(po: string, amount: number, opts: { type?: string; metadata?: Record<string, string>; currency?: string; id?: string } = {}): Stripe.Event {
  return {
    id: opts.id ?? evtId("payout"),
    object: "event",
    type: opts.type ?? "payout.paid",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    data: {
      object: {
        id: po,
        object: "payout",
        amount,
        currency: opts.currency ?? "usd",
        arrival_date: Math.floor(Date.UTC(2026, 10, 27) / 1000),
        created: Math.floor(Date.now() / 1000) - 86_400,
        status: opts.type === "payout.failed" ? "failed" : "paid",
        statement_descriptor: "STRIPE TADAMON",
        metadata: opts.metadata ?? {},
      },
    },
  } as unknown as Stripe.Event;
}

async function deliver(event: unknown, signature?: string | null) {
  const raw = JSON.stringify(event);
  const headers = new Headers({ "content-type": "application/json" });
  const sig = signature === undefined ? sign(raw) : signature;
  if (sig) headers.set("stripe-signature", sig);
  const response = (await webhook.action({ request: new Request("http://localhost/webhooks/stripe", { method: "POST", headers, body: raw }), params: {}, context: {} })) as Response;
  return response.status;
}

async function eventRow(id: string) {
  return (await (await getDb()).select().from(stripeEvents).where(eq(stripeEvents.id, id)))[0];
}

async function payoutRow(id: string) {
  return (await (await getDb()).select().from(stripePayouts).where(eq(stripePayouts.id, id)))[0];
}

async function paymentOf(pi: string) {
  return (await (await getDb()).select().from(payments).where(and(eq(payments.method, "card"), eq(payments.externalId, pi))))[0];
}

async function payoutEntries(po: string) {
  return (await getDb()).select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, `payout:${po}`));
}

/** Postings of an entry by account kind (and the money account of a bank posting). */
async function postingsOf(entryId: string) {
  return (await getDb())
    .select({ kind: ledgerAccounts.kind, moneyAccountId: ledgerAccounts.moneyAccountId, amountMinor: ledgerPostings.amountMinor, currency: ledgerPostings.currency })
    .from(ledgerPostings)
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, ledgerPostings.accountId))
    .where(eq(ledgerPostings.entryId, entryId));
}

async function stripeBalance(orgId: string, currency = "USD") {
  return (await unpaidCardBalances(await getDb(), orgId)).find((b) => b.currency === currency)?.balanceMinor ?? 0;
}

async function ledgerSound(orgId: string) {
  const check = await checkLedger(await getDb(), orgId);
  expect(check.problems).toEqual([]);
  expect(check.ok).toBe(true);
}

describe("payout.paid with STRIPE_SECRET_KEY (balance transactions from Stripe's API stand-in)", () => {
  let mock: StripeMock;
  const saved = { key: process.env.STRIPE_SECRET_KEY, base: process.env.STRIPE_API_BASE };
  beforeEach(async () => {
    mock = await startStripeMock();
    process.env.STRIPE_SECRET_KEY = "sk_test_mock";
    process.env.STRIPE_API_BASE = mock.url;
  });
  afterEach(async () => {
    for (const [name, value] of [["STRIPE_SECRET_KEY", saved.key], ["STRIPE_API_BASE", saved.base]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await mock.close();
  });

  /** Two card payments recorded through signed checkout events, Stripe's fee from the mock. */
  async function twoCardPayments(w: World) {
    const p1 = await cardPledge(w, 5_000);
    const p2 = await cardPledge(w, 3_000);
    const pi1 = piId();
    const pi2 = piId();
    mock.intents.set(pi1, { amount: 5_000, currency: "usd", fee: 175 });
    mock.intents.set(pi2, { amount: 3_000, currency: "usd", fee: 117 });
    expect(await deliver(completed(p1, pi1))).toBe(200);
    expect(await deliver(completed(p2, pi2))).toBe(200);
    expect((await paymentOf(pi1)).feeMinor).toBe(175);
    return { p1, p2, pi1, pi2, net: 5_000 - 175 + 3_000 - 117 };
  }

  it("books Dr bank / Cr Stripe once, marks the carried payments, a replay changes nothing, the ledger checks", { timeout: 90_000 }, async () => {
    const w = await pledgeWorld({ targetMinor: 20_000 });
    const db = await getDb();
    const { pi1, pi2, net } = await twoCardPayments(w);
    expect(await stripeBalance(w.org.id)).toBe(net);

    const po = poId();
    mock.payoutCharges.set(po, [
      { paymentIntent: pi1, amount: 5_000, currency: "usd", fee: 175 },
      { paymentIntent: pi2, amount: 3_000, currency: "usd", fee: 117 },
    ]);
    // No org metadata: the organisation is the one whose payments the payout carried.
    const event = payoutEvent(po, net);
    expect(await deliver(event)).toBe(200);
    expect(await eventRow(event.id)).toMatchObject({ status: "processed" });

    const asked = mock.requests.filter((r) => r.path === "/v1/balance_transactions");
    expect(asked.length).toBeGreaterThan(0);
    expect(asked[0].query).toMatchObject({ payout: po, type: "charge" });

    const row = await payoutRow(po);
    expect(row).toMatchObject({ orgId: w.org.id, amountMinor: net, currency: "USD", arrivalDate: "2026-11-27", status: "paid", statementDescriptor: "STRIPE TADAMON" });
    const [bank] = await db.select().from(moneyAccounts).where(and(eq(moneyAccounts.orgId, w.org.id), eq(moneyAccounts.kind, "bank"), eq(moneyAccounts.currency, "USD")));
    expect(row.moneyAccountId).toBe(bank.id);

    const entries = await payoutEntries(po);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ id: row.ledgerEntryId, kind: "payout", orgId: w.org.id, actorUserId: null, valueDate: "2026-11-27" });
    const postings = await postingsOf(entries[0].id);
    expect(postings).toHaveLength(2);
    expect(postings.find((p) => p.kind === "bank")).toMatchObject({ moneyAccountId: bank.id, amountMinor: net, currency: "USD" });
    expect(postings.find((p) => p.kind === "stripe")).toMatchObject({ amountMinor: -net });
    expect(await stripeBalance(w.org.id)).toBe(0);

    expect((await paymentOf(pi1)).stripePayoutId).toBe(po);
    expect((await paymentOf(pi2)).stripePayoutId).toBe(po);
    await ledgerSound(w.org.id);

    // Stripe delivers it again, and sends a second event for the same payout: nothing more.
    expect(await deliver(event)).toBe(200);
    const again = payoutEvent(po, net);
    expect(await deliver(again)).toBe(200);
    expect(await eventRow(again.id)).toMatchObject({ status: "processed" });
    expect(await payoutEntries(po)).toHaveLength(1);
    expect((await db.select({ n: count() }).from(stripePayouts).where(eq(stripePayouts.id, po)))[0].n).toBe(1);
    expect(await stripeBalance(w.org.id)).toBe(0);
    await ledgerSound(w.org.id);

    // The matcher's candidates: the payout until a statement line's active match names it.
    const candidates = await findPayoutCandidates(db, w.org.id, { currency: "usd" });
    expect(candidates).toEqual([{ id: po, amountMinor: net, currency: "USD", arrivalDate: "2026-11-27", statementDescriptor: "STRIPE TADAMON", moneyAccountId: bank.id }]);
    expect(await findPayoutCandidates(db, w.org.id, { currency: "EUR" })).toEqual([]);
    const [imp] = await db
      .insert(statementImports)
      .values({ orgId: w.org.id, moneyAccountId: bank.id, fileName: "s.csv", sha256: randomUUID(), sizeBytes: 1, content: "x", mapping: { date: 0, amount: 1, dateOrder: "auto", decimalMark: ".", delimiter: ",", skipRows: 0, hasHeader: true, encoding: "utf-8" } })
      .returning();
    const [line] = await db
      .insert(statementLines)
      .values({ orgId: w.org.id, moneyAccountId: bank.id, importId: imp.id, lineNo: 2, fingerprint: randomUUID(), valueDate: "2026-11-27", amountMinor: net, currency: "USD", description: "STRIPE TADAMON" })
      .returning();
    const [match] = await db.insert(statementMatches).values({ orgId: w.org.id, lineId: line.id, kind: "payout", amountMinor: net, payoutId: po }).returning();
    expect(await findPayoutCandidates(db, w.org.id, { currency: "USD" })).toEqual([]);
    const page = await run(payoutPage.loader, makeRequest(`/finance/${w.org.slug}/payouts/${po}`, { cookie: await signIn(w.finance.id) }), { orgSlug: w.org.slug, payoutId: po });
    expect(page.body.lines).toEqual([expect.objectContaining({ lineId: line.id, amountMinor: net })]);
    await db.update(statementMatches).set({ status: "undone", undoneAt: new Date() }).where(eq(statementMatches.id, match.id));
    expect((await findPayoutCandidates(db, w.org.id, { currency: "USD" })).map((c) => c.id)).toEqual([po]);
  });

  it("a payout before its payments is deferred, then booked when the payment lands", async () => {
    const w = await pledgeWorld({ targetMinor: 20_000 });
    const p = await cardPledge(w, 4_000);
    const pi = piId();
    mock.intents.set(pi, { amount: 4_000, currency: "usd", fee: 146 });
    const po = poId();
    mock.payoutCharges.set(po, [{ paymentIntent: pi, amount: 4_000, currency: "usd", fee: 146 }]);
    const event = payoutEvent(po, 4_000 - 146, { metadata: { orgId: w.org.id } });
    expect(await deliver(event)).toBe(200);
    expect(await eventRow(event.id)).toMatchObject({ status: "deferred" });
    expect((await eventRow(event.id)).lastError).toMatch(/not recorded yet/);
    expect(await payoutRow(po)).toBeUndefined();
    expect(await payoutEntries(po)).toHaveLength(0);

    expect(await deliver(completed(p, pi))).toBe(200);
    expect(await eventRow(event.id)).toMatchObject({ status: "processed" });
    expect(await payoutRow(po)).toMatchObject({ orgId: w.org.id, amountMinor: 3_854, status: "paid" });
    expect((await paymentOf(pi)).stripePayoutId).toBe(po);
    expect(await stripeBalance(w.org.id)).toBe(0);
    await ledgerSound(w.org.id);
  });

  it("refused: a bad signature (nothing stored), an unknown organisation, another organisation's payments, payments of two organisations", async () => {
    const a = await pledgeWorld({ targetMinor: 20_000 });
    const b = await pledgeWorld({ targetMinor: 20_000 });
    const db = await getDb();
    const pa = await cardPledge(a, 2_000);
    const pb = await cardPledge(b, 2_000);
    const [pia, pib] = [piId(), piId()];
    mock.intents.set(pia, { amount: 2_000, currency: "usd", fee: 88 });
    mock.intents.set(pib, { amount: 2_000, currency: "usd", fee: 88 });
    expect(await deliver(completed(pa, pia))).toBe(200);
    expect(await deliver(completed(pb, pib))).toBe(200);

    // Bad signatures: 400, no event, no payout.
    const po0 = poId();
    const signed = payoutEvent(po0, 1_912, { metadata: { orgId: a.org.id } });
    expect(await deliver(signed, null)).toBe(400);
    expect(await deliver(signed, sign(JSON.stringify(signed), "whsec_someone_else"))).toBe(400);
    expect(await eventRow(signed.id)).toBeUndefined();
    expect(await payoutRow(po0)).toBeUndefined();

    // An organisation that is not ours, nothing carried: ignored, nothing booked.
    const po1 = poId();
    const unknown = payoutEvent(po1, 1_000, { metadata: { orgId: randomUUID() } });
    expect(await deliver(unknown)).toBe(200);
    expect(await eventRow(unknown.id)).toMatchObject({ status: "ignored" });
    expect((await eventRow(unknown.id)).lastError).toMatch(/unknown organisation/);
    expect(await payoutRow(po1)).toBeUndefined();
    expect(await payoutEntries(po1)).toHaveLength(0);

    // Metadata names A, the payout carries B's payment: not booked (left for a person).
    const po2 = poId();
    mock.payoutCharges.set(po2, [{ paymentIntent: pib, amount: 2_000, currency: "usd", fee: 88 }]);
    const wrong = payoutEvent(po2, 1_912, { metadata: { orgId: a.org.id } });
    expect(await deliver(wrong)).toBe(200);
    expect((await eventRow(wrong.id)).status).not.toBe("processed");
    expect((await eventRow(wrong.id)).lastError).toMatch(/carries payments of/);
    expect(await payoutRow(po2)).toBeUndefined();

    // No metadata, payments of two organisations: not booked.
    const po3 = poId();
    mock.payoutCharges.set(po3, [
      { paymentIntent: pia, amount: 2_000, currency: "usd", fee: 88 },
      { paymentIntent: pib, amount: 2_000, currency: "usd", fee: 88 },
    ]);
    const both = payoutEvent(po3, 3_824);
    expect(await deliver(both)).toBe(200);
    expect((await eventRow(both.id)).lastError).toMatch(/2 organisations/);
    expect(await payoutRow(po3)).toBeUndefined();
    expect(await payoutEntries(po3)).toHaveLength(0);
    expect((await db.select().from(payments).where(inArray(payments.externalId, [pia, pib]))).every((p) => p.stripePayoutId === null)).toBe(true);
    await ledgerSound(a.org.id);
    await ledgerSound(b.org.id);
  });

  it("property: in any order and with any replays, paid / failed / canceled events leave at most one payout entry (and its reversal only if it failed after paid), the Stripe balance right and the ledger sound", { timeout: 180_000 }, async () => {
    const w = await pledgeWorld({ targetMinor: 1_000_000 });
    const db = await getDb();
    const kinds = ["payout.paid", "payout.failed", "payout.canceled"] as const;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 5 }), fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }), async (types, replays) => {
        const p = await cardPledge(w, 2_000);
        const pi = piId();
        mock.intents.set(pi, { amount: 2_000, currency: "usd", fee: 88 });
        expect(await deliver(completed(p, pi))).toBe(200);
        const balanceBefore = await stripeBalance(w.org.id);
        const po = poId();
        mock.payoutCharges.set(po, [{ paymentIntent: pi, amount: 2_000, currency: "usd", fee: 88 }]);
        for (const [i, type] of types.entries()) {
          const event = payoutEvent(po, 1_912, { type, metadata: { orgId: w.org.id } });
          expect(await deliver(event)).toBe(200);
          if (replays[i]) expect(await deliver(event)).toBe(200);
          expect(["processed", "ignored"]).toContain((await eventRow(event.id)).status);
        }
        // What the rules say the end state is: the first event decides, except paid then failed/canceled.
        const first = types[0];
        const failedAfterPaid = first === "payout.paid" && types.slice(1).some((t) => t !== "payout.paid");
        const expected = first === "payout.paid" ? (failedAfterPaid ? (types.slice(1).find((t) => t !== "payout.paid") === "payout.failed" ? "failed" : "canceled") : "paid") : first === "payout.failed" ? "failed" : "canceled";
        const row = await payoutRow(po);
        expect(row.status).toBe(expected);
        const entries = await payoutEntries(po);
        expect(entries).toHaveLength(first === "payout.paid" ? 1 : 0);
        const reversals = entries.length ? await db.select().from(ledgerEntries).where(eq(ledgerEntries.reversesEntryId, entries[0].id)) : [];
        expect(reversals).toHaveLength(failedAfterPaid ? 1 : 0);
        expect(await stripeBalance(w.org.id)).toBe(expected === "paid" ? balanceBefore - 1_912 : balanceBefore);
        expect((await paymentOf(pi)).stripePayoutId).toBe(expected === "paid" ? po : null);
      }),
      { numRuns: 12 },
    );
    await ledgerSound(w.org.id);
  });

  it("a manual payout (Stripe lists no transactions for it) is booked to the organisation its metadata names, carrying no payment", async () => {
    const w = await pledgeWorld({ targetMinor: 20_000 });
    const { pi1 } = await twoCardPayments(w);
    const po = poId();
    const event = payoutEvent(po, 1_000, { metadata: { orgId: w.org.id } });
    (event.data.object as unknown as Record<string, unknown>).automatic = false;
    const asked = mock.requests.length;
    expect(await deliver(event)).toBe(200);
    expect(mock.requests.slice(asked).filter((r) => r.path === "/v1/balance_transactions")).toHaveLength(0);
    expect(await payoutRow(po)).toMatchObject({ orgId: w.org.id, amountMinor: 1_000, status: "paid" });
    expect(await payoutEntries(po)).toHaveLength(1);
    expect((await paymentOf(pi1)).stripePayoutId).toBeNull();
    await ledgerSound(w.org.id);
  });

  it("payout.failed after paid reverses the entry and releases the payments; a failed payout alone is recorded without money", async () => {
    const w = await pledgeWorld({ targetMinor: 20_000 });
    const db = await getDb();
    const { pi1, pi2, net } = await twoCardPayments(w);
    const po = poId();
    mock.payoutCharges.set(po, [
      { paymentIntent: pi1, amount: 5_000, currency: "usd", fee: 175 },
      { paymentIntent: pi2, amount: 3_000, currency: "usd", fee: 117 },
    ]);
    expect(await deliver(payoutEvent(po, net))).toBe(200);
    expect(await stripeBalance(w.org.id)).toBe(0);

    const failed = payoutEvent(po, net, { type: "payout.failed" });
    expect(await deliver(failed)).toBe(200);
    expect(await eventRow(failed.id)).toMatchObject({ status: "processed" });
    expect(await payoutRow(po)).toMatchObject({ status: "failed" });
    expect(await db.select().from(ledgerEntries).where(eq(ledgerEntries.reversesEntryId, (await payoutRow(po)).ledgerEntryId!))).toHaveLength(1);
    expect(await stripeBalance(w.org.id)).toBe(net); // back in the Stripe balance
    expect((await paymentOf(pi1)).stripePayoutId).toBeNull();
    expect(await findPayoutCandidates(db, w.org.id, { currency: "USD" })).toEqual([]);
    // Replays of either event change nothing; a late payout.paid does not book it again.
    expect(await deliver(failed)).toBe(200);
    expect(await deliver(payoutEvent(po, net))).toBe(200);
    expect(await stripeBalance(w.org.id)).toBe(net);
    await ledgerSound(w.org.id);

    const po2 = poId();
    const canceled = payoutEvent(po2, 500, { type: "payout.canceled", metadata: { orgId: w.org.id } });
    expect(await deliver(canceled)).toBe(200);
    expect(await payoutRow(po2)).toMatchObject({ status: "canceled", orgId: w.org.id, ledgerEntryId: null, moneyAccountId: null });
    expect(await payoutEntries(po2)).toHaveLength(0);
    await ledgerSound(w.org.id);
  });
});

describe("the payouts pages, with the built-in stand-in (no key)", () => {
  const savedKey = process.env.STRIPE_SECRET_KEY;
  beforeEach(() => {
    delete process.env.STRIPE_SECRET_KEY;
  });
  afterEach(() => {
    if (savedKey !== undefined) process.env.STRIPE_SECRET_KEY = savedKey;
  });

  const list = async (w: World, userId: string, query = "") =>
    run(payoutsPage.loader, makeRequest(`/finance/${w.org.slug}/payouts${query}`, { cookie: await signIn(userId) }), { orgSlug: w.org.slug });
  const detail = async (w: World, userId: string, po: string) =>
    run(payoutPage.loader, makeRequest(`/finance/${w.org.slug}/payouts/${po}`, { cookie: await signIn(userId) }), { orgSlug: w.org.slug, payoutId: po });
  const simulate = async (w: World, userId: string, currency = "USD") =>
    run(payoutsPage.action, makeRequest(`/finance/${w.org.slug}/payouts`, { cookie: await signIn(userId), form: { intent: "simulate", currency } }), { orgSlug: w.org.slug });

  it("the test form pays out the card balance (a signed payout.paid through the webhook); the page lists the payments it carried; finance only; another organisation's payout is 404", async () => {
    const w = await pledgeWorld({ targetMinor: 20_000 });
    const other = await pledgeWorld();
    const db = await getDb();
    const p1 = await cardPledge(w, 5_000);
    const p2 = await cardPledge(w, 2_500);
    const [pi1, pi2] = [piId(), piId()];
    expect(await deliver(completed(p1, pi1))).toBe(200);
    expect(await deliver(completed(p2, pi2))).toBe(200);
    const balance = await stripeBalance(w.org.id);
    expect(balance).toBe(5_000 + 2_500 - (await paymentOf(pi1)).feeMinor - (await paymentOf(pi2)).feeMinor);

    const before = await list(w, w.finance.id);
    expect(before.status).toBe(200);
    expect(before.body.payouts).toEqual([]);
    expect(before.body.standIn).toEqual([{ currency: "USD", balanceMinor: balance, payments: 2 }]);

    // Caseworkers may not; nothing in another currency; bad input.
    expect((await simulate(w, w.author.id)).status).toBe(403);
    expect((await simulate(w, w.finance.id, "EUR")).status).toBe(409);
    expect((await simulate(w, w.finance.id, "dollars")).status).toBe(400);
    expect(await db.select().from(stripePayouts).where(eq(stripePayouts.orgId, w.org.id))).toHaveLength(0);

    const done = await simulate(w, w.finance.id);
    expect(done.status).toBe(302);
    const po = done.location!.match(/payouts\/(po_test_standin_[0-9a-f]+)\?notice=simulated$/)![1];
    expect(await payoutRow(po)).toMatchObject({ orgId: w.org.id, amountMinor: balance, status: "paid" });
    expect((await paymentOf(pi1)).stripePayoutId).toBe(po);
    expect((await paymentOf(pi2)).stripePayoutId).toBe(po);
    expect(await stripeBalance(w.org.id)).toBe(0);
    await ledgerSound(w.org.id);

    const after = await list(w, w.finance.id);
    expect(after.body.payouts).toEqual([expect.objectContaining({ id: po, amountMinor: balance, status: "paid", paymentCount: 2, matched: false })]);
    expect(after.body.standIn).toEqual([]);

    const page = await detail(w, w.finance.id, po);
    expect(page.status).toBe(200);
    expect(page.body.payout).toMatchObject({ id: po, amountMinor: balance });
    expect(page.body.account).toMatchObject({ currency: "USD" });
    expect(page.body.entries).toHaveLength(1);
    expect(page.body.entries[0].postings).toEqual([
      expect.objectContaining({ kind: "bank", amountMinor: balance }),
      expect.objectContaining({ kind: "stripe", amountMinor: -balance }),
    ]);
    expect(page.body.payments.map((p: { pledgeReference: string }) => p.pledgeReference).sort()).toEqual([p1.reference, p2.reference].sort());
    expect(page.body.payments.find((p: { pledgeReference: string }) => p.pledgeReference === p1.reference)).toMatchObject({ amountMinor: 5_000, currency: "USD" });
    expect(page.body.lines).toEqual([]);
    expect((await detail(w, w.admin.id, po)).status).toBe(200);

    // Roles and organisations.
    expect((await list(w, w.author.id)).status).toBe(403);
    expect((await detail(w, w.verifier.id, po)).status).toBe(403);
    expect((await detail(w, other.finance.id, po)).status).toBe(404); // not a member of w's organisation
    // Another organisation's payout through one's own organisation: 404.
    const viaOther = await run(payoutPage.loader, makeRequest(`/finance/${other.org.slug}/payouts/${po}`, { cookie: await signIn(other.finance.id) }), { orgSlug: other.org.slug, payoutId: po });
    expect(viaOther.status).toBe(404);
    expect((await detail(w, w.finance.id, "po_does_not_exist")).status).toBe(404);
    expect((await detail(w, w.finance.id, "../etc")).status).toBe(404);

    // Paying out again: nothing left.
    expect((await simulate(w, w.finance.id)).status).toBe(409);
  });

  it("the test form is not there with a Stripe key", async () => {
    const w = await pledgeWorld();
    process.env.STRIPE_SECRET_KEY = "sk_test_mock";
    try {
      expect((await list(w, w.finance.id)).body.standIn).toBeNull();
      expect((await simulate(w, w.finance.id)).status).toBe(404);
    } finally {
      delete process.env.STRIPE_SECRET_KEY;
    }
  });

  it("the list paginates", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    await db.insert(stripePayouts).values(
      Array.from({ length: 27 }, (_, i) => ({ id: `po_page_${randomUUID().slice(0, 8)}_${i}`, orgId: w.org.id, amountMinor: 100 + i, currency: "USD", arrivalDate: `2026-10-${String((i % 28) + 1).padStart(2, "0")}`, status: "canceled" as const })),
    );
    const first = await list(w, w.finance.id);
    expect(first.body.payouts).toHaveLength(25);
    expect(first.body.pages).toBe(2);
    const second = await list(w, w.finance.id, "?page=2");
    expect(second.body.payouts).toHaveLength(2);
    expect(new Set([...first.body.payouts, ...second.body.payouts].map((p: { id: string }) => p.id)).size).toBe(27);
  });
});
