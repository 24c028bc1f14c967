// Platform appeals (issue 12 item 5, decision 072): the platform admin runs an appeal across
// organisations by filter (a currency, a country, kinds of need). Its page shows the progress of
// every matching verified need, whichever organisation's; an emergency one puts matching submitted
// needs first in every organisation's verification queue (still verified by a second person). It
// never matches gifts. Tested in DKK, a currency no other test uses, so other organisations of the
// shared database never fall inside.
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { appeals, organizations } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { addMonths } from "~/modules/needs/need-steps.server";
import { todayIn } from "~/modules/needs/money";
import { createNeed, transitionNeed, verificationQueue } from "~/modules/needs/needs.server";
import { PlatformAppealFormSchema, createPlatformAppeal, matchAppealGifts } from "~/modules/giving/appeals.server";
import * as adminAppeals from "~/routes/admin.appeals";
import * as appealPage from "~/routes/appeals.$slug";
import * as givePage from "~/routes/give";
import { createUser, unique } from "../fixtures/db";
import { actorFor, needFields, needsWorld } from "../fixtures/needs";
import { makeRequest, run, signIn } from "../fixtures/routes";

async function dkkWorld(country: string) {
  const w = await needsWorld({ currency: "DKK" });
  await (await getDb()).update(organizations).set({ country }).where(eq(organizations.id, w.org.id));
  return w;
}

async function need(w: Awaited<ReturnType<typeof dkkWorld>>, fields: Parameters<typeof needFields>[0], to: "submitted" | "published") {
  const db = await getDb();
  const draft = await createNeed(db, { orgId: w.org.id, actor: actorFor(w.author.id), authorId: w.author.id, householdId: w.household.id, fields: needFields(fields), items: [] });
  await transitionNeed(db, actorFor(w.author.id), { orgId: w.org.id, needId: draft.id, action: "submit" });
  if (to === "published") await transitionNeed(db, actorFor(w.verifier.id), { orgId: w.org.id, needId: draft.id, action: "verify" });
  return draft;
}

describe("platform appeals", () => {
  it("only the platform admin creates one; bad input is refused with a message and writes nothing", async () => {
    await dkkWorld("JO");
    const admin = await signIn((await createUser({ isPlatformAdmin: true })).id);
    const stranger = await signIn((await createUser()).id);
    const today = todayIn("UTC");
    const good = { slug: unique("quake").toLowerCase().replace(/_/g, "-"), kind: "emergency", titleEn: "Earthquake response", startsOn: today, endsOn: addMonths(today, 1), currency: "DKK", country: "JO" };
    const post = (cookie: string, form: Record<string, string | string[]>, lng = "en") => run(adminAppeals.action, makeRequest("/admin/appeals", { cookie, lng, form }));

    expect((await post(stranger, good)).status).toBe(403);
    // The module refuses too, whoever calls it: an organisation's admin is not the platform's.
    const orgAdmin = (await dkkWorld("JO")).admin;
    await expect(createPlatformAppeal(await getDb(), actorFor(orgAdmin.id), PlatformAppealFormSchema.parse(good))).rejects.toMatchObject({ status: 403 });
    const cases: [Record<string, string>, number, string][] = [
      [{ currency: "XAU" }, 400, "currency"],
      [{ country: "ZZ" }, 400, "country"],
      [{ titleEn: "" }, 400, "titleAr"],
      [{ endsOn: addMonths(today, -1) }, 400, "endsOn"],
      [{ slug: "No Spaces" }, 400, "slug"],
      [{ kind: "party" }, 400, "kind"],
    ];
    for (const [change, status, field] of cases) {
      const out = await post(admin, { ...good, ...change });
      expect(out.status, JSON.stringify(change)).toBe(status);
      expect(Object.keys((out.body as { errors: Record<string, string[]> }).errors)).toContain(field);
    }
    const arabic = await post(admin, { ...good, currency: "XAU" }, "ar");
    expect(JSON.stringify(arabic.body)).toContain("اختر عملة من القائمة");
    expect(await (await getDb()).select().from(appeals).where(eq(appeals.slug, good.slug))).toHaveLength(0);

    // Matching fields are not part of a platform appeal: sent anyway, they change nothing.
    const created = await post(admin, { ...good, matchPercent: "100", matchCap: "500" });
    expect(created.status).toBe(302);
    const [row] = await (await getDb()).select().from(appeals).where(eq(appeals.slug, good.slug));
    expect(row).toMatchObject({ orgId: null, country: "JO", currency: "DKK", kind: "emergency", matchPercent: null });
    expect((await post(admin, good)).status).toBe(409);
  });

  it("spans organisations by its filter, fast-tracks matching needs in every organisation's queue, and never matches", async () => {
    // A country code of ISO's user-assigned ranges that no organisation has yet: a database kept
    // between local runs holds the last runs' organisations, never this run's country.
    const used = new Set((await (await getDb()).selectDistinct({ country: organizations.country }).from(organizations)).map((o) => o.country));
    const free = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"].map((c) => `X${c}`).concat([..."MNOPQRSTUVWXYZ"].map((c) => `Q${c}`)).filter((c) => !used.has(c));
    const code = free[Math.floor(Math.random() * free.length)];
    expect(code).toBeTruthy();
    const jordan = await dkkWorld(code);
    const jordan2 = await dkkWorld(code);
    const iraq = await dkkWorld("IQ");
    const surgeryA = await need(jordan, { category: "surgery", payeeKind: "hospital", titleEn: "Surgery A" }, "published");
    const surgeryB = await need(jordan2, { category: "surgery", payeeKind: "hospital", titleEn: "Surgery B" }, "published");
    await need(jordan, { category: "school_fees" }, "published");
    await need(iraq, { category: "surgery", payeeKind: "hospital" }, "published");

    const admin = await signIn((await createUser({ isPlatformAdmin: true })).id);
    const today = todayIn("UTC");
    const slug = `jo-surgery-${unique("a").slice(-6).toLowerCase().replace(/_/g, "-")}`;
    const created = await run(
      adminAppeals.action,
      makeRequest("/admin/appeals", { cookie: admin, form: { slug, kind: "emergency", titleAr: "استجابة طارئة", startsOn: addMonths(today, -1), endsOn: today, currency: "DKK", country: code, categories: ["surgery"] } }),
    );
    expect(created.status).toBe(302);

    // The page: both Jordanian surgeries, from two organisations; not the school fees, not Iraq.
    const page = await run(appealPage.loader, makeRequest(`/appeals/${slug}?lng=en`), { slug });
    expect(page.status).toBe(200);
    const body = page.body as { org: unknown; needCount: number; cards: { publicId: string }[] };
    expect(body.org).toBeNull();
    expect(body.needCount).toBe(2);
    expect(body.cards.map((n) => n.publicId).sort()).toEqual([surgeryA.publicId, surgeryB.publicId].sort());

    // The verification queue of a Jordanian organisation: the matching need first, though submitted later.
    const older = await need(jordan, { category: "school_fees" }, "submitted");
    const urgent = await need(jordan, { category: "surgery", payeeKind: "hospital" }, "submitted");
    const queue = await verificationQueue(await getDb(), jordan.org.id, jordan.verifier.id);
    expect(queue.rows.map((r) => r.id)).toEqual([urgent.id, older.id]);
    expect(queue.rows[0].emergency).toBe(true);
    // Not in Iraq.
    const iraqi = await need(iraq, { category: "surgery", payeeKind: "hospital" }, "submitted");
    const iraqQueue = await verificationQueue(await getDb(), iraq.org.id, iraq.verifier.id);
    expect(iraqQueue.rows.find((r) => r.id === iraqi.id)?.emergency).toBe(false);

    // It is listed on /give while it runs, and the matcher leaves it alone.
    const give = await run(givePage.loader, makeRequest("/give?lng=en"));
    expect((give.body as { appeals: { slug: string }[] }).appeals.map((a) => a.slug)).toContain(slug);
    await matchAppealGifts(await getDb(), { orgId: jordan.org.id });
    const list = await run(adminAppeals.loader, makeRequest("/admin/appeals?lng=en", { cookie: admin }));
    expect((list.body as { appeals: { slug: string; needCount: number }[] }).appeals.find((a) => a.slug === slug)?.needCount).toBe(2);
  });
});
