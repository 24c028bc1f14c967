// Appeals (issue 12, decision 068): an org admin creates one (bad input refused, nothing written);
// a matching sponsor gives through it; each gift to its needs in the window is matched once from
// the sponsor's money, within the percentage, the cap, the sponsor's money left and the need's
// room; the allocator leaves the sponsor's money alone meanwhile; the donor's pledge page says
// "your 10 became 20"; the public page shows progress.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { appealMatches, appeals, pledges } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { startOfDayIn, todayIn } from "~/modules/needs/money";
import { addMonths } from "~/modules/needs/need-steps.server";
import { createNeed, transitionNeed, verificationQueue } from "~/modules/needs/needs.server";
import { createPledge } from "~/modules/pledging/pledges.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { fundGifts } from "~/modules/matching/fund.server";
import { AppealFormSchema, createAppeal, matchAppealGifts, matchesOfPledge } from "~/modules/giving/appeals.server";
import * as staffAppeals from "~/routes/staff.$orgSlug.appeals";
import * as appealPage from "~/routes/appeals.$slug";
import * as giveRoute from "~/routes/orgs.$slug_.give";
import * as pledgePage from "~/routes/pledges.$reference";
import * as appealsCsv from "~/routes/staff.$orgSlug.appeals[.csv]";
import { parseCsv } from "~/modules/reports/csv";
import { unique } from "../fixtures/db";
import { actorFor, needFields } from "../fixtures/needs";
import { idemKey, needRow, pledgeInput, pledgeWorld, publishedNeed } from "../fixtures/pledging";
import { makeRequest, run, signedInRequest } from "../fixtures/routes";

type World = Awaited<ReturnType<typeof pledgeWorld>>;
/** A documentation address per request (198.18.0.0/15): the give form's rate limit counts by address. */
const freshIp = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;

function form(w: World, overrides: Record<string, string | string[]> = {}) {
  const today = todayIn(w.org.timeZone);
  return { slug: unique("appeal").toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 40), kind: "matched", titleEn: "Winter appeal", titleAr: "حملة الشتاء", startsOn: addMonths(today, -1), endsOn: addMonths(today, 1), ...overrides };
}

async function pay(w: World, pledge: { id: string; amountMinor: number }, amountMinor = pledge.amountMinor) {
  const result = await recordPayment(await getDb(), actorFor(w.finance.id), {
    orgId: w.org.id,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor,
    currency: "USD",
    valueDate: todayIn(w.org.timeZone),
    idempotencyKey: idemKey(),
  });
  if (result.outcome !== "recorded") throw new Error(result.outcome);
  return result.payment;
}

describe("appeals", () => {
  it("an org admin creates an appeal; bad input (a match cap below zero, a percentage out of range, a window backwards, another organisation's need, a taken address) is refused with a message and writes nothing", async () => {
    const w = await pledgeWorld();
    const other = await pledgeWorld();
    const db = await getDb();
    const count = async () => (await db.select({ id: appeals.id }).from(appeals).where(eq(appeals.orgId, w.org.id))).length;
    const post = async (fields: Record<string, string | string[]>, userId = w.admin.id) =>
      run(staffAppeals.action, await signedInRequest(userId, `/staff/${w.org.slug}/appeals?lng=en`, { form: fields }), { orgSlug: w.org.slug });

    const negative = await post(form(w, { matchPercent: "100", matchCap: "-5" }));
    expect(negative.status).toBe(400);
    expect(negative.body.errors.matchCap[0]).toMatch(/above zero/);
    expect((await post(form(w, { matchPercent: "600", matchCap: "50" }))).status).toBe(400);
    expect((await post(form(w, { matchPercent: "100" }))).status).toBe(400);
    const backwards = await post(form(w, { startsOn: "2099-05-02", endsOn: "2099-05-01" }));
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors.endsOn[0]).toMatch(/end on or after/);
    expect((await post(form(w, { needIds: [other.need.id] }))).status).toBe(400);
    // A caseworker may look but not create.
    const byCaseworker = await post(form(w), w.author.id);
    expect(byCaseworker.status).toBeGreaterThanOrEqual(403);
    expect(await count()).toBe(0);

    const ok = form(w, { matchPercent: "100", matchCap: "50", needIds: [w.need.id] });
    expect((await post(ok)).status).toBe(302);
    const taken = await post({ ...ok });
    expect(taken.status).toBe(409);
    expect(await count()).toBe(1);
    // The window is the organisation's days: from its first instant of the first day to its last of the last.
    const [created] = await db.select().from(appeals).where(eq(appeals.slug, String(ok.slug)));
    expect(created.startsAt.toISOString()).toBe(startOfDayIn(w.org.timeZone, String(ok.startsOn)).toISOString());
    expect(todayIn(w.org.timeZone, created.endsAt)).toBe(ok.endsOn);
    expect(todayIn(w.org.timeZone, new Date(created.endsAt.getTime() + 1))).not.toBe(ok.endsOn);
    const list = await run(staffAppeals.loader, await signedInRequest(w.author.id, `/staff/${w.org.slug}/appeals`), { orgSlug: w.org.slug });
    expect(list.body.appeals.map((a: { slug: string }) => a.slug)).toEqual([ok.slug]);
  });

  it("matches each gift to the appeal's needs once, at the percentage, within the cap and the sponsor's money; the allocator leaves that money alone; the donor sees it", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const db = await getDb();
    const outside = await publishedNeed(w, { targetMinor: 10_000 });
    const roomy = await publishedNeed(w, { targetMinor: 20_000 });
    // Only an org admin creates one, whoever calls the module (the route asks too).
    const parsed = AppealFormSchema.parse(form(w, { matchPercent: "100", matchCap: "40", needIds: [w.need.id, roomy.id] }));
    await expect(createAppeal(db, actorFor(w.author.id), w.org, parsed)).rejects.toMatchObject({ status: 403, messageKey: "giving:appeals.errors.notAllowed" });
    const appeal = await createAppeal(db, actorFor(w.admin.id), w.org, parsed);

    const sponsorEmail = `${unique("sponsor")}@example.test`;
    // The sponsor gives 30.00 through the appeal (a fund pledge with its id); restrictions are refused.
    const zakat = await run(
      giveRoute.action,
      makeRequest(`/orgs/${w.org.slug}/give`, { lng: "en", ip: freshIp(), form: { amount: "30", method: "bank_transfer", email: sponsorEmail, appeal: appeal.slug, zakat: "on", idempotencyKey: idemKey() } }),
      { slug: w.org.slug },
    );
    expect(zakat.status).toBe(400);
    const given = await run(
      giveRoute.action,
      makeRequest(`/orgs/${w.org.slug}/give`, { lng: "en", ip: freshIp(), form: { amount: "30", method: "bank_transfer", email: sponsorEmail, appeal: appeal.slug, idempotencyKey: idemKey() } }),
      { slug: w.org.slug },
    );
    expect(given.status).toBe(302);
    const [sponsorPledge] = await db.select().from(pledges).where(eq(pledges.appealId, appeal.id));
    expect(sponsorPledge).toMatchObject({ kind: "fund", amountMinor: 3_000 });
    const sponsorPayment = await pay(w, sponsorPledge);
    // Waiting for the appeal's gifts: not one of the allocator's gifts.
    expect((await fundGifts(db, w.org.id, "USD")).map((g) => g.id)).not.toContain(`unrestricted_fund:${sponsorPayment.id}`);

    // A 10.00 gift is doubled.
    const { pledge: first } = await createPledge(db, pledgeInput(w.need, { amountMinor: 1_000 }));
    await pay(w, first);
    // A gift to a need outside the appeal is not matched.
    const { pledge: elsewhere } = await createPledge(db, pledgeInput(outside, { amountMinor: 1_000 }));
    await pay(w, elsewhere);
    expect(await matchAppealGifts(db, { orgId: w.org.id })).toBe(1);
    expect((await needRow(w.need.id)).paidMinor).toBe(2_000);
    expect((await needRow(outside.id)).paidMinor).toBe(1_000);
    // Once: a second run matches nothing more.
    expect(await matchAppealGifts(db, { orgId: w.org.id })).toBe(0);
    const [seen] = await matchesOfPledge(db, first.id);
    expect(seen).toMatchObject({ giftMinor: 1_000, amountMinor: 1_000 });
    const page = await run(pledgePage.loader, makeRequest(`/pledges/${first.reference}?lng=en`), { reference: first.reference });
    expect(page.body.matched[0]).toMatchObject({ gift: expect.stringContaining("10"), total: expect.stringContaining("20") });

    // A 25.00 gift: only 20.00 of the sponsor's money is left (30 − 10): matched 20.00, the pool is empty.
    const { pledge: big } = await createPledge(db, pledgeInput(roomy, { amountMinor: 2_500 }));
    await pay(w, big);
    expect(await matchAppealGifts(db, { orgId: w.org.id })).toBe(1);
    expect((await needRow(roomy.id)).paidMinor).toBe(4_500);
    // Nothing left to match with: the next gift is not matched.
    const { pledge: late } = await createPledge(db, pledgeInput(roomy, { amountMinor: 1_000 }));
    await pay(w, late);
    expect(await matchAppealGifts(db, { orgId: w.org.id })).toBe(0);
    const matches = await db.select().from(appealMatches).where(eq(appealMatches.appealId, appeal.id));
    expect(matches.reduce((t, m) => t + m.amountMinor, 0)).toBe(3_000);

    // The public page: progress and what was matched.
    const pub = await run(appealPage.loader, makeRequest(`/appeals/${appeal.slug}?lng=en`), { slug: appeal.slug });
    expect(pub.status).toBe(200);
    expect(pub.body.match).toMatchObject({ percent: 100, gifts: 2, hasLeft: false });
    expect(pub.body.cards.map((n: { publicId: string }) => n.publicId).sort()).toEqual([w.need.publicId, roomy.publicId].sort());
    expect(JSON.stringify(pub.body)).not.toContain(w.household.id);
    expect((await run(appealPage.loader, makeRequest("/appeals/no-such-appeal"), { slug: "no-such-appeal" })).status).toBe(404);
    // The results as CSV for the organisation's staff: what was raised and matched.
    const csv = (await appealsCsv.loader({ request: await signedInRequest(w.author.id, `/staff/${w.org.slug}/appeals.csv`), params: { orgSlug: w.org.slug }, context: {} })) as Response;
    const rows = parseCsv(await csv.text());
    const row = rows.find((r) => r[0] === appeal.slug)!;
    expect(row[rows[0].indexOf("matched")]).toBe("30.00");
    expect(row[rows[0].indexOf("matched_gifts")]).toBe("2");
    expect(row[rows[0].indexOf("sponsor_money_left")]).toBe("0.00");
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("a cap smaller than the sponsor's money stops the matching at the cap; gifts before the window are not matched", async () => {
    const w = await pledgeWorld({ targetMinor: 50_000 });
    const db = await getDb();
    // One appeal whose window starts next month (today's gift is before it), one open now with a cap under its sponsor's money.
    const today = todayIn(w.org.timeZone);
    await createAppeal(db, actorFor(w.admin.id), w.org, AppealFormSchema.parse(form(w, { startsOn: addMonths(today, 1), endsOn: addMonths(today, 2), matchPercent: "50", matchCap: "10" })));
    const capped = await createAppeal(db, actorFor(w.admin.id), w.org, AppealFormSchema.parse(form(w, { matchPercent: "50", matchCap: "10" })));
    const sponsor = await run(
      giveRoute.action,
      makeRequest(`/orgs/${w.org.slug}/give`, { ip: freshIp(), form: { amount: "100", method: "bank_transfer", email: `${unique("capped")}@example.test`, appeal: capped.slug, idempotencyKey: idemKey() } }),
      { slug: w.org.slug },
    );
    expect(sponsor.status).toBe(302);
    const [sp] = await db.select().from(pledges).where(eq(pledges.appealId, capped.id));
    await pay(w, sp);
    const { pledge: gift } = await createPledge(db, pledgeInput(w.need, { amountMinor: 4_000 }));
    await pay(w, gift);
    await matchAppealGifts(db, { orgId: w.org.id });
    // 50% of 40.00 is 20.00, but the cap is 10.00; the future appeal matches nothing.
    const all = await db.select().from(appealMatches).where(eq(appealMatches.orgId, w.org.id));
    expect(all.map((m) => [m.appealId, m.amountMinor])).toEqual([[capped.id, 1_000]]);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });

  it("an emergency appeal's chosen needs come first in the verifiers' queue, still for a second person to verify", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const submitted = async () => {
      const draft = await createNeed(db, { orgId: w.org.id, actor: actorFor(w.author.id), authorId: w.author.id, householdId: w.household.id, fields: needFields(), items: [] });
      await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, action: "submit" });
      return draft;
    };
    const older = await submitted();
    const urgent = await submitted();
    const before = await verificationQueue(db, w.org.id, w.verifier.id);
    expect(before.rows.map((r) => r.id).indexOf(older.id)).toBeLessThan(before.rows.map((r) => r.id).indexOf(urgent.id));
    await createAppeal(db, actorFor(w.admin.id), w.org, AppealFormSchema.parse(form(w, { kind: "emergency", needIds: [urgent.id] })));
    const after = await verificationQueue(db, w.org.id, w.verifier.id);
    expect(after.rows[0]).toMatchObject({ id: urgent.id, emergency: true });
    expect(after.rows.find((r) => r.id === older.id)?.emergency).toBe(false);
    // The author still cannot verify it.
    await expect(transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: urgent.id, action: "verify" })).rejects.toBeTruthy();
  });
});
