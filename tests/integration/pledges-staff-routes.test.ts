// The staff side of pledges, called the way Remix calls the routes: the finance pledges page
// (/finance/:orgSlug/pledges: list, filters, "record payment received") and the delivery offers
// on a need's staff page (/staff/:orgSlug/needs/:needId: received / declined).
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, needs, pledges } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { cancelPledge, createPledge, expirePledges, markPledgePaid, offerDelivery } from "~/modules/pledging/pledges.server";
import * as pledgesPage from "~/routes/finance.$orgSlug.pledges";
import * as financeHome from "~/routes/finance.$orgSlug._index";
import * as needPage from "~/routes/staff.$orgSlug.needs.$needId._index";
import { addMember } from "../fixtures/db";
import { actorFor, sewingMachine } from "../fixtures/needs";
import { needRow, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";
import { makeRequest, run, signIn, type Form, type Outcome } from "../fixtures/routes";

type World = Awaited<ReturnType<typeof pledgeWorld>>;

/** GET /finance/:orgSlug/pledges?<query> as `userId`. */
async function list(w: World, userId: string, query = "") {
  const url = `/finance/${w.org.slug}/pledges${query ? `?${query}` : ""}`;
  return run(pledgesPage.loader, makeRequest(url, { cookie: await signIn(userId) }), { orgSlug: w.org.slug });
}

/** POST "record payment received" on /finance/:orgSlug/pledges as `userId`. */
async function recordPayment(w: World, userId: string, pledgeId: string, extra: Form = {}) {
  const url = `/finance/${w.org.slug}/pledges`;
  const form = { intent: "recordPayment", pledgeId, ...extra };
  return run(pledgesPage.action, makeRequest(url, { cookie: await signIn(userId), form }), { orgSlug: w.org.slug });
}

/** POST a decision about a delivery offer on the need's staff page as `userId`. */
async function decide(w: World, userId: string, pledgeId: string, decision: string, needId = w.need.id) {
  const url = `/staff/${w.org.slug}/needs/${needId}`;
  const form = { intent: "decideOffer", pledgeId, decision };
  return run(needPage.action, makeRequest(url, { cookie: await signIn(userId), form }), { orgSlug: w.org.slug, needId });
}

async function pledge(w: World, overrides: Parameters<typeof pledgeInput>[1] = {}) {
  return (await createPledge(await getDb(), pledgeInput(w.need, overrides))).pledge;
}

async function pledgeRow(id: string) {
  const [row] = await (await getDb()).select().from(pledges).where(eq(pledges.id, id));
  return row;
}

/** What must not move when a post is refused or repeated. */
async function snapshot(needId: string) {
  const need = await needRow(needId);
  const rows = await (await getDb()).select().from(pledges).where(eq(pledges.needId, needId));
  const audit = await (await getDb()).select({ id: auditLog.id }).from(auditLog).where(eq(auditLog.orgId, need.orgId));
  return {
    need: { reserved: need.reservedMinor, paid: need.paidMinor, donors: need.donorCount, state: need.state },
    pledges: rows
      .map((r) => ({ id: r.id, status: r.status, paidAt: r.paidAt?.toISOString() ?? null, flag: r.financeFlag, late: r.latePaidMinor }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    audit: audit.length,
  };
}

const GUEST = { userId: null, ip: "203.0.113.22", userAgent: "vitest" };

const refs = (outcome: Outcome) => (outcome.body.pledges as { reference: string }[]).map((p) => p.reference);

describe("finance pledges page: who sees what", () => {
  it("finance and org admins see only their organisation's pledges; caseworkers and verifiers get 403; another organisation 404", async () => {
    const a = await pledgeWorld({ targetMinor: 10_000 });
    const b = await pledgeWorld({ targetMinor: 10_000 });
    const a1 = await pledge(a, { amountMinor: 1_000 });
    const a2 = await pledge(a, { amountMinor: 2_000, method: "cash", displayName: null, anonymous: true });
    const b1 = await pledge(b, { amountMinor: 3_000 });

    const page = await list(a, a.finance.id);
    expect(page.status).toBe(200);
    expect(refs(page).sort()).toEqual([a1.reference, a2.reference].sort());
    expect(page.body.total).toBe(2);
    expect(refs(page)).not.toContain(b1.reference);
    // Newest first; the need's public titles for the link to the staff need page; the donor's email for finance.
    expect(refs(page)[0]).toBe(a2.reference);
    expect(page.body.pledges[0]).toMatchObject({
      needId: a.need.id,
      needTitleEn: "School fees for a ninth-grade student",
      amountMinor: 2_000,
      currency: "USD",
      method: "cash",
      status: "pending",
      anonymous: true,
      email: a2.email,
    });
    expect(page.body.counts).toMatchObject({ total: 2, needsResolution: 0, byStatus: { pending: 2, paid: 0 } });
    expect((await list(a, a.admin.id)).status).toBe(200);

    for (const staff of [a.author, a.verifier]) {
      expect((await list(a, staff.id)).status).toBe(403);
      expect((await recordPayment(a, staff.id, a1.id)).status).toBe(403);
    }
    // b's finance officer is no member of a: the page does not exist for them.
    expect((await list(a, b.finance.id)).status).toBe(404);
    expect((await recordPayment(a, b.finance.id, a1.id)).status).toBe(404);
    expect((await pledgeRow(a1.id)).status).toBe("pending");

    // The finance home counts the pledges waiting for their money.
    const home = await run(financeHome.loader, makeRequest(`/finance/${a.org.slug}`, { cookie: await signIn(a.finance.id) }), { orgSlug: a.org.slug });
    expect(home.body.pledges).toEqual({ waiting: 2, needsResolution: 0 });
  });
});

describe("finance pledges page: filters", () => {
  it("filters by status, method and 'needs resolution', and finds a reference typed loosely or in part", async () => {
    const w = await pledgeWorld({ targetMinor: 20_000 });
    const db = await getDb();
    const bank = await pledge(w, { amountMinor: 1_000 });
    const cash = await pledge(w, { amountMinor: 1_100, method: "cash" });
    const shop = await pledge(w, { amountMinor: 1_200, method: "money_transfer" });
    const paid = await pledge(w, { amountMinor: 1_300 });
    await markPledgePaid(db, actorFor(w.finance.id), paid.id);
    await cancelPledge(db, { reference: shop.reference, email: shop.email, actor: GUEST });

    expect(refs(await list(w, w.finance.id, "status=cancelled"))).toEqual([shop.reference]);
    expect(refs(await list(w, w.finance.id, "status=paid"))).toEqual([paid.reference]);
    expect(refs(await list(w, w.finance.id, "method=cash"))).toEqual([cash.reference]);
    expect(refs(await list(w, w.finance.id, "method=bank_transfer&status=pending"))).toEqual([bank.reference]);

    // Lower case, no dashes, without the prefix, or a part of the code.
    const loose = bank.reference.toLowerCase().replace(/-/g, "");
    expect(refs(await list(w, w.finance.id, `q=${encodeURIComponent(loose)}`))).toEqual([bank.reference]);
    expect(refs(await list(w, w.finance.id, `q=${encodeURIComponent(` ${bank.reference.slice(4).toLowerCase()} `)}`))).toEqual([bank.reference]);
    const part = cash.reference.slice(4, 8).toLowerCase();
    expect(refs(await list(w, w.finance.id, `q=${part}`))).toContain(cash.reference);

    // A bad filter answers 400 with its message and no rows; nothing is guessed.
    const bad = await list(w, w.finance.id, "q=%3F%3F");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.q).toEqual(["staff:pledges.errors.referenceInvalid"]);
    expect(bad.body.pledges).toEqual([]);
    const badStatus = await list(w, w.finance.id, "status=lost");
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors.status).toEqual(["errors:invalidChoice"]);

    // Money arriving for the cancelled pledge flags it: "needs resolution" shows it alone.
    expect(refs(await list(w, w.finance.id, "flag=1"))).toEqual([]);
    expect((await recordPayment(w, w.finance.id, shop.id)).status).toBe(409);
    const flagged = await list(w, w.finance.id, "flag=1");
    expect(refs(flagged)).toEqual([shop.reference]);
    expect(flagged.body.pledges[0]).toMatchObject({ financeFlag: "paid_after_cancelled", latePaidMinor: 1_200 });
    expect(flagged.body.counts).toMatchObject({
      total: 4,
      needsResolution: 1,
      byStatus: { pending: 2, paid: 1, cancelled: 1, expired: 0 },
    });
  });
});

describe("finance pledges page: recording a payment", () => {
  it("moves the pledge to paid and the need's reserved to paid; the last one funds the need; a second post changes nothing", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const first = await pledge(w, { amountMinor: 4_000 });
    const last = await pledge(w, { amountMinor: 6_000, method: "money_transfer" });
    expect(await needRow(w.need.id)).toMatchObject({ reservedMinor: 10_000, paidMinor: 0 });

    const paid = await recordPayment(w, w.finance.id, first.id);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ outcome: "paid", reference: first.reference, funded: false, messageKey: "staff:pledges.outcome.paid" });
    expect(await pledgeRow(first.id)).toMatchObject({ status: "paid", financeFlag: null });
    expect(await needRow(w.need.id)).toMatchObject({ reservedMinor: 6_000, paidMinor: 4_000, state: "published" });
    const audit = await (await getDb())
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, first.id), eq(auditLog.action, "pledge.paid")));
    expect(audit).toHaveLength(1);
    expect(audit[0].actorUserId).toBe(w.finance.id);

    // An org admin may record too; reaching the target funds the need.
    const funded = await recordPayment(w, w.admin.id, last.id);
    expect(funded.status).toBe(200);
    expect(funded.body).toMatchObject({ outcome: "paid", funded: true, messageKey: "staff:pledges.outcome.paidFunded" });
    expect(await needRow(w.need.id)).toMatchObject({ reservedMinor: 0, paidMinor: 10_000, state: "funded" });

    const before = await snapshot(w.need.id);
    const again = await recordPayment(w, w.finance.id, first.id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ outcome: "already_paid", reference: first.reference, messageKey: "staff:pledges.outcome.alreadyPaid" });
    expect(await snapshot(w.need.id)).toEqual(before);

    const page = await list(w, w.finance.id, "status=paid");
    expect(page.body.pledges.every((p: { paidAt: Date | null }) => p.paidAt)).toBe(true);
    expect(page.body.counts.byStatus).toMatchObject({ paid: 2, pending: 0 });
  });

  it("money for a cancelled or expired pledge: 409, kept and flagged for finance, the need's totals unchanged", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const cancelled = await pledge(w, { amountMinor: 2_000 });
    await cancelPledge(db, { reference: cancelled.reference, email: cancelled.email, actor: GUEST });
    // Created long ago, so only this pledge is due at that time.
    const expired = await pledge(w, { amountMinor: 3_000, method: "cash", now: new Date("2001-01-01T08:00:00Z") });
    await expirePledges(db, new Date("2001-01-09T00:00:00Z"));
    expect((await pledgeRow(expired.id)).status).toBe("expired");
    const kept = await pledge(w, { amountMinor: 1_000 });
    const before = await needRow(w.need.id);
    expect(before).toMatchObject({ reservedMinor: 1_000, paidMinor: 0 });

    const res = await recordPayment(w, w.finance.id, cancelled.id);
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ outcome: "needs_resolution", reference: cancelled.reference, messageKey: "staff:pledges.outcome.needsResolution" });
    expect(await pledgeRow(cancelled.id)).toMatchObject({ status: "cancelled", financeFlag: "paid_after_cancelled", latePaidMinor: 2_000 });
    expect((await pledgeRow(cancelled.id)).paidAt).not.toBeNull();

    const late = await recordPayment(w, w.finance.id, expired.id);
    expect(late.status).toBe(409);
    expect(await pledgeRow(expired.id)).toMatchObject({ status: "expired", financeFlag: "paid_after_expired", latePaidMinor: 3_000 });

    const after = await needRow(w.need.id);
    expect({ reserved: after.reservedMinor, paid: after.paidMinor, donors: after.donorCount, state: after.state }).toEqual({
      reserved: before.reservedMinor,
      paid: before.paidMinor,
      donors: before.donorCount,
      state: before.state,
    });
    // A retry is still 409 and changes nothing more.
    const snap = await snapshot(w.need.id);
    expect((await recordPayment(w, w.finance.id, cancelled.id)).status).toBe(409);
    expect(await snapshot(w.need.id)).toEqual(snap);
    expect((await pledgeRow(kept.id)).status).toBe("pending");
  });

  it("refuses card pledges and deliveries, forged, malformed and other organisations' ids, with a message; nothing changes", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const other = await pledgeWorld({ targetMinor: 10_000 });
    // The platform takes no cards yet (decision 053); the payments issue will make such pledges.
    const card = await pledge(w, { amountMinor: 2_000, method: "card", cardPayments: true });
    expect(card.status).toBe("awaiting_payment");
    const theirs = await pledge(other, { amountMinor: 2_000 });
    const inKind = await publishedNeed(w, { items: sewingMachine });
    const delivery = (await offerDelivery(await getDb(), { ...pledgeInput(inKind), item: { position: 0, quantity: 1 } })).pledge;
    // A finance officer of both organisations, posting the other one's pledge on this page.
    await addMember(other.org.id, w.finance.id, "finance");
    const before = await snapshot(w.need.id);
    const beforeOther = await snapshot(other.need.id);

    const refusedCard = await recordPayment(w, w.finance.id, card.id);
    expect(refusedCard.status).toBe(409);
    expect(refusedCard.body).toMatchObject({ outcome: "refused", messageKey: "staff:pledges.errors.card" });

    const refusedDelivery = await recordPayment(w, w.finance.id, delivery.id);
    expect(refusedDelivery.status).toBe(409);
    expect(refusedDelivery.body).toMatchObject({ outcome: "refused", messageKey: "staff:pledges.errors.delivery" });
    expect((await pledgeRow(delivery.id)).status).toBe("offered");

    const forged = await recordPayment(w, w.finance.id, "7d3c6f8e-1111-4222-8333-444455556666");
    expect(forged.status).toBe(404);
    expect(forged.body).toMatchObject({ outcome: "refused", messageKey: "staff:pledges.errors.notFound" });
    const otherOrg = await recordPayment(w, w.finance.id, theirs.id);
    expect(otherOrg.status).toBe(404);
    expect(otherOrg.body.messageKey).toBe("staff:pledges.errors.notFound");
    const malformed = await recordPayment(w, w.finance.id, "not-a-uuid");
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
    expect(malformed.body.messageKey).toBe("staff:pledges.errors.notFound");
    const noIntent = await recordPayment(w, w.finance.id, card.id, { intent: "refund" });
    expect(noIntent.status).toBe(400);

    expect(await snapshot(w.need.id)).toEqual(before);
    expect(await snapshot(other.need.id)).toEqual(beforeOther);
    expect(await needRow(inKind.id)).toMatchObject({ reservedMinor: 18_000, paidMinor: 0 });
    expect((await pledgeRow(theirs.id)).status).toBe("pending");
  });
});

describe("delivery offers on the need's staff page", () => {
  async function inKindWorld() {
    const w = await pledgeWorld({ items: sewingMachine });
    const db = await getDb();
    const machine = (await offerDelivery(db, { ...pledgeInput(w.need), item: { position: 0, quantity: 1 } })).pledge;
    const thread = (await offerDelivery(db, { ...pledgeInput(w.need), item: { position: 1, quantity: 2 } })).pledge;
    return { w, machine, thread };
  }

  it("lists the need's pledges with the item line offered, and shows the decision buttons only to the roles that decide", async () => {
    const { w, machine, thread } = await inKindWorld();
    const url = `/staff/${w.org.slug}/needs/${w.need.id}`;
    const params = { orgSlug: w.org.slug, needId: w.need.id };
    const page = await run(needPage.loader, makeRequest(url, { cookie: await signIn(w.author.id) }), params);
    expect(page.status).toBe(200);
    expect(page.body.canDecideOffers).toBe(true);
    expect(page.body.pledgeTotal).toBe(2);
    const byRef = new Map(page.body.pledges.map((p: { reference: string }) => [p.reference, p]));
    expect(byRef.get(machine.reference)).toMatchObject({
      status: "offered",
      method: "delivery",
      amountMinor: 18_000,
      items: [expect.objectContaining({ labelEn: "Sewing machine", labelAr: "ماكينة خياطة", quantity: 1, amountMinor: 18_000 })],
    });
    expect(byRef.get(thread.reference)).toMatchObject({ items: [expect.objectContaining({ labelEn: "Thread", quantity: 2, amountMinor: 500 })] });
    // The need page is open to every staff role: no donor email there.
    expect(JSON.stringify(page.body.pledges)).not.toContain(machine.email);

    const verifierView = await run(needPage.loader, makeRequest(url, { cookie: await signIn(w.verifier.id) }), params);
    expect(verifierView.body.canDecideOffers).toBe(false);
    expect(verifierView.body.pledges).toHaveLength(2);
  });

  it("received counts the offer as received (paid); declined releases it; a verifier's post is 403; the existing need actions still work", async () => {
    const { w, machine, thread } = await inKindWorld();
    expect(await needRow(w.need.id)).toMatchObject({ reservedMinor: 18_500, paidMinor: 0, donorCount: 0 }); // counted once delivered

    const before = await snapshot(w.need.id);
    const byVerifier = await decide(w, w.verifier.id, machine.id, "received");
    expect(byVerifier.status).toBe(403);
    expect(await snapshot(w.need.id)).toEqual(before);

    const received = await decide(w, w.author.id, machine.id, "received");
    expect(received.status).toBe(302);
    expect(received.location).toBe(`/staff/${w.org.slug}/needs/${w.need.id}?notice=offerReceived#need-pledges`);
    expect(await pledgeRow(machine.id)).toMatchObject({ status: "received" });
    expect((await pledgeRow(machine.id)).paidAt).not.toBeNull();
    expect(await needRow(w.need.id)).toMatchObject({ reservedMinor: 500, paidMinor: 18_000, donorCount: 1 });

    const declined = await decide(w, w.finance.id, thread.id, "declined");
    expect(declined.status).toBe(302);
    expect(declined.location).toContain("notice=offerDeclined");
    expect(await pledgeRow(thread.id)).toMatchObject({ status: "declined" });
    expect((await pledgeRow(thread.id)).releasedAt).not.toBeNull();
    expect(await needRow(w.need.id)).toMatchObject({ reservedMinor: 0, paidMinor: 18_000, donorCount: 1 });

    // Deciding again: 409 with a message, nothing changes.
    const snap = await snapshot(w.need.id);
    const again = await decide(w, w.admin.id, machine.id, "declined");
    expect(again.status).toBe(409);
    expect(again.body.result.error[""]).toEqual(["staff:pledges.errors.invalidState"]);
    expect(await snapshot(w.need.id)).toEqual(snap);

    // The page shows the notice after the redirect.
    const url = `/staff/${w.org.slug}/needs/${w.need.id}?notice=offerReceived`;
    const page = await run(needPage.loader, makeRequest(url, { cookie: await signIn(w.author.id) }), { orgSlug: w.org.slug, needId: w.need.id });
    expect(page.body.pledgeNotice).toBe("offerReceived");

    // The route's own intents are still handled by the need life cycle.
    const bogus = await run(
      needPage.action,
      makeRequest(`/staff/${w.org.slug}/needs/${w.need.id}`, { cookie: await signIn(w.author.id), form: { intent: "bogus" } }),
      { orgSlug: w.org.slug, needId: w.need.id },
    );
    expect(bogus.status).toBe(400);
    expect(bogus.body.result.error.intent).toEqual(["errors:invalidChoice"]);
  });

  it("receiving the last offer funds the need", async () => {
    const w = await pledgeWorld({ items: [{ labelAr: "كرسي متحرك", labelEn: "Wheelchair", quantity: 1, unitCostMinor: 25_000 }] });
    const offer = (await offerDelivery(await getDb(), { ...pledgeInput(w.need), item: { position: 0, quantity: 1 } })).pledge;
    const res = await decide(w, w.admin.id, offer.id, "received");
    expect(res.location).toContain("notice=offerReceivedFunded");
    const [row] = await (await getDb()).select().from(needs).where(eq(needs.id, w.need.id));
    expect(row).toMatchObject({ state: "funded", paidMinor: 25_000, reservedMinor: 0 });
  });

  it("refuses another need's or organisation's pledge, a forged id and a bad decision; nothing changes", async () => {
    const { w, machine } = await inKindWorld();
    const db = await getDb();
    // Another organisation's offer, posted by someone who is a caseworker in both.
    const sibling = await pledgeWorld({ items: sewingMachine });
    const theirs = (await offerDelivery(db, { ...pledgeInput(sibling.need), item: { position: 0, quantity: 1 } })).pledge;
    await addMember(sibling.org.id, w.author.id, "caseworker");
    // An offer for another need of the same organisation.
    const secondNeed = await publishedNeed(w, { items: sewingMachine });
    const elsewhere = (await offerDelivery(db, { ...pledgeInput(secondNeed), item: { position: 0, quantity: 1 } })).pledge;
    // A bank-transfer pledge of this need is no offer.
    const money = await pledge(w, { amountMinor: 500 });
    const before = await snapshot(w.need.id);
    const beforeSibling = await snapshot(sibling.need.id);
    const beforeSecond = await snapshot(secondNeed.id);

    const otherOrg = await decide(w, w.author.id, theirs.id, "received");
    expect(otherOrg.status).toBe(404);
    expect(otherOrg.body.result.error[""]).toEqual(["staff:pledges.errors.notFound"]);
    expect((await decide(w, w.author.id, elsewhere.id, "received")).status).toBe(404);
    expect((await decide(w, w.author.id, "7d3c6f8e-1111-4222-8333-444455556666", "received")).status).toBe(404);
    expect((await decide(w, w.author.id, "nonsense", "received")).status).toBe(404);
    expect((await decide(w, w.author.id, machine.id, "maybe")).status).toBe(400);
    const notOffer = await decide(w, w.author.id, money.id, "received");
    expect(notOffer.status).toBe(409);
    expect(notOffer.body.result.error[""]).toEqual(["staff:pledges.errors.invalidState"]);

    expect(await snapshot(w.need.id)).toEqual(before);
    expect(await snapshot(sibling.need.id)).toEqual(beforeSibling);
    expect(await snapshot(secondNeed.id)).toEqual(beforeSecond);
    expect((await pledgeRow(elsewhere.id)).status).toBe("offered");
  });
});
