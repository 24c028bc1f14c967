import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { givingPreferences, regions } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { createOrg, createUser } from "../fixtures/db";
import { makeRequest, run, signIn } from "../fixtures/routes";
import * as page from "~/routes/account.giving";
import * as unsubscribe from "~/routes/giving.unsubscribe";
import { unsubscribePath } from "~/modules/giving/unsubscribe.server";

async function regionsOf(orgId: string) {
  const db = await getDb();
  const [gov] = await db.insert(regions).values({ orgId, level: "governorate", nameAr: "عكار", nameEn: "Akkar" }).returning();
  const [camp] = await db.insert(regions).values({ orgId, parentId: gov!.id, level: "locality", nameAr: "مخيم", nameEn: "Camp" }).returning();
  return { gov: gov!, camp: camp! };
}

async function saved(userId: string) {
  const db = await getDb();
  const [row] = await db.select().from(givingPreferences).where(eq(givingPreferences.userId, userId));
  return row;
}

describe("/account/giving", () => {
  it("asks who is asking: an anonymous visitor is sent to sign in", async () => {
    const out = await run(page.loader, makeRequest("/account/giving"));
    expect(out.status).toBe(302);
    expect(out.location).toMatch(/^\/login/);
  });

  it("saves categories, public regions, organisations, zakat, a budget in the currency's units and the digest", async () => {
    const user = await createUser();
    const org = await createOrg();
    const { gov } = await regionsOf(org.id);
    const cookie = await signIn(user.id);
    const out = await run(
      page.action,
      makeRequest("/account/giving", {
        cookie,
        form: { intent: "save-preferences", categories: ["school_fees", "medical_treatment"], regionIds: [gov.id], orgIds: [org.id], zakatOnly: "on", monthlyBudget: "50.5", budgetCurrency: "usd", digest: "weekly" },
      }),
    );
    expect(out.status).toBe(302);
    expect(out.location).toBe("/account/giving?saved=1");
    const row = await saved(user.id);
    expect(row).toMatchObject({
      categories: ["school_fees", "medical_treatment"],
      regionIds: [gov.id],
      orgIds: [org.id],
      zakatOnly: true,
      monthlyBudgetMinor: 5050,
      budgetCurrency: "USD",
      digest: "weekly",
    });

    const shown = await run(page.loader, makeRequest("/account/giving", { cookie }));
    expect(shown.body.preferences).toMatchObject({ categories: ["school_fees", "medical_treatment"], monthlyBudget: "50.50", digest: "weekly" });
    expect(shown.body.regions).toContainEqual(expect.objectContaining({ value: gov.id, label: "عكار" }));
  });

  it("refuses a private region (a camp, or another organisation's district) with a 400 in the user's language, and changes nothing", async () => {
    const user = await createUser();
    const org = await createOrg();
    const { camp } = await regionsOf(org.id);
    const cookie = await signIn(user.id);
    await run(page.action, makeRequest("/account/giving", { cookie, form: { intent: "save-preferences", digest: "monthly" } }));
    const out = await run(page.action, makeRequest("/account/giving", { cookie, lng: "en", form: { intent: "save-preferences", regionIds: [camp.id], digest: "weekly" } }));
    expect(out.status).toBe(400);
    expect(out.body.result.error.regionIds).toEqual(["giving:errors.regionInvalid"]);
    expect((await saved(user.id))?.digest).toBe("monthly");
  });

  it("refuses bad input with nothing changed: unknown category, organisation, digest, a budget without currency or too precise", async () => {
    const user = await createUser();
    const cookie = await signIn(user.id);
    const bad: Record<string, string>[] = [
      { categories: "caviar" },
      { orgIds: "00000000-0000-4000-8000-000000000000" },
      { digest: "hourly" },
      { monthlyBudget: "50" },
      { monthlyBudget: "50.5", budgetCurrency: "JOD0" },
      { monthlyBudget: "10.5", budgetCurrency: "SYP" },
      { monthlyBudget: "-3", budgetCurrency: "USD" },
    ];
    for (const fields of bad) {
      const form = { intent: "save-preferences", ...fields };
      const out = await run(page.action, makeRequest("/account/giving", { cookie, form }));
      expect(out.status, JSON.stringify(form)).toBe(400);
    }
    // A post that is not the form (no intent) saves nothing either.
    expect((await run(page.action, makeRequest("/account/giving", { cookie, form: { digest: "weekly" } }))).status).toBe(400);
    expect(await saved(user.id)).toBeUndefined();
  });
});

describe("/giving/unsubscribe", () => {
  it("a signed link stops the digest without signing in, after a button (a link scanner's GET changes nothing)", async () => {
    const user = await createUser();
    const cookie = await signIn(user.id);
    await run(page.action, makeRequest("/account/giving", { cookie, form: { intent: "save-preferences", digest: "weekly" } }));
    const path = unsubscribePath(user.id);
    const shown = await run(unsubscribe.loader, makeRequest(path));
    expect(shown.status).toBe(200);
    expect((await saved(user.id))?.digest).toBe("weekly");
    const url = new URL(path, "http://localhost");
    const out = await run(unsubscribe.action, makeRequest(path, { form: { u: url.searchParams.get("u")!, s: url.searchParams.get("s")! } }));
    expect(out.body).toEqual({ done: true });
    expect((await saved(user.id))?.digest).toBe("off");
  });

  it("a forged or another person's signature is refused with a 400 and changes nothing", async () => {
    const victim = await createUser();
    const other = await createUser();
    await run(page.action, makeRequest("/account/giving", { cookie: await signIn(victim.id), form: { intent: "save-preferences", digest: "weekly" } }));
    const otherSig = new URL(unsubscribePath(other.id), "http://localhost").searchParams.get("s")!;
    for (const form of [{ u: victim.id, s: otherSig }, { u: victim.id, s: "x".repeat(22) }, { u: "not-a-uuid", s: otherSig }]) {
      const out = await run(unsubscribe.action, makeRequest("/giving/unsubscribe", { form }));
      expect(out.status).toBe(400);
    }
    const get = await run(unsubscribe.loader, makeRequest(`/giving/unsubscribe?u=${victim.id}&s=${otherSig}`));
    expect(get.status).toBe(400);
    expect((await saved(victim.id))?.digest).toBe("weekly");
  });
});

describe("/needs?match=mine", () => {
  it("shows a signed-in donor only the needs matching their preferences; others get a notice and the whole list", async () => {
    const { needsWorld } = await import("../fixtures/needs");
    const { insertNeeds, needRow } = await import("../fixtures/marketplace");
    const listing = await import("~/routes/needs._index");
    const world = await needsWorld();
    const [school, medical] = await insertNeeds([
      needRow(world, { titleEn: "Match school", category: "school_fees" }),
      needRow(world, { titleEn: "Other medical", category: "medical_treatment" }),
    ]);
    const donor = await createUser();
    const cookie = await signIn(donor.id);
    await run(page.action, makeRequest("/account/giving", { cookie, form: { intent: "save-preferences", categories: "school_fees", orgIds: world.org.id, digest: "off" } }));

    const mine = await run(listing.loader, makeRequest("/needs?match=mine", { cookie }));
    expect(mine.status).toBe(200);
    expect(mine.body.match).toBe("on");
    const ids = mine.body.cards.map((n: { publicId: string }) => n.publicId);
    expect(ids).toContain(school!.publicId);
    expect(ids).not.toContain(medical!.publicId);
    expect(mine.body.total).toBe(1);

    const anonymous = await run(listing.loader, makeRequest("/needs?match=mine&org=" + world.org.slug));
    expect(anonymous.body.match).toBe("anonymous");
    expect(anonymous.body.total).toBe(2);

    const newcomer = await createUser();
    const none = await run(listing.loader, makeRequest("/needs?match=mine&org=" + world.org.slug, { cookie: await signIn(newcomer.id) }));
    expect(none.body.match).toBe("none");
    expect(none.body.total).toBe(2);

    expect((await run(listing.loader, makeRequest("/needs?match=everything"))).status).toBe(400);
  });
});
