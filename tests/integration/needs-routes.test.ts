// The needs routes called the way Remix calls them: guards, parsing, one domain call, replies.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { needs, organizations } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { getFixedTForLocale } from "~/utils/i18next.server";
import { createNeed, transitionNeed } from "~/modules/needs/needs.server";
import * as listPage from "~/routes/staff.$orgSlug.needs._index";
import * as newPage from "~/routes/staff.$orgSlug.needs.new";
import * as needPage from "~/routes/staff.$orgSlug.needs.$needId._index";
import * as editPage from "~/routes/staff.$orgSlug.needs.$needId.edit";
import * as queuePage from "~/routes/staff.$orgSlug.verification";
import * as dashboard from "~/routes/staff.$orgSlug._index";
import * as settingsPage from "~/routes/staff.$orgSlug.settings";
import { addMember } from "../fixtures/db";
import { actorFor, needFields, needsWorld } from "../fixtures/needs";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

async function world(options: Parameters<typeof needsWorld>[0] = {}) {
  const w = await needsWorld(options);
  const need = await createNeed(await getDb(), {
    orgId: w.org.id,
    actor: actorFor(w.author.id),
    authorId: w.author.id,
    householdId: w.household.id,
    fields: needFields(),
    items: [],
  });
  return { ...w, need, cookie: { author: await signIn(w.author.id), verifier: await signIn(w.verifier.id), admin: await signIn(w.admin.id) } };
}

const validForm = (overrides: Form = {}): Form => ({
  intent: "save",
  category: "medical_treatment",
  target: "350.50",
  deadline: "2099-01-31",
  urgency: "critical",
  payeeKind: "hospital",
  payeeName: "Makassed Hospital",
  titleAr: "علاج طبي لطفل",
  storyAr: "طفل يحتاج إلى علاج عاجل.",
  ...overrides,
});

async function needCount(orgId: string) {
  return (await (await getDb()).select({ id: needs.id }).from(needs).where(eq(needs.orgId, orgId))).length;
}

describe("needs routes: organisation boundaries", () => {
  it("a caseworker of another organisation gets 404 reading or changing a need, or using a household, by id", async () => {
    const a = await world();
    const b = await world();
    const params = { orgSlug: b.org.slug, needId: a.need.id };
    const cookie = b.cookie.author;
    expect((await run(needPage.loader, makeRequest(`/staff/${b.org.slug}/needs/${a.need.id}`, { cookie }), params)).status).toBe(404);
    expect((await run(editPage.loader, makeRequest(`/staff/${b.org.slug}/needs/${a.need.id}/edit`, { cookie }), params)).status).toBe(404);
    expect(
      (await run(needPage.action, makeRequest(`/staff/${b.org.slug}/needs/${a.need.id}`, { cookie, form: { intent: "submit" } }), params)).status,
    ).toBe(404);
    expect(
      (await run(editPage.action, makeRequest(`/staff/${b.org.slug}/needs/${a.need.id}/edit`, { cookie, form: validForm() }), params)).status,
    ).toBe(404);
    const newUrl = `/staff/${b.org.slug}/needs/new?household=${a.household.id}`;
    expect((await run(newPage.loader, makeRequest(newUrl, { cookie }), { orgSlug: b.org.slug })).status).toBe(404);
    expect((await run(newPage.action, makeRequest(newUrl, { cookie, form: validForm() }), { orgSlug: b.org.slug })).status).toBe(404);
    // And through their own slug: not a member of A → 404 too.
    expect(
      (await run(needPage.loader, makeRequest(`/staff/${a.org.slug}/needs/${a.need.id}`, { cookie }), { orgSlug: a.org.slug, needId: a.need.id })).status,
    ).toBe(404);
    expect((await run(needPage.loader, makeRequest("/x", { cookie }), { orgSlug: b.org.slug, needId: "nonsense" })).status).toBe(404);
    const [row] = await (await getDb()).select().from(needs).where(eq(needs.id, a.need.id));
    expect(row.state).toBe("draft");
    expect(await needCount(b.org.id)).toBe(1);
  });

  it("the verification queue is for verifiers and org admins only", async () => {
    const w = await world();
    const url = `/staff/${w.org.slug}/verification`;
    expect((await run(queuePage.loader, makeRequest(url, { cookie: w.cookie.author }), { orgSlug: w.org.slug })).status).toBe(403);
    const ok = await run(queuePage.loader, makeRequest(url, { cookie: w.cookie.verifier }), { orgSlug: w.org.slug });
    expect(ok.status).toBe(200);
    expect(ok.body.counts.draft).toBe(1);
  });
});

describe("needs routes: four eyes", () => {
  it("the author sees no verify button; a forged verify POST is refused and changes nothing", async () => {
    const w = await world();
    await addMember(w.org.id, w.author.id, "verifier");
    const db = await getDb();
    await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: w.need.id, action: "submit" });
    const params = { orgSlug: w.org.slug, needId: w.need.id };
    const url = `/staff/${w.org.slug}/needs/${w.need.id}`;
    const authorView = await run(needPage.loader, makeRequest(url, { cookie: w.cookie.author }), params);
    expect(authorView.status).toBe(200);
    expect(authorView.body.actions).not.toContain("verify");
    expect(authorView.body.actions).not.toContain("return");
    expect(authorView.body.actions).toContain("cancel");
    const verifierView = await run(needPage.loader, makeRequest(url, { cookie: w.cookie.verifier }), params);
    expect(verifierView.body.actions).toEqual(expect.arrayContaining(["verify", "return", "reject"]));

    const forged = await run(needPage.action, makeRequest(url, { cookie: w.cookie.author, form: { intent: "verify" } }), params);
    expect(forged.status).toBe(403);
    expect(forged.body.refusal).toBe("author_cannot_verify");
    const [row] = await db.select().from(needs).where(eq(needs.id, w.need.id));
    expect(row).toMatchObject({ state: "submitted", verifierId: null, verifiedAt: null });
  });

  it("a guard refusal answers 422 with the public text and the offending words", async () => {
    const w = await world();
    const db = await getDb();
    await db.update(needs).set({ storyAr: "ساعدوا فاطمة في أقساطها" }).where(eq(needs.id, w.need.id));
    const params = { orgSlug: w.org.slug, needId: w.need.id };
    const reply = await run(
      needPage.action,
      makeRequest(`/staff/${w.org.slug}/needs/${w.need.id}`, { cookie: w.cookie.author, form: { intent: "submit" } }),
      params,
    );
    expect(reply.status).toBe(422);
    expect(reply.body.refusal).toBe("guard");
    expect(reply.body.result.error[""]).toEqual(["needs:refusals.guard"]);
    expect(reply.body.fields.storyAr).toBe("ساعدوا فاطمة في أقساطها");
    expect(reply.body.hits).toEqual([
      { field: "storyAr", text: "فاطمة", start: 7, end: 12, reason: "name", severity: "block", occurrence: "storyAr:فاطمه:0" },
    ]);
  });

  it("return without a reason is a 400; with one it goes back and the history shows it", async () => {
    const w = await world({ publishOnVerify: true });
    const db = await getDb();
    await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: w.need.id, action: "submit" });
    const params = { orgSlug: w.org.slug, needId: w.need.id };
    const url = `/staff/${w.org.slug}/needs/${w.need.id}`;
    const noReason = await run(needPage.action, makeRequest(url, { cookie: w.cookie.verifier, form: { intent: "return", reason: " " } }), params);
    expect(noReason.status).toBe(400);
    expect(noReason.body.result.error.reason).toEqual(["needs:errors.reasonRequired"]);
    const ok = await run(needPage.action, makeRequest(url, { cookie: w.cookie.verifier, form: { intent: "return", reason: "Add the invoice" } }), params);
    expect(ok.status).toBe(302);
    expect(ok.location).toBe(`${url}?notice=return`);
    const page = await run(needPage.loader, makeRequest(url, { cookie: w.cookie.author }), params);
    expect(page.body.need).toMatchObject({ state: "returned", lastReason: "Add the invoice" });
    expect(page.body.canEdit).toBe(true);
    expect(page.body.transitions.at(-1)).toMatchObject({ action: "return", reason: "Add the invoice", actorName: "Verifier" });
  });
});

describe("needs routes: the editor", () => {
  it.each([
    ["0", "target", "needs:errors.amountPositive"],
    ["-20", "target", "needs:errors.amountPositive"],
    ["10.555", "target", "needs:errors.amountTooPrecise"],
    ["12abc", "target", "needs:errors.amountInvalid"],
  ])("target %s → 400 with a localized message, nothing written", async (target, field, key) => {
    const w = await world();
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const reply = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form: validForm({ target }) }), { orgSlug: w.org.slug });
    expect(reply.status).toBe(400);
    expect(reply.body.result.error[field]).toEqual([key]);
    for (const lng of ["ar", "en"] as const) {
      const text = (await getFixedTForLocale(lng, ["needs", "errors"]))(key);
      expect(text).not.toBe(key.split(":")[1]);
      expect(text.length).toBeGreaterThan(5);
    }
    expect(await needCount(w.org.id)).toBe(1);
  });

  it("a deadline in the past → 400, nothing written", async () => {
    const w = await world();
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const reply = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form: validForm({ deadline: "2020-01-01" }) }), {
      orgSlug: w.org.slug,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.result.error.deadline).toEqual(["needs:errors.deadlinePast"]);
    expect(await needCount(w.org.id)).toBe(1);
  });

  it("preview answers the card and writes nothing; save creates the need and redirects to it", async () => {
    const w = await world();
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const params = { orgSlug: w.org.slug };
    const preview = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form: validForm({ intent: "preview" }) }), params);
    expect(preview.status).toBe(200);
    expect(preview.body.preview).toMatchObject({ targetMinor: 35050, currency: "USD", titleAr: "علاج طبي لطفل", urgency: "critical" });
    expect(JSON.stringify(preview.body.preview)).not.toContain("Makassed");
    expect(await needCount(w.org.id)).toBe(1);

    const saved = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form: validForm() }), params);
    expect(saved.status).toBe(302);
    const id = saved.location!.match(/needs\/([0-9a-f-]{36})\?notice=created$/)![1];
    const [row] = await (await getDb()).select().from(needs).where(eq(needs.id, id));
    expect(row).toMatchObject({ targetMinor: 35050, currency: "USD", householdId: w.household.id, authorId: w.author.id, payeeName: "Makassed Hospital" });
  });

  it("the editor marks a need zakat-eligible with its recipient category, shows it back for editing, and clears it; an unknown category is a 400", async () => {
    const w = await world();
    const params = { orgSlug: w.org.slug, needId: w.need.id };
    const url = `/staff/${w.org.slug}/needs/${w.need.id}/edit`;
    const row = async () => (await (await getDb()).select().from(needs).where(eq(needs.id, w.need.id)))[0]!;
    expect((await run(editPage.action, makeRequest(url, { cookie: w.cookie.author, form: validForm({ zakatCategory: "gharimin" }) }), params)).status).toBe(302);
    expect((await row()).zakatCategory).toBe("gharimin");
    const shown = await run(editPage.loader, makeRequest(url, { cookie: w.cookie.author }), params);
    expect(shown.body.defaults.zakatCategory).toBe("gharimin");
    expect((await run(editPage.action, makeRequest(url, { cookie: w.cookie.author, form: validForm({ zakatCategory: "amilin" }) }), params)).status).toBe(400);
    expect((await row()).zakatCategory).toBe("gharimin");
    expect((await run(editPage.action, makeRequest(url, { cookie: w.cookie.author, form: validForm() }), params)).status).toBe(302);
    expect((await row()).zakatCategory).toBeNull();
  });

  it("new without ?household= is a bad request; a verifier-only person may not author", async () => {
    const w = await world();
    expect((await run(newPage.loader, makeRequest(`/staff/${w.org.slug}/needs/new`, { cookie: w.cookie.author }), { orgSlug: w.org.slug })).status).toBe(400);
    expect(
      (
        await run(newPage.loader, makeRequest(`/staff/${w.org.slug}/needs/new?household=${w.household.id}`, { cookie: w.cookie.verifier }), {
          orgSlug: w.org.slug,
        })
      ).status,
    ).toBe(403);
  });

  it("the list filters and the dashboard counts needs by state", async () => {
    const w = await world();
    const params = { orgSlug: w.org.slug };
    const list = await run(listPage.loader, makeRequest(`/staff/${w.org.slug}/needs?state=draft&category=school_fees`, { cookie: w.cookie.verifier }), params);
    expect(list.status).toBe(200);
    expect(list.body.rows.map((r: { id: string }) => r.id)).toEqual([w.need.id]);
    const none = await run(listPage.loader, makeRequest(`/staff/${w.org.slug}/needs?category=rent`, { cookie: w.cookie.verifier }), params);
    expect(none.body.total).toBe(0);
    const bad = await run(listPage.loader, makeRequest(`/staff/${w.org.slug}/needs?state=bogus`, { cookie: w.cookie.verifier }), params);
    expect(bad.status).toBe(400);
    const home = await run(dashboard.loader, makeRequest(`/staff/${w.org.slug}`, { cookie: w.cookie.author }), params);
    expect(home.body.needCounts).toMatchObject({ draft: 1, published: 0 });
  });
});

describe("the publishOnVerify setting", () => {
  it("the org admin turns it off and on with the profile form's checkbox", async () => {
    const w = await world({ publishOnVerify: true });
    const db = await getDb();
    const url = `/staff/${w.org.slug}/settings`;
    const profile = { intent: "profile", nameAr: w.org.nameAr, nameEn: w.org.nameEn, timeZone: w.org.timeZone, defaultCurrency: "USD" };
    const setting = async () => (await db.select().from(organizations).where(eq(organizations.id, w.org.id)))[0].publishOnVerify;
    expect((await run(settingsPage.action, makeRequest(url, { cookie: w.cookie.admin, form: profile }), { orgSlug: w.org.slug })).status).toBe(302);
    expect(await setting()).toBe(false);
    const on = { ...profile, publishOnVerify: "on" };
    expect((await run(settingsPage.action, makeRequest(url, { cookie: w.cookie.admin, form: on }), { orgSlug: w.org.slug })).status).toBe(302);
    expect(await setting()).toBe(true);
    const page = await run(settingsPage.loader, makeRequest(url, { cookie: w.cookie.admin }), { orgSlug: w.org.slug });
    expect(page.body.org.publishOnVerify).toBe(true);
  });
});
