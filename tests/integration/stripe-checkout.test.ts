// startCheckout against a local stand-in of Stripe's API (tests/mocks/stripe.ts, the SDK pointed
// at it with STRIPE_API_BASE): the amount converted to Stripe's units, locale, reference,
// metadata and idempotency key sent; an open session reused; the built-in stand-in without a key;
// refusals store nothing.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { checkoutSessions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { CheckoutError, startCheckout } from "~/modules/payments/checkout.server";
import { coverAmountFor } from "~/modules/payments/card-fees";
import { pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { startStripeMock, type StripeMock } from "../mocks/stripe";

type World = Awaited<ReturnType<typeof pledgeWorld>>;
const ORIGIN = "http://tadamon.test";

async function cardPledge(w: World, amountMinor: number) {
  return (await createPledge(await getDb(), pledgeInput(w.need, { method: "card", amountMinor, cardPayments: true }))).pledge;
}

async function sessionsOf(pledgeId: string) {
  return (await getDb()).select().from(checkoutSessions).where(eq(checkoutSessions.pledgeId, pledgeId));
}

async function refusal(promise: Promise<unknown>): Promise<CheckoutError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CheckoutError) return error;
    throw error;
  }
  throw new Error("expected a CheckoutError");
}

describe("startCheckout with STRIPE_SECRET_KEY (a local stand-in of Stripe's API)", () => {
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

  it("sends the amount in Stripe's units (LBP ×100), the locale, the reference, the metadata and an idempotency key", async () => {
    const w = await pledgeWorld({ currency: "LBP", targetMinor: 9_000_000 });
    const p = await cardPledge(w, 450_000);
    const now = new Date();
    const { url } = await startCheckout(await getDb(), { pledgeId: p.id, coverFee: false, origin: ORIGIN, locale: "en", now });
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_test_mock_/);

    const calls = mock.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions");
    expect(calls).toHaveLength(1);
    const { body, headers } = calls[0];
    expect(body.mode).toBe("payment");
    expect(body["line_items[0][price_data][currency]"]).toBe("lbp");
    expect(body["line_items[0][price_data][unit_amount]"]).toBe("45000000"); // 450 000 LBP: 0 digits in the app, 2 at Stripe
    expect(body["line_items[0][quantity]"]).toBe("1");
    expect(body.locale).toBe("en");
    expect(body.client_reference_id).toBe(p.reference);
    for (const prefix of ["metadata", "payment_intent_data[metadata]"]) {
      expect(body[`${prefix}[pledgeId]`]).toBe(p.id);
      expect(body[`${prefix}[pledgeReference]`]).toBe(p.reference);
      expect(body[`${prefix}[orgId]`]).toBe(w.org.id);
      expect(body[`${prefix}[giftMinor]`]).toBe("450000");
      expect(body[`${prefix}[coverFeeMinor]`]).toBe("0");
    }
    expect(body.success_url).toContain(`/pledges/${p.reference}/card-return`);
    expect(body.cancel_url).toContain(`/pledges/${p.reference}/card-return`);
    // Within the pledge's card hold, and at least Stripe's 30 minutes from now.
    const expiresAt = Number(body.expires_at) * 1000;
    expect(expiresAt).toBeGreaterThanOrEqual(now.getTime() + 30 * 60_000);
    expect(expiresAt).toBeLessThanOrEqual(p.expiresAt!.getTime());
    expect(headers["idempotency-key"]).toContain(p.id);

    const [row] = await sessionsOf(p.id);
    expect(row).toMatchObject({ status: "open", giftMinor: 450_000, coverFeeMinor: 0, currency: "LBP", url });
  });

  it("reuses the open session for the same choice; covering the fee opens a new one with the cover apart", async () => {
    const w = await pledgeWorld({ targetMinor: 20_000 });
    const db = await getDb();
    const p = await cardPledge(w, 5_000);
    const a = await startCheckout(db, { pledgeId: p.id, coverFee: false, origin: ORIGIN, locale: "ar" });
    const again = await startCheckout(db, { pledgeId: p.id, coverFee: false, origin: ORIGIN, locale: "ar" });
    expect(again.url).toBe(a.url);
    expect(mock.requests.filter((r) => r.path === "/v1/checkout/sessions")).toHaveLength(1);
    expect(mock.requests[0].body.locale).not.toBe("en"); // Arabic: Stripe has no Arabic page, it follows the browser

    const covered = await startCheckout(db, { pledgeId: p.id, coverFee: true, origin: ORIGIN, locale: "ar" });
    expect(covered.url).not.toBe(a.url);
    const calls = mock.requests.filter((r) => r.path === "/v1/checkout/sessions");
    expect(calls).toHaveLength(2);
    const cover = coverAmountFor(5_000, "USD");
    const sent = calls[1].body;
    const lines = [0, 1, 2].map((i) => Number(sent[`line_items[${i}][price_data][unit_amount]`] ?? 0));
    expect(lines.reduce((t, n) => t + n, 0)).toBe(5_000 + cover); // gift and cover, USD cents on both sides
    expect(sent["metadata[coverFeeMinor]"]).toBe(String(cover));
    expect(sent["metadata[giftMinor]"]).toBe("5000");
    expect(calls[1].headers["idempotency-key"]).not.toBe(calls[0].headers["idempotency-key"]);
    const rows = await sessionsOf(p.id);
    expect(rows.filter((r) => r.status === "open")).toHaveLength(1);
    expect(rows.find((r) => r.status === "open")?.coverFeeMinor).toBe(cover);
  });

  it("Stripe refusing the session: an error, nothing stored", async () => {
    const w = await pledgeWorld();
    const p = await cardPledge(w, 1_000);
    await mock.close();
    process.env.STRIPE_API_BASE = "http://127.0.0.1:9"; // nothing listens
    const error = await refusal(startCheckout(await getDb(), { pledgeId: p.id, coverFee: false, origin: ORIGIN, locale: "en" }));
    expect(error.code).toBe("stripe_failed");
    expect(await sessionsOf(p.id)).toHaveLength(0);
    mock = await startStripeMock(); // for afterEach
  });
});

describe("startCheckout without a key (the built-in stand-in)", () => {
  it("opens a local test session at /dev/checkout/:id", async () => {
    expect(process.env.STRIPE_SECRET_KEY ?? "").toBe("");
    const w = await pledgeWorld();
    const p = await cardPledge(w, 2_500);
    const { url } = await startCheckout(await getDb(), { pledgeId: p.id, coverFee: false, origin: ORIGIN, locale: "ar" });
    expect(url).toMatch(/^http:\/\/tadamon\.test\/dev\/checkout\/cs_test_standin_[0-9a-f]+$/);
    const [row] = await sessionsOf(p.id);
    expect(url.endsWith(row.id)).toBe(true);
    expect(row).toMatchObject({ status: "open", giftMinor: 2_500 });
  });

  it("refuses a pledge that is not a card pledge awaiting payment, storing nothing", async () => {
    const w = await pledgeWorld();
    const bank = (await createPledge(await getDb(), pledgeInput(w.need, { method: "bank_transfer", amountMinor: 1_000 }))).pledge;
    expect((await refusal(startCheckout(await getDb(), { pledgeId: bank.id, coverFee: false, origin: ORIGIN, locale: "en" }))).code).toBe("not_payable");
    expect((await refusal(startCheckout(await getDb(), { pledgeId: "00000000-0000-4000-8000-000000000000", coverFee: false, origin: ORIGIN, locale: "en" }))).code).toBe(
      "pledge_not_found",
    );
    expect(await sessionsOf(bank.id)).toHaveLength(0);
  });
});
