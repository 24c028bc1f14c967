import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { organizations } from "#db/schema";
import { getDb } from "~/utils/db.server";
import * as adminOrgs from "~/routes/admin.organizations._index";
import * as settingsPage from "~/routes/staff.$orgSlug.settings";
import { addMember, createOrg, createUser, unique } from "../fixtures/db";
import { makeRequest, run, signIn } from "../fixtures/routes";

describe("an organisation's country sets its currency and time zone (forms without JavaScript)", () => {
  it("a new organisation in Egypt with the fields left at the country's default gets EGP and Cairo time", async () => {
    const admin = await createUser({ isPlatformAdmin: true });
    const cookie = await signIn(admin.id);
    const slug = unique("eg").toLowerCase();
    const form = { slug, nameAr: "جمعية", nameEn: "Association", country: "EG", defaultCurrency: "", timeZone: "", adminEmail: `${unique("a")}@example.test` };
    const created = await run(adminOrgs.action, makeRequest("/admin/organizations", { cookie, form }));
    expect(created.status).toBe(302);
    const [org] = await (await getDb()).select().from(organizations).where(eq(organizations.slug, slug));
    expect(org).toMatchObject({ country: "EG", defaultCurrency: "EGP", timeZone: "Africa/Cairo" });
  }, 120_000);

  it("settings: empty currency and zone take the country's; the public profile is saved; a bad year is refused in the visitor's language", async () => {
    const org = await createOrg({ country: "SY", defaultCurrency: "USD", timeZone: "Asia/Beirut" });
    const admin = await createUser();
    await addMember(org.id, admin.id, "org_admin");
    const cookie = await signIn(admin.id);
    const url = `/staff/${org.slug}/settings`;
    const params = { orgSlug: org.slug };
    const page = await run(settingsPage.loader, makeRequest(url, { cookie }), params);
    expect(page.body.org).toMatchObject({ country: "SY", missionAr: "", foundedYear: "" });
    const saved = await run(
      settingsPage.action,
      makeRequest(url, {
        cookie,
        form: { intent: "profile", nameAr: org.nameAr, nameEn: org.nameEn, defaultCurrency: "", timeZone: "", missionEn: "Food and schooling in Aleppo", registeredWithAr: "وزارة الشؤون الاجتماعية", foundedYear: "2011" },
      }),
      params,
    );
    expect(saved.status).toBe(302);
    const [row] = await (await getDb()).select().from(organizations).where(eq(organizations.id, org.id));
    expect(row).toMatchObject({ defaultCurrency: "SYP", timeZone: "Asia/Damascus", missionEn: "Food and schooling in Aleppo", registeredWithAr: "وزارة الشؤون الاجتماعية", foundedYear: 2011, missionAr: null });
    const bad = await run(
      settingsPage.action,
      makeRequest(url, { cookie, form: { intent: "profile", nameAr: org.nameAr, nameEn: org.nameEn, foundedYear: "1800" } }),
      params,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.result.error).toMatchObject({ foundedYear: ["staff:errors.foundedYear"] });
  }, 120_000);
});
