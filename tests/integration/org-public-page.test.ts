// The organisation's public page end to end (tests/fixtures/public-app.ts): who it is and its
// record, in Arabic and English, money as isolated LTR runs, and nothing private — no household
// detail, no payee or bank detail, no internal id — in the HTML or the loader's data.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { needTransitions, organizations } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { localeCookie } from "~/utils/i18next.server";
import { clearOrgRecordCache } from "~/modules/organizations/public-profile.server";
import * as orgPage from "~/routes/orgs.$slug";
import { createHousehold, needsWorld } from "../fixtures/needs";
import { insertNeeds, needRow } from "../fixtures/marketplace";
import { serve } from "../fixtures/public-app";

const lngCookie = async (lng: "ar" | "en") => (await localeCookie.serialize(lng)).split(";")[0];

/** Private strings of the fixture household and needs (tests/fixtures/needs.ts). */
const SECRETS = ["فاطمة أحمد الحسن", "Yousef", "+961 71 987 654", "LR55443322", "شارع الحمرا", "بناية النور", "Al-Amal Private School", "IBAN LB00", "Asia/Beirut"];

describe("the organisation's public page", () => {
  it("shows mission, registration, regions, years active and its record in both languages, and nothing private", async () => {
    const world = await needsWorld();
    const household = await createHousehold(world.org.id, world.author.id, { phone: "+961 71 987 654", idNumber: "LR55443322" });
    const db = await getDb();
    await db
      .update(organizations)
      .set({
        missionAr: "نرافق الأسر النازحة في التعليم والصحة",
        missionEn: "We stand with displaced families in schooling and health",
        legalName: "Jamiyat Al-Amal Test",
        registrationNumber: "LB-4471/2014",
        registeredWithAr: "وزارة الداخلية",
        registeredWithEn: "Ministry of Interior",
        foundedYear: 2014,
      })
      .where(eq(organizations.id, world.org.id));
    const t0 = new Date("2026-02-01T09:00:00Z");
    const [open, done] = await insertNeeds([
      needRow({ ...world, household }, { state: "published", publishedAt: t0, paidMinor: 5_000, titleAr: "حقيبة مدرسية" }),
      needRow({ ...world, household }, { state: "disbursed", publishedAt: t0, paidMinor: 45_000, targetMinor: 45_000, disbursedMinor: 45_000 }),
    ]);
    await db.insert(needTransitions).values({ needId: done!.id, orgId: world.org.id, action: "fund", fromState: "published", toState: "funded", createdAt: new Date(t0.getTime() + 3 * 86_400_000) });
    clearOrgRecordCache();

    const result = (await orgPage.loader({ request: new Request(`http://localhost/orgs/${world.org.slug}`), params: { slug: world.org.slug }, context: {} })) as unknown as { data: unknown };
    const json = JSON.stringify(result.data);
    const privateIds = [world.org.id, household.id, household.reference, open!.id, done!.id, world.author.id, world.verifier.id, world.governorate.id];
    for (const secret of [...SECRETS, ...privateIds]) expect(json, `loader leaks ${secret}`).not.toContain(secret);

    const en = await (await serve(`/orgs/${world.org.slug}`, { cookie: await lngCookie("en") })).text();
    for (const text of ["We stand with displaced families", "Jamiyat Al-Amal Test", "LB-4471/2014", "Ministry of Interior", "Since 2014", "Beirut", "Needs published", "3 days", open!.publicId]) {
      expect(en, text).toContain(text);
    }
    expect(en).toMatch(/data-testid="org-published"><bdi dir="ltr">2</);
    expect(en).toMatch(/data-testid="org-funded"><bdi dir="ltr">1</);
    expect(en).toContain('<bdi dir="ltr" class="whitespace-nowrap" data-money="">US$500.00</bdi>'); // received: 50.00 + 450.00
    expect(en).toContain("90%"); // 450 of 500 paid out

    const ar = await (await serve(`/orgs/${world.org.slug}`, { cookie: await lngCookie("ar") })).text();
    for (const text of ["نرافق الأسر النازحة", "وزارة الداخلية", "منذ 2014", "بيروت", "احتياجات منشورة", "3 أيام"]) expect(ar, text).toContain(text);
    expect(ar).toMatch(/data-money="">[^<]*500[^<]*<\/bdi>/);

    for (const html of [en, ar]) for (const secret of [...SECRETS, ...privateIds]) expect(html, `page leaks ${secret}`).not.toContain(secret);
  });

  it("an organisation with no record yet says so; a bad or unknown slug is a 404", async () => {
    const world = await needsWorld();
    clearOrgRecordCache();
    const en = await (await serve(`/orgs/${world.org.slug}`, { cookie: await lngCookie("en") })).text();
    expect(en).toContain("No need funded yet");
    expect(en).toContain("No money received yet.");
    expect(en).toContain("On Tadamon since");
    for (const path of ["/orgs/no-such-org-here", "/orgs/Bad%20Slug", `/orgs/${"a".repeat(81)}`]) expect((await serve(path)).status, path).toBe(404);
  });
});
