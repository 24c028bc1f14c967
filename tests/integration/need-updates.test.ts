// Written updates for a need's donors and its kafala sponsor (issue 12 item 4, decision 070): the
// anonymization guard reads them like the need's own text, a verifier who did not write one
// publishes it, and only then is it emailed (to each donor with money in the need and the sponsor,
// once per address) and shown on the public need page and the sponsor's page.
import { describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, needUpdates } from "#db/schema";
import { createPledge } from "~/modules/pledging/pledges.server";
import { getDb } from "~/utils/db.server";
import { todayIn } from "~/modules/needs/money";
import { NeedUpdateError, reviewNeedUpdate, writeNeedUpdate } from "~/modules/needs/updates.server";
import { createSponsorship } from "~/modules/giving/kafala.server";
import { cancelMonthlyGift, monthlyGiftPath } from "~/modules/giving/monthly.server";
import { SYSTEM_ACTOR } from "~/modules/audit/audit.server";
import { createNeed, transitionNeed } from "~/modules/needs/needs.server";
import { recordPayment } from "~/modules/payments/payments.server";
import * as updatesPage from "~/routes/staff.$orgSlug.needs.$needId.updates";
import * as publicNeedPage from "~/routes/needs.$publicId";
import * as monthlyPage from "~/routes/monthly.$giftId";
import { emailsTo } from "../fixtures/auth";
import { addMember, createUser, unique } from "../fixtures/db";
import { actorFor, needFields, needsWorld } from "../fixtures/needs";
import { idemKey, pledgeInput, pledgeWorld } from "../fixtures/pledging";
import { makeRequest, run, signIn } from "../fixtures/routes";

const ORIGIN = "http://tadamon.test";
type World = Awaited<ReturnType<typeof pledgeWorld>>;

async function paidDonor(w: World, email: string, amountMinor = 5_000) {
  const db = await getDb();
  const { pledge } = await createPledge(db, pledgeInput(w.need, { amountMinor, email }));
  await recordPayment(db, actorFor(w.finance.id), {
    orgId: w.org.id,
    pledgeId: pledge.id,
    method: "bank_transfer",
    amountMinor,
    currency: "USD",
    valueDate: todayIn(w.org.timeZone),
    idempotencyKey: idemKey(),
  });
  return pledge;
}

const pageParams = (w: World) => ({ orgSlug: w.org.slug, needId: w.need.id });

describe("need updates: the guard, four eyes, who hears", () => {
  it("refuses private details; the writer cannot publish it; a verifier publishes and each donor and the sponsor get one email", async () => {
    const w = await pledgeWorld({ targetMinor: 90_000 });
    const db = await getDb();
    const donor = `${unique("donor")}@example.test`;
    await paidDonor(w, donor);
    await paidDonor(w, donor.toUpperCase(), 1_000); // the same address again: one email
    const unpaid = `${unique("unpaid")}@example.test`;

    // A member's name, the family's phone or its street: refused (422), nothing written.
    for (const bodyEn of ["Yousef Al-Hassan started school this week.", "Call us on +961 3 123 456 for news.", "The family moved from شارع الحمرا, بناية النور."]) {
      await expect(writeNeedUpdate(db, actorFor(w.author.id), { orgId: w.org.id, needId: w.need.id, bodyEn })).rejects.toMatchObject({ code: "guard", status: 422 });
    }
    const ar = await writeNeedUpdate(db, actorFor(w.author.id), { orgId: w.org.id, needId: w.need.id, bodyAr: "اتصلوا بنا على ٠٣١٢٣٤٥٦" }).catch((e) => e);
    expect(ar).toBeInstanceOf(NeedUpdateError);
    expect((await db.select().from(needUpdates).where(eq(needUpdates.needId, w.need.id))).length).toBe(0);

    // Finance may not write one; a caseworker may.
    await expect(writeNeedUpdate(db, actorFor(w.finance.id), { orgId: w.org.id, needId: w.need.id, bodyEn: "Fine news." })).rejects.toMatchObject({ code: "role_not_allowed", status: 403 });
    const update = await writeNeedUpdate(db, actorFor(w.author.id), {
      orgId: w.org.id,
      needId: w.need.id,
      bodyEn: "The school year started and the fees are paid for the first term.",
      bodyAr: "بدأ العام الدراسي ودُفعت أقساط الفصل الأول.",
    });
    expect(update.state).toBe("pending");

    // Not public, not emailed while pending.
    const before = await run(publicNeedPage.loader, makeRequest(`/needs/${w.need.publicId}?lng=en`), { publicId: w.need.publicId });
    expect(JSON.stringify(before.body)).not.toContain("school year started");
    expect(await emailsTo(donor, "need-update")).toHaveLength(0);

    // A writer who is also a verifier still cannot publish their own (four eyes).
    await addMember(w.org.id, w.author.id, "verifier");
    await expect(reviewNeedUpdate(db, actorFor(w.author.id), { orgId: w.org.id, updateId: update.id, decision: "publish", origin: ORIGIN })).rejects.toMatchObject({ code: "author_cannot_review", status: 403 });
    // Another organisation's verifier: not found.
    const other = await needsWorld();
    await expect(reviewNeedUpdate(db, actorFor(other.verifier.id), { orgId: other.org.id, updateId: update.id, decision: "publish", origin: ORIGIN })).rejects.toMatchObject({ code: "not_found" });

    const { emailsQueued } = await reviewNeedUpdate(db, actorFor(w.verifier.id), { orgId: w.org.id, updateId: update.id, decision: "publish", origin: ORIGIN });
    expect(emailsQueued).toBe(1);
    const mails = await emailsTo(donor, "need-update");
    expect(mails).toHaveLength(1);
    expect(mails[0].html).toContain("The school year started");
    expect(mails[0].html).toContain(`${ORIGIN}/needs/${w.need.publicId}`);
    expect(mails[0].html).not.toMatch(/Yousef|فاطمة|123 456/);
    expect(await emailsTo(unpaid, "need-update")).toHaveLength(0);
    // Deciding again is refused.
    await expect(reviewNeedUpdate(db, actorFor(w.verifier.id), { orgId: w.org.id, updateId: update.id, decision: "reject", reason: "late", origin: ORIGIN })).rejects.toMatchObject({ code: "not_pending" });

    // Public page: the text in the reader's language, and nobody's name.
    const en = await run(publicNeedPage.loader, makeRequest(`/needs/${w.need.publicId}?lng=en`), { publicId: w.need.publicId });
    expect((en.body as { updates: { text: string }[] }).updates[0].text).toContain("The school year started");
    const arPage = await run(publicNeedPage.loader, makeRequest(`/needs/${w.need.publicId}?lng=ar`), { publicId: w.need.publicId });
    expect((arPage.body as { updates: { text: string }[] }).updates[0].text).toContain("بدأ العام الدراسي");
    expect(JSON.stringify(arPage.body)).not.toMatch(/Caseworker|Verifier/);

    const audit = await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.orgId, w.org.id), eq(auditLog.entityId, w.need.id)));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["need_update.written", "need_update.published"]));
  });

  it("a rejection needs a reason and tells nobody; a draft need takes no updates", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const donor = `${unique("donor")}@example.test`;
    await paidDonor(w, donor);
    const update = await writeNeedUpdate(db, actorFor(w.admin.id), { orgId: w.org.id, needId: w.need.id, bodyEn: "Good news soon." });
    await expect(reviewNeedUpdate(db, actorFor(w.verifier.id), { orgId: w.org.id, updateId: update.id, decision: "reject", origin: ORIGIN })).rejects.toMatchObject({ code: "reason_required", status: 400 });
    const { update: rejected } = await reviewNeedUpdate(db, actorFor(w.verifier.id), { orgId: w.org.id, updateId: update.id, decision: "reject", reason: "Say what happened.", origin: ORIGIN });
    expect(rejected).toMatchObject({ state: "rejected", rejectReason: "Say what happened." });
    expect(await emailsTo(donor, "need-update")).toHaveLength(0);

    const draft = await createNeed(db, { orgId: w.org.id, actor: actorFor(w.author.id), authorId: w.author.id, householdId: w.household.id, fields: needFields(), items: [] });
    await expect(writeNeedUpdate(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, bodyEn: "Anything." })).rejects.toMatchObject({ code: "not_open", status: 409 });
  });

  it("a kafala sponsor hears of it and reads it on the sponsorship's page", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const draft = await createNeed(db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ targetMinor: 12_000, sponsorshipMonths: 3 }),
      items: [],
    });
    await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, action: "submit" });
    await transitionNeed(db, actorFor(w.verifier.id), { orgId: w.org.id, needId: draft.id, action: "verify" });
    // A guest whose first month is not confirmed yet is not written to (the address is unproven).
    const guest = `${unique("guest")}@example.test`;
    const guestGift = await createSponsorship(db, { needPublicId: draft.publicId, method: "bank_transfer", email: guest, idempotencyKey: idemKey(), locale: "en", origin: ORIGIN, cardPayments: false });
    expect(guestGift.gift.status).toBe("incomplete");
    const early = await writeNeedUpdate(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, bodyEn: "The term begins on Monday." });
    await reviewNeedUpdate(db, actorFor(w.verifier.id), { orgId: w.org.id, updateId: early.id, decision: "publish", origin: ORIGIN });
    expect(await emailsTo(guest, "need-update")).toHaveLength(0);
    await cancelMonthlyGift(db, SYSTEM_ACTOR, { giftId: guestGift.gift.id, origin: ORIGIN, cancelSubscription: async () => {} });

    const verified = await createUser({ displayName: "Abu Karim" });
    const sponsor = verified.email;
    const { gift } = await createSponsorship(db, { needPublicId: draft.publicId, method: "bank_transfer", email: sponsor, donorUserId: verified.id, displayName: "Abu Karim", idempotencyKey: idemKey(), locale: "ar", origin: ORIGIN, cardPayments: false });
    expect(gift.status).toBe("active");
    const update = await writeNeedUpdate(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, bodyAr: "الطفلة بخير وبدأت دروسها." });
    await reviewNeedUpdate(db, actorFor(w.verifier.id), { orgId: w.org.id, updateId: update.id, decision: "publish", origin: ORIGIN });
    const [mail] = await emailsTo(sponsor, "need-update");
    expect(mail?.html).toContain("الطفلة بخير");
    expect(mail?.locale).toBe("ar");
    const page = await run(monthlyPage.loader, makeRequest(`${monthlyGiftPath(gift.id)}&lng=ar`), { giftId: gift.id });
    expect(page.status).toBe(200);
    // Newest first; the English-only one shows in English on the Arabic page.
    expect((page.body as { updates: { text: string; lang: string }[] }).updates).toEqual([
      expect.objectContaining({ text: "الطفلة بخير وبدأت دروسها.", lang: "ar" }),
      expect.objectContaining({ text: "The term begins on Monday.", lang: "en" }),
    ]);
  });
});

describe("need updates: the staff page", () => {
  it("writes, shows the guard's findings with a 422, publishes by another verifier, and refuses other organisations' members", async () => {
    const w = await pledgeWorld();
    const db = await getDb();
    const author = await signIn(w.author.id);
    const verifier = await signIn(w.verifier.id);
    const url = `/staff/${w.org.slug}/needs/${w.need.id}/updates`;

    const blocked = await run(updatesPage.action, makeRequest(url, { cookie: author, lng: "en", form: { intent: "write", bodyEn: "Yousef Al-Hassan passed his exams." } }), pageParams(w));
    expect(blocked.status).toBe(422);
    expect(JSON.stringify(blocked.body)).toContain("private details");
    const empty = await run(updatesPage.action, makeRequest(url, { cookie: author, lng: "ar", form: { intent: "write", bodyAr: " ", bodyEn: "" } }), pageParams(w));
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toContain("اكتب الخبر");
    expect((await db.select().from(needUpdates).where(eq(needUpdates.needId, w.need.id))).length).toBe(0);

    const written = await run(updatesPage.action, makeRequest(url, { cookie: author, form: { intent: "write", bodyEn: "Exams passed; the second term is paid." } }), pageParams(w));
    expect(written.status).toBe(302);
    const [row] = await db.select().from(needUpdates).where(eq(needUpdates.needId, w.need.id));
    // The author sees no publish button; the verifier's page lists it for review.
    const queue = await run(updatesPage.loader, makeRequest(url, { cookie: verifier }), pageParams(w));
    expect((queue.body as { updates: { id: string; state: string }[] }).updates).toEqual([expect.objectContaining({ id: row.id, state: "pending" })]);

    const selfPublish = await run(updatesPage.action, makeRequest(url, { cookie: author, form: { intent: "publish", updateId: row.id } }), pageParams(w));
    expect(selfPublish.status).toBe(403);
    const stranger = await needsWorld();
    const strangerCookie = await signIn(stranger.verifier.id);
    const foreign = await run(updatesPage.action, makeRequest(url, { cookie: strangerCookie, form: { intent: "publish", updateId: row.id } }), pageParams(w));
    expect([403, 404]).toContain(foreign.status);
    const badId = await run(updatesPage.action, makeRequest(url, { cookie: verifier, form: { intent: "publish", updateId: "not-a-uuid" } }), pageParams(w));
    expect(badId.status).toBe(404);

    const published = await run(updatesPage.action, makeRequest(url, { cookie: verifier, form: { intent: "publish", updateId: row.id } }), pageParams(w));
    expect(published.status).toBe(302);
    const [after] = await db.select().from(needUpdates).where(eq(needUpdates.id, row.id));
    expect(after).toMatchObject({ state: "published", reviewerId: w.verifier.id });
  });
});
