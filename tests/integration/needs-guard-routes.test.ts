// The guard workflow of the needs area (decision 055): checks on preview and save, per-occurrence
// confirmations, both languages before verification, the re-identification check.
import { describe, expect, it, vi } from "vitest";
import { and, eq } from "drizzle-orm";
import { auditLog, needs, regions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createNeed, reidentificationOf, transitionNeed } from "~/modules/needs/needs.server";
import { getPublicNeed, listPublicNeeds } from "~/modules/marketplace/listing.server";
import * as newPage from "~/routes/staff.$orgSlug.needs.new";
import * as needPage from "~/routes/staff.$orgSlug.needs.$needId._index";
import * as editPage from "~/routes/staff.$orgSlug.needs.$needId.edit";
import * as publicNeedPage from "~/routes/needs.$publicId";
import { actorFor, createHousehold, needFields, needsWorld } from "../fixtures/needs";
import { makeRequest, run, signIn, type Form } from "../fixtures/routes";

// The workflow is tested on its own: whatever the engine's lexicon, «أمل» (hope) is treated here as
// a member's name that is also an ordinary word (a "confirm" hit), as the engine's contract says.
vi.mock("~/modules/anonymization/guard", async (importOriginal) => {
  const real = await importOriginal<typeof import("~/modules/anonymization/guard")>();
  return {
    ...real,
    checkPublicText: (...args: Parameters<typeof real.checkPublicText>) =>
      real
        .checkPublicText(...args)
        .map((hit) => (hit.text === "أمل" ? { ...hit, severity: "confirm" as const, reason: "possible_name" as const } : hit)),
  };
});

const STORY_AR = "أمل الأسرة أن تكمل الطالبة عامها الدراسي.";

async function world(options: Parameters<typeof needsWorld>[0] = {}) {
  const w = await needsWorld(options);
  const db = await getDb();
  // A second household member whose name is also a common word.
  const { householdMembers, households } = await import("#db/schema");
  await db.update(households).set({ regionId: w.governorate.id }).where(eq(households.id, w.household.id));
  await db.insert(householdMembers).values({
    householdId: w.household.id,
    orgId: w.org.id,
    fullName: "أمل أحمد الحسن",
    sex: "female",
    relation: "child",
    birthYear: 2012,
  });
  const cookie = { author: await signIn(w.author.id), verifier: await signIn(w.verifier.id), admin: await signIn(w.admin.id) };
  return { ...w, cookie };
}

const editorForm = (w: Awaited<ReturnType<typeof world>>, overrides: Form = {}): Form => ({
  intent: "save",
  category: "school_fees",
  target: "450",
  deadline: "2099-09-01",
  urgency: "high",
  payeeKind: "school",
  payeeName: "Al-Amal Private School",
  titleAr: "أقساط مدرسية لطالبة",
  titleEn: "School fees for a student",
  storyAr: STORY_AR,
  storyEn: "A bright student needs help to finish her school year.",
  publicRegionId: w.governorate.id,
  ageBand: "12-17",
  gender: "female",
  ...overrides,
});

async function row(id: string) {
  return (await (await getDb()).select().from(needs).where(eq(needs.id, id)))[0];
}

async function audits(needId: string, action: string) {
  return (await getDb())
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, needId), eq(auditLog.action, action)));
}

describe("the guard on every preview and save", () => {
  it("preview answers the findings and writes nothing; save keeps the draft and brings the author back to the editor, which shows them", async () => {
    const w = await world();
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const params = { orgSlug: w.org.slug };
    const form = editorForm(w, { storyEn: "Her son Yousef loves maths." });
    const preview = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form: { ...form, intent: "preview" } }), params);
    expect(preview.status).toBe(200);
    expect(preview.body.guard.hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "storyEn", text: "Yousef", severity: "block" }),
        expect.objectContaining({ field: "storyAr", text: "أمل", severity: "confirm", occurrence: expect.stringMatching(/^storyAr:/) }),
      ]),
    );
    expect(preview.body.guard.fields.storyEn).toBe("Her son Yousef loves maths.");
    expect((await (await getDb()).select().from(needs).where(eq(needs.orgId, w.org.id))).length).toBe(0);

    const saved = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form }), params);
    expect(saved.status).toBe(302);
    const id = saved.location!.match(/needs\/([0-9a-f-]{36})\/edit\?notice=savedWithFindings$/)![1];
    expect((await row(id)).storyEn).toBe("Her son Yousef loves maths.");
    const editor = await run(editPage.loader, makeRequest(`/staff/${w.org.slug}/needs/${id}/edit?notice=savedWithFindings`, { cookie: w.cookie.author }), {
      orgSlug: w.org.slug,
      needId: id,
    });
    expect(editor.status).toBe(200);
    expect(editor.body.notice).toBe("savedWithFindings");
    expect(editor.body.guard.hits.map((h: { text: string }) => h.text)).toEqual(expect.arrayContaining(["Yousef", "أمل"]));
    // The need page shows the current findings too.
    const page = await run(needPage.loader, makeRequest(`/staff/${w.org.slug}/needs/${id}`, { cookie: w.cookie.author }), { orgSlug: w.org.slug, needId: id });
    expect(page.body.guard.blocking).toBe(2);
  });

  it("a clean save goes to the need's page", async () => {
    const w = await world();
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const saved = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form: editorForm(w, { storyAr: "طالبة متفوقة." }) }), {
      orgSlug: w.org.slug,
    });
    expect(saved.location).toMatch(/needs\/[0-9a-f-]{36}\?notice=created$/);
  });
});

describe("common-word confirmations", () => {
  it("an unconfirmed possible name blocks submit; the author confirms that occurrence (forged ids dropped), it is audited, and submit, verify and publish pass", async () => {
    const w = await world({ publishOnVerify: true });
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const saved = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form: editorForm(w) }), { orgSlug: w.org.slug });
    const id = saved.location!.match(/needs\/([0-9a-f-]{36})\/edit/)![1];
    const params = { orgSlug: w.org.slug, needId: id };
    const pageUrl = `/staff/${w.org.slug}/needs/${id}`;

    const blocked = await run(needPage.action, makeRequest(pageUrl, { cookie: w.cookie.author, form: { intent: "submit" } }), params);
    expect(blocked.status).toBe(422);
    expect(blocked.body.refusal).toBe("guard");
    expect(blocked.body.hits).toEqual([expect.objectContaining({ text: "أمل", severity: "confirm" })]);
    const occurrence = blocked.body.hits[0].occurrence as string;
    expect((await row(id)).state).toBe("draft");

    const confirmed = await run(
      editPage.action,
      makeRequest(`${pageUrl}/edit`, { cookie: w.cookie.author, form: { ...editorForm(w), confirm: [occurrence, "storyAr:forged:0"] } }),
      params,
    );
    expect(confirmed.status).toBe(302);
    expect(confirmed.location).toBe(`${pageUrl}?notice=saved`);
    expect((await row(id)).guardConfirmations).toEqual([occurrence]);
    const [update] = await audits(id, "need.update");
    expect(update.change).toMatchObject({ guardConfirmed: [occurrence] });

    // The verifier sees the confirmation.
    expect((await run(needPage.action, makeRequest(pageUrl, { cookie: w.cookie.author, form: { intent: "submit" } }), params)).status).toBe(302);
    const view = await run(needPage.loader, makeRequest(pageUrl, { cookie: w.cookie.verifier }), params);
    expect(view.body.guard.confirmed).toEqual([occurrence]);
    expect(view.body.guard.blocking).toBe(0);
    expect(view.body.privateFacts.names).toEqual(expect.arrayContaining(["أمل أحمد الحسن", "Yousef Al-Hassan"]));
    expect(view.body.privateFacts.phones).toEqual(["+961 3 123 456"]);
    expect(Object.keys(view.body.otherCardStrings).sort()).toEqual(["ageBands", "card", "categories", "genders", "urgency"]);

    expect((await run(needPage.action, makeRequest(pageUrl, { cookie: w.cookie.verifier, form: { intent: "verify" } }), params)).status).toBe(302);
    expect((await row(id)).state).toBe("published");
  });

  it("a confirmation no longer matching a hit (the text changed) is dropped on save and the audit says so", async () => {
    const w = await world();
    const db = await getDb();
    const need = await createNeed(db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ storyAr: STORY_AR }),
      items: [],
      confirmations: ["storyAr:امل:0"],
    });
    expect(need.guardConfirmations).toEqual(["storyAr:امل:0"]);
    const pageUrl = `/staff/${w.org.slug}/needs/${need.id}`;
    await run(editPage.action, makeRequest(`${pageUrl}/edit`, { cookie: w.cookie.author, form: editorForm(w, { storyAr: "طالبة متفوقة." }) }), {
      orgSlug: w.org.slug,
      needId: need.id,
    });
    expect((await row(need.id)).guardConfirmations).toEqual([]);
    expect((await audits(need.id, "need.update"))[0].change).toMatchObject({ guardUnconfirmed: ["storyAr:امل:0"] });
  });
});

describe("both languages before verification", () => {
  it("verify is refused while the English story is missing, unless the need is explicitly one-language; the public page in English says so", async () => {
    const w = await world({ publishOnVerify: true });
    const db = await getDb();
    const need = await createNeed(db, {
      orgId: w.org.id,
      actor: actorFor(w.author.id),
      authorId: w.author.id,
      householdId: w.household.id,
      fields: needFields({ storyEn: null, titleEn: null, storyAr: "طالبة متفوقة." }),
      items: [],
    });
    const params = { orgSlug: w.org.slug, needId: need.id };
    const pageUrl = `/staff/${w.org.slug}/needs/${need.id}`;
    await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: need.id, action: "submit" });
    const view = await run(needPage.loader, makeRequest(pageUrl, { cookie: w.cookie.verifier }), params);
    expect(view.body.languagesComplete).toBe(false);
    const refused = await run(needPage.action, makeRequest(pageUrl, { cookie: w.cookie.verifier, form: { intent: "verify" } }), params);
    expect(refused.status).toBe(422);
    expect(refused.body.refusal).toBe("language_missing");
    expect((await row(need.id)).state).toBe("submitted");

    // Returned, marked Arabic-only by the author, resubmitted: now it verifies.
    await transitionNeed(db, actorFor(w.verifier.id), { orgId: w.org.id, needId: need.id, action: "return", reason: "One language?" });
    const form = editorForm(w, { titleEn: "", storyEn: "", storyAr: "طالبة متفوقة.", onlyLanguage: "ar" });
    expect((await run(editPage.action, makeRequest(`${pageUrl}/edit`, { cookie: w.cookie.author, form }), params)).status).toBe(302);
    expect((await row(need.id)).onlyLanguage).toBe("ar");
    await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: need.id, action: "submit" });
    expect((await run(needPage.action, makeRequest(pageUrl, { cookie: w.cookie.verifier, form: { intent: "verify" } }), params)).status).toBe(302);
    const published = await row(need.id);
    expect(published.state).toBe("published");
    const page = await run(publicNeedPage.loader, makeRequest(`/needs/${published.publicId}?lng=en`), { publicId: published.publicId });
    expect(page.body.need.onlyLanguage).toBe("ar");
  });
});

describe("the re-identification check", () => {
  it("fewer than k households: the author is warned, the public card (page and listing) drops age band and gender; the verifier keeps the age band with a reason, audited", async () => {
    const w = await world({ publishOnVerify: true });
    const url = `/staff/${w.org.slug}/needs/new?household=${w.household.id}`;
    const form = editorForm(w, { storyAr: "طالبة متفوقة." });
    const preview = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form: { ...form, intent: "preview" } }), { orgSlug: w.org.slug });
    expect(preview.body.reid).toMatchObject({ warn: true, shared: 1, k: 5, hides: ["age_band", "gender"] });
    expect(preview.body.preview).toMatchObject({ ageBand: null, gender: null, governorate: { nameEn: "Beirut" }, category: "school_fees" });

    const saved = await run(newPage.action, makeRequest(url, { cookie: w.cookie.author, form }), { orgSlug: w.org.slug });
    const id = saved.location!.match(/needs\/([0-9a-f-]{36})\?notice=created/)![1];
    const params = { orgSlug: w.org.slug, needId: id };
    const pageUrl = `/staff/${w.org.slug}/needs/${id}`;
    const authorView = await run(needPage.loader, makeRequest(pageUrl, { cookie: w.cookie.author }), params);
    expect(authorView.body.reid.warn).toBe(true);
    expect(authorView.body.publicNeed).toMatchObject({ ageBand: null, gender: null });

    expect((await run(needPage.action, makeRequest(pageUrl, { cookie: w.cookie.author, form: { intent: "submit" } }), params)).status).toBe(302);
    expect((await row(id)).publicHides).toEqual(["age_band", "gender"]);

    // Keeping needs a reason; the author may not keep.
    const noReason = await run(needPage.action, makeRequest(pageUrl, { cookie: w.cookie.verifier, form: { intent: "keepDetails", keep: "age_band" } }), params);
    expect(noReason.status).toBe(400);
    expect(noReason.body.result.error.reason).toEqual(["needs:errors.reasonRequired"]);
    const byAuthor = await run(
      needPage.action,
      makeRequest(pageUrl, { cookie: w.cookie.author, form: { intent: "keepDetails", keep: "age_band", reason: "x" } }),
      params,
    );
    expect(byAuthor.status).toBe(403);
    expect((await row(id)).keptDetails).toEqual([]);

    const kept = await run(
      needPage.action,
      makeRequest(pageUrl, { cookie: w.cookie.verifier, form: { intent: "keepDetails", keep: "age_band", reason: "Many girls of that age in Beirut" } }),
      params,
    );
    expect(kept.status).toBe(302);
    expect(await row(id)).toMatchObject({ keptDetails: ["age_band"], keptReason: "Many girls of that age in Beirut", publicHides: ["gender"] });
    const [audit] = await audits(id, "need.keep_details");
    expect(audit.change).toMatchObject({ kept: ["age_band"], reason: "Many girls of that age in Beirut", publicHides: ["gender"] });

    expect((await run(needPage.action, makeRequest(pageUrl, { cookie: w.cookie.verifier, form: { intent: "verify" } }), params)).status).toBe(302);
    const published = await row(id);
    expect(published).toMatchObject({ state: "published", publicHides: ["gender"] });
    const db = await getDb();
    const card = (await getPublicNeed(db, published.publicId))!;
    expect(card).toMatchObject({ ageBand: "12-17", gender: null });
    const listed = (await listPublicNeeds(db, { org: w.org.slug })).needs.find((n) => n.publicId === published.publicId);
    expect(listed).toMatchObject({ ageBand: "12-17", gender: null });
  });

  it("counts active households of the governorate's tree, with a present member of that gender and age, and a need of the same category", async () => {
    const w = await world();
    const db = await getDb();
    const [district] = await db.insert(regions).values({ orgId: w.org.id, level: "district", nameAr: "المتن", nameEn: "Metn", parentId: w.governorate.id }).returning();
    const [locality] = await db.insert(regions).values({ orgId: w.org.id, level: "locality", nameAr: "برج حمود", nameEn: "Bourj Hammoud", parentId: district.id }).returning();
    const [elsewhere] = await db.insert(regions).values({ orgId: w.org.id, level: "governorate", nameAr: "الجنوب", nameEn: "South" }).returning();
    const year = new Date().getUTCFullYear();
    const girl = (birthYear: number, status: "present" | "left" = "present") => [
      { fullName: "أم", sex: "female" as const, birthYear: 1980 },
      { fullName: "بنت", sex: "female" as const, birthYear, status },
    ];
    const households = [
      await createHousehold(w.org.id, w.author.id, { regionId: locality.id, members: girl(year - 14) }),
      await createHousehold(w.org.id, w.author.id, { regionId: w.governorate.id, members: girl(year - 12) }),
      await createHousehold(w.org.id, w.author.id, { regionId: district.id, members: girl(year - 9) }), // too young
      await createHousehold(w.org.id, w.author.id, { regionId: district.id, members: girl(year - 15, "left") }), // not present
      await createHousehold(w.org.id, w.author.id, { regionId: elsewhere.id, members: girl(year - 14) }), // other governorate
      await createHousehold(w.org.id, w.author.id, { regionId: locality.id, members: girl(year - 16), status: "moved" }), // not active
    ];
    for (const h of households) {
      await createNeed(db, { orgId: w.org.id, actor: actorFor(w.author.id), authorId: w.author.id, householdId: h.id, fields: needFields(), items: [] });
    }
    // A household with a girl of the age but no school-fees need does not share the category.
    await createHousehold(w.org.id, w.author.id, { regionId: locality.id, members: girl(year - 14) });
    const details = { category: "school_fees", publicRegionId: w.governorate.id, ageBand: "12-17", gender: "female" };
    const target = households[0].id;
    const decision = await reidentificationOf(db, w.org.id, target, details);
    // Shares everything: households 0 and 1. Gender only: 0-3 (a woman is present in each). Region + category: 0-3.
    expect(decision).toMatchObject({ shared: 2, warn: true, hides: ["age_band", "gender"], sharedAfter: 4, k: 5 });
    await createHousehold(w.org.id, w.author.id, { regionId: locality.id, members: girl(year - 13) }).then((h) =>
      createNeed(db, { orgId: w.org.id, actor: actorFor(w.author.id), authorId: w.author.id, householdId: h.id, fields: needFields({ category: "school_fees" }), items: [] }),
    );
    expect(await reidentificationOf(db, w.org.id, target, details)).toMatchObject({ shared: 3, hides: ["age_band"], sharedAfter: 5 });
  });
});

describe("k is a platform setting", () => {
  it("only a platform admin changes it (1–100, audited); the check uses it", async () => {
    const { createUser } = await import("../fixtures/db");
    const settingsPage = await import("~/routes/admin.settings");
    const w = await world();
    const admin = await createUser({ isPlatformAdmin: true });
    const adminCookie = await signIn(admin.id);
    const url = "/admin/settings";
    expect((await run(settingsPage.loader, makeRequest(url, { cookie: w.cookie.admin }), {})).status).toBe(403);
    expect((await run(settingsPage.action, makeRequest(url, { cookie: w.cookie.admin, form: { k: "2" } }), {})).status).toBe(403);
    const bad = await run(settingsPage.action, makeRequest(url, { cookie: adminCookie, form: { k: "0" } }), {});
    expect(bad.status).toBe(400);
    expect(bad.body.result.error.k).toEqual(["admin:settings.errors.kRange"]);
    const db = await getDb();
    try {
      const ok = await run(settingsPage.action, makeRequest(url, { cookie: adminCookie, form: { k: "1" } }), {});
      expect(ok.status).toBe(302);
      expect((await run(settingsPage.loader, makeRequest(url, { cookie: adminCookie }), {})).body.k).toBe(1);
      const decision = await reidentificationOf(db, w.org.id, w.household.id, {
        category: "school_fees",
        publicRegionId: w.governorate.id,
        ageBand: "12-17",
        gender: "female",
      });
      expect(decision).toMatchObject({ k: 1, shared: 1, warn: false, hides: [] });
      const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.action, "platform.settings"), eq(auditLog.actorUserId, admin.id)));
      expect(audit.change).toMatchObject({ kAnonymityMin: { to: 1 } });
    } finally {
      // Other tests share the database: back to the default.
      await run(settingsPage.action, makeRequest(url, { cookie: adminCookie, form: { k: "5" } }), {});
    }
  });
});
