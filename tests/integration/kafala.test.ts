// Kafala (issue 12, decision 067): staff offer a need to one sponsor in monthly instalments (only
// with the household's consent, a deadline that leaves room for every month, never in-kind); a
// sponsor commits (one at a time), pays each month by standing order or card (the stand-in),
// the household's need receives each month; two months missed in a row lapse the sponsorship and
// the need is offered again; a funded need completes it; finance sees the arrears (page and CSV).
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { monthlyGifts, needs, pledges } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { checkLedger } from "~/modules/ledger/ledger.server";
import { todayIn } from "~/modules/needs/money";
import { createNeed, transitionNeed } from "~/modules/needs/needs.server";
import { addMonths } from "~/modules/needs/need-steps.server";
import { OrgRuleError } from "~/modules/organizations/errors";
import { expirePledges } from "~/modules/pledging/pledge-status.server";
import { recordPayment } from "~/modules/payments/payments.server";
import { KafalaError, createSponsorship, kafalaOffer, sponsorshipsOf } from "~/modules/giving/kafala.server";
import { runMonthlyGifts } from "~/modules/giving/monthly-job.server";
import { getPublicNeed } from "~/modules/marketplace/listing.server";
import { parseCsv } from "~/modules/reports/csv";
import * as sponsorRoute from "~/routes/needs_.$publicId_.sponsor";
import * as standInRoute from "~/routes/dev.subscribe.$giftId";
import * as financePage from "~/routes/finance.$orgSlug.sponsorships";
import * as financeCsv from "~/routes/finance.$orgSlug.sponsorships[.csv]";
import { emailsTo } from "../fixtures/auth";
import { addMember, createUser, unique } from "../fixtures/db";
import { actorFor, needFields, needsWorld } from "../fixtures/needs";
import { idemKey, needRow, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signedInRequest } from "../fixtures/routes";

type World = Awaited<ReturnType<typeof pledgeWorld>>;
const ORIGIN = "http://tadamon.test";
/** A documentation address per request (198.18.0.0/15): the donor forms' rate limits count by address. */
const freshIp = () => `198.18.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`;
const DAY = 86_400_000;

/** A published kafala of the world's household: 12,000 in `months` instalments. */
async function kafalaNeed(w: World, months = 3, targetMinor = 12_000) {
  const db = await getDb();
  const draft = await createNeed(db, {
    orgId: w.org.id,
    actor: actorFor(w.author.id),
    authorId: w.author.id,
    householdId: w.household.id,
    fields: needFields({ targetMinor, sponsorshipMonths: months }),
    items: [],
  });
  await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, action: "submit" });
  await transitionNeed(db, actorFor(w.verifier.id), { orgId: w.org.id, needId: draft.id, action: "verify" });
  return needRow(draft.id);
}

function sponsorInput(need: { publicId: string }, overrides: Partial<Parameters<typeof createSponsorship>[1]> = {}): Parameters<typeof createSponsorship>[1] {
  return {
    needPublicId: need.publicId,
    method: "bank_transfer",
    email: `${unique("sponsor")}@example.test`,
    displayName: "Abu Karim",
    idempotencyKey: idemKey(),
    locale: "en",
    origin: ORIGIN,
    cardPayments: true,
    ...overrides,
  };
}

async function monthsOf(giftId: string) {
  return (await getDb()).select().from(pledges).where(eq(pledges.monthlyGiftId, giftId)).orderBy(pledges.period, pledges.createdAt);
}

async function giftRow(id: string) {
  const [row] = await (await getDb()).select().from(monthlyGifts).where(eq(monthlyGifts.id, id));
  return row!;
}

describe("kafala: offering a need for sponsorship", () => {
  it("is refused without the household's consent, for an in-kind need, outside 2–60 months, or with a deadline too close", async () => {
    const db = await getDb();
    const noConsent = await needsWorld({ consentPublish: false });
    const create = (w: Awaited<ReturnType<typeof needsWorld>>, fields: Parameters<typeof needFields>[0]) =>
      createNeed(db, { orgId: w.org.id, actor: actorFor(w.author.id), authorId: w.author.id, householdId: w.household.id, fields: needFields(fields), items: [] });
    await expect(create(noConsent, { sponsorshipMonths: 6 })).rejects.toMatchObject({ messageKey: "needs:errors.kafalaNoConsent", status: 400 });
    const w = await needsWorld();
    await expect(create(w, { sponsorshipMonths: 1 })).rejects.toBeInstanceOf(OrgRuleError);
    await expect(create(w, { sponsorshipMonths: 61 })).rejects.toMatchObject({ messageKey: "needs:errors.kafalaMonths" });
    const soon = addMonths(todayIn(w.org.timeZone), 2);
    await expect(create(w, { sponsorshipMonths: 6, deadline: soon })).rejects.toMatchObject({ messageKey: "needs:errors.kafalaDeadline" });
    expect((await db.select({ id: needs.id }).from(needs).where(eq(needs.orgId, w.org.id))).length).toBe(0);
    // In range: stored, and the public card says it is a kafala with its monthly instalment.
    const ok = await create(w, { sponsorshipMonths: 6, targetMinor: 45_000 });
    expect(ok.sponsorshipMonths).toBe(6);
  });
});

describe("kafala: a sponsor by standing order", () => {
  it("one sponsor at a time; each month reserves its instalment on the need; two months missed lapse it and the need is offered again", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const need = await kafalaNeed(w, 3, 12_000);
    const before = await getPublicNeed(db, need.publicId);
    expect(before?.kafala).toEqual({ months: 3, monthlyMinor: 4_000, sponsored: false });

    // Zakat to a need not zakat-eligible: refused, nothing written.
    await expect(createSponsorship(db, sponsorInput(need, { zakat: true }))).rejects.toMatchObject({ code: "zakat_ineligible" });
    const verified = await createUser({ displayName: "Sponsor" });
    const { gift, firstPledge } = await createSponsorship(db, sponsorInput(need, { email: verified.email, donorUserId: verified.id }));
    expect(gift).toMatchObject({ needId: need.id, amountMinor: 4_000, method: "bank_transfer" });
    expect(firstPledge).toMatchObject({ kind: "need", needId: need.id, amountMinor: 4_000, status: "pending" });
    expect((await needRow(need.id)).reservedMinor).toBe(4_000);
    // The instructions name the kafala by its public title; nothing of the household.
    const [mail] = await emailsTo(verified.email, "pledge-instructions");
    expect(mail.subject + mail.html).toMatch(/Kafala/);
    expect(mail.html).not.toContain(w.household.id);

    // A second sponsor is refused while the first holds it.
    await expect(createSponsorship(db, sponsorInput(need))).rejects.toEqual(new KafalaError("already_sponsored"));
    expect((await getPublicNeed(db, need.publicId))?.kafala?.sponsored).toBe(true);

    // Month one arrives by its reference.
    await db.update(pledges).set({ confirmedAt: new Date() }).where(eq(pledges.id, firstPledge!.id));
    const paid = await recordPayment(db, actorFor(w.finance.id), {
      orgId: w.org.id,
      pledgeReference: firstPledge!.reference,
      method: "bank_transfer",
      amountMinor: 4_000,
      currency: "USD",
      valueDate: todayIn(w.org.timeZone),
      idempotencyKey: idemKey(),
    });
    expect(paid.outcome).toBe("recorded");
    expect((await needRow(need.id)).paidMinor).toBe(4_000);

    // Month two is issued, never paid; month three too: the sponsorship lapses, the sponsor is told, the need is offered again.
    const m2 = new Date(Date.now() + 32 * DAY);
    await runMonthlyGifts(db, { origin: ORIGIN, now: m2 });
    let months = await monthsOf(gift.id);
    expect(months).toHaveLength(2);
    expect(months[1]).toMatchObject({ kind: "need", needId: need.id, amountMinor: 4_000 });
    expect((await needRow(need.id)).reservedMinor).toBe(4_000);

    // Finance sees one month behind.
    const list = await sponsorshipsOf(db, w.org.id, { now: m2 });
    expect(list.rows[0]).toMatchObject({ paidMonths: 1, dueMonths: 2, arrears: 1 });

    await expirePledges(db, new Date(months[1].expiresAt!.getTime() + 1_000));
    const m3 = new Date(m2.getTime() + 31 * DAY);
    await runMonthlyGifts(db, { origin: ORIGIN, now: m3 });
    months = await monthsOf(gift.id);
    expect(months).toHaveLength(3);
    await expirePledges(db, new Date(months[2].expiresAt!.getTime() + 1_000));
    await runMonthlyGifts(db, { origin: ORIGIN, now: new Date(m3.getTime() + 31 * DAY) });
    expect((await giftRow(gift.id)).status).toBe("lapsed");
    expect(await monthsOf(gift.id)).toHaveLength(3);
    expect((await emailsTo(verified.email, "monthly-gift")).map((m) => (m.meta as { event: string }).event)).toContain("lapsed");
    expect((await kafalaOffer(db, need.publicId))?.sponsored).toBe(false);
    expect((await needRow(need.id)).reservedMinor).toBe(0);
    // Offered again: another sponsor commits for what is left.
    const next = await createSponsorship(db, sponsorInput(need));
    expect(next.gift.amountMinor).toBe(4_000);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);
  });
});

describe("kafala: a sponsor by card (the built-in stand-in)", () => {
  it("the page takes the sponsor to the stand-in; each month pays the need; when it is funded the kafala completes and nothing more is billed", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const need = await kafalaNeed(w, 2, 9_000);
    const page = await run(sponsorRoute.loader, makeRequest(`/needs/${need.publicId}/sponsor?lng=en`), { publicId: need.publicId });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ months: 2, sponsored: false, open: true });
    expect(JSON.stringify(page.body)).not.toContain(w.household.id);

    const email = `${unique("card-sponsor")}@example.test`;
    const posted = await run(sponsorRoute.action, makeRequest(`/needs/${need.publicId}/sponsor`, { ip: freshIp(), form: { method: "card", email, idempotencyKey: idemKey() } }), { publicId: need.publicId });
    expect(posted.status).toBe(302);
    const giftId = posted.headers!.get("location")!.split("/").pop()!;
    // A second sponsor while the first is at the checkout: refused with a message.
    const second = await run(sponsorRoute.action, makeRequest(`/needs/${need.publicId}/sponsor`, { lng: "en", ip: freshIp(), form: { method: "card", email: "other@example.test", idempotencyKey: idemKey() } }), { publicId: need.publicId });
    expect(second.status).toBe(409);
    expect(second.body.message).toMatch(/sponsor/);

    const paid = await run(standInRoute.action, makeRequest(`/dev/subscribe/${giftId}`, { form: { intent: "pay", cardNumber: "4242424242424242" } }), { giftId });
    expect(paid.status).toBe(302);
    expect((await needRow(need.id)).paidMinor).toBe(4_500);
    expect((await giftRow(giftId)).status).toBe("active");

    await runMonthlyGifts(db, { origin: ORIGIN, now: new Date(Date.now() + 32 * DAY) });
    const funded = await needRow(need.id);
    expect(funded.paidMinor).toBe(9_000);
    expect(funded.state).toBe("funded");
    expect((await giftRow(giftId)).status).toBe("completed");
    expect((await emailsTo(email, "monthly-gift")).map((m) => (m.meta as { event: string }).event)).toContain("completed");
    await runMonthlyGifts(db, { origin: ORIGIN, now: new Date(Date.now() + 64 * DAY) });
    expect(await monthsOf(giftId)).toHaveLength(2);
    expect((await checkLedger(db, w.org.id)).problems).toEqual([]);

    // Finance: the page and the CSV list it (no household details); another organisation's finance cannot see it.
    const financePageRes = await run(financePage.loader, await signedInRequest(w.finance.id, `/finance/${w.org.slug}/sponsorships`), { orgSlug: w.org.slug });
    expect(financePageRes.status).toBe(200);
    expect(financePageRes.body.rows.map((r: { id: string }) => r.id)).toContain(giftId);
    const csv = (await financeCsv.loader({ request: await signedInRequest(w.finance.id, `/finance/${w.org.slug}/sponsorships.csv`), params: { orgSlug: w.org.slug }, context: {} })) as Response;
    expect(csv.status).toBe(200);
    const text = await csv.text();
    const rows = parseCsv(text);
    expect(rows[0][0]).toBe("sponsorship_id");
    const mine = rows.find((r) => r[0] === giftId)!;
    expect(mine).toBeTruthy();
    expect(mine[rows[0].indexOf("months_received")]).toBe("2");
    expect(text).not.toContain(w.household.id);
    const other = await pledgeWorld();
    const outsider = await createUser({ displayName: "Other finance" });
    await addMember(other.org.id, outsider.id, "finance");
    const refused = await run(financePage.loader, await signedInRequest(outsider.id, `/finance/${w.org.slug}/sponsorships`), { orgSlug: w.org.slug });
    expect(refused.status).toBeGreaterThanOrEqual(403);
  });
});
