// The public pages end to end on the server: real HTML and headers from the root, the route
// loaders, their `headers` and app/entry.server.tsx (tests/fixtures/public-app.ts).
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { needs } from "#db/schema";
import { getDb } from "~/utils/db.server";
import { sessionCookieHeader } from "~/utils/auth.server";
import { localeCookie } from "~/utils/i18next.server";
import { createSession } from "~/modules/identity/session.server";
import { createNeed, transitionNeed } from "~/modules/needs/needs.server";
import * as needPage from "~/routes/needs.$publicId";
import { actorFor, createHousehold, needFields, needsWorld as baseWorld, sewingMachine } from "../fixtures/needs";
import { serve } from "../fixtures/public-app";

/** The needs fixture's world with a household whose phone and ID appear in no message of the app. */
async function needsWorld() {
  const world = await baseWorld();
  const household = await createHousehold(world.org.id, world.author.id, { phone: "+961 71 987 654", idNumber: "LR55443322" });
  return { ...world, household };
}
type World = Awaited<ReturnType<typeof needsWorld>>;

const lngCookie = async (lng: "ar" | "en") => (await localeCookie.serialize(lng)).split(";")[0];

/** Everything private about the fixture household and its need (tests/fixtures/needs.ts). */
const SECRETS = [
  "فاطمة أحمد الحسن",
  "Yousef Al-Hassan",
  "Yousef",
  "+961 71 987 654",
  "987 654",
  "LR55443322",
  "شارع الحمرا",
  "بناية النور",
  "Al-Amal Private School",
  "IBAN LB00",
  "Makassed",
];

async function publishedNeed(world: World, fields = needFields({ publicRegionId: world.governorate.id }), items: typeof sewingMachine = []) {
  const db = await getDb();
  const need = await createNeed(db, {
    orgId: world.org.id,
    actor: actorFor(world.author.id),
    authorId: world.author.id,
    householdId: world.household.id,
    fields,
    items,
    // Verification needs both languages, or a need told in one (decision 055).
    onlyLanguage: fields.titleEn && fields.storyEn ? null : fields.titleAr && fields.storyAr ? "ar" : "en",
  });
  await transitionNeed(db, actorFor(world.author.id), { orgId: world.org.id, needId: need.id, action: "submit" });
  return transitionNeed(db, actorFor(world.verifier.id), { orgId: world.org.id, needId: need.id, action: "verify" });
}

function expectNoSecrets(text: string, world: World, extra: string[] = []) {
  for (const secret of [...SECRETS, world.household.id, world.household.reference, world.org.id, world.author.id, world.verifier.id, ...extra]) {
    expect(text, `leaks ${secret}`).not.toContain(secret);
  }
}

describe("no private string on any public page", () => {
  it("the need page's loader data and every public page's HTML carry none of the household's private strings", async () => {
    const world = await needsWorld();
    const need = await publishedNeed(
      world,
      needFields({ category: "in_kind_item", payeeKind: "vendor", payeeName: "Makassed Tools Vendor", publicRegionId: world.governorate.id }),
      sewingMachine,
    );
    expect(need.state).toBe("published");

    const result = (await needPage.loader({
      request: new Request(`http://localhost/needs/${need.publicId}`),
      params: { publicId: need.publicId },
      context: {},
    })) as unknown as { data: unknown };
    const json = JSON.stringify(result.data);
    expect(json).toContain(need.publicId);
    expectNoSecrets(json, world, [need.id]);

    for (const path of [`/needs/${need.publicId}`, `/needs?org=${world.org.slug}`, `/orgs/${world.org.slug}`, "/", "/needs"]) {
      for (const lng of ["ar", "en"]) {
        const response = await serve(path, { cookie: await lngCookie(lng as "ar" | "en") });
        expect(response.status, path).toBe(200);
        const html = await response.text();
        if (path !== "/" && path !== "/needs") expect(html, path).toContain(need.publicId);
        expectNoSecrets(html, world, [need.id]);
      }
    }
  });
});

describe("the need page", () => {
  it("shows the story, progress, donors, deadline, items, the verified line, a share link, Open Graph tags and the pledge slot", async () => {
    const world = await needsWorld();
    const longStory = `${"طالبة متفوقة تحتاج إلى دعم لإكمال عامها الدراسي. ".repeat(6)}النهاية`;
    const need = await publishedNeed(
      world,
      needFields({ category: "in_kind_item", storyAr: longStory, publicRegionId: world.governorate.id }),
      sewingMachine,
    );
    await (await getDb()).update(needs).set({ paidMinor: 9500, reservedMinor: 1000, donorCount: 3 }).where(eq(needs.id, need.id));

    const response = await serve(`/needs/${need.publicId}`, { cookie: await lngCookie("ar") });
    const html = await response.text();
    expect(html).toContain("<title>أقساط مدرسية لطالبة في الصف التاسع — تضامن</title>");
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="50"'); // 9500 of 19000 paid
    expect(html).toMatch(/data-testid="need-donors">[^<]*متبرعين</);
    expect(html).toContain("تم التحقق بتاريخ");
    expect(html).toContain(`من قبل ${world.org.nameAr}`);
    expect(html).toContain("ماكينة خياطة");
    expect(html).toContain('id="pledge"');
    expect(html).toContain(`href="/orgs/${world.org.slug}"`);
    expect(html).toContain(`value="http://localhost/needs/${need.publicId}"`);
    expect(html).toContain(`<meta property="og:url" content="http://localhost/needs/${need.publicId}"/>`);
    expect(html).toContain('<meta property="og:type" content="website"/>');
    expect(html).toContain('<meta property="og:title" content="أقساط مدرسية لطالبة في الصف التاسع"/>');
    const description = html.match(/<meta property="og:description" content="([^"]*)"/)?.[1] ?? "";
    expect(description.startsWith("طالبة متفوقة")).toBe(true);
    expect(description.length).toBeLessThanOrEqual(151);
    expect(description.endsWith("…")).toBe(true);

    const en = await (await serve(`/needs/${need.publicId}`, { cookie: await lngCookie("en") })).text();
    expect(en).toContain("Verified on");
    expect(en).toContain(`by ${world.org.nameEn}`);
    expect(en).toContain("3 donors");
    expect(en).toContain('lang="en" dir="ltr"');
  });

  it("a funded need keeps its page, marked funded, without the pledge slot; an unpublished or unknown need is a 404, never cached", async () => {
    const world = await needsWorld();
    const need = await publishedNeed(world);
    const db = await getDb();
    await db.update(needs).set({ state: "funded", paidMinor: 45000, donorCount: 2 }).where(eq(needs.id, need.id));
    const funded = await serve(`/needs/${need.publicId}`, { cookie: await lngCookie("en") });
    const html = await funded.text();
    expect(funded.status).toBe(200);
    expect(html).toContain("Fully funded");
    expect(html).toContain('data-testid="need-funded-notice"');
    expect(html).not.toContain('id="pledge"');
    // …and it left the listing.
    expect(await (await serve(`/needs?org=${world.org.slug}`)).text()).not.toContain(need.publicId);

    await db.update(needs).set({ state: "cancelled", paidMinor: 0 }).where(eq(needs.id, need.id));
    for (const path of [`/needs/${need.publicId}`, "/needs/NOSUCHNEED00", "/needs/%27%20or%201=1", "/orgs/no-such-org-here"]) {
      const response = await serve(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("cache-control"), path).toBe("private, no-store");
      expect(response.headers.get("etag"), path).toBeNull();
    }
  });
});

describe("the listing page", () => {
  it("a GET form that works without JavaScript; filters, sort and search apply; pagination keeps them; nonsense is a 400", async () => {
    const world = await needsWorld();
    const first = await publishedNeed(world, needFields({ titleAr: "أقساط مدرسية لطالب", urgency: "critical" }));
    const rows: { publicId: string }[] = [];
    for (let i = 0; i < 21; i += 1) {
      rows.push(await publishedNeed(world, needFields({ category: "surgery", titleAr: `عملية جراحية رقم ${i}`, titleEn: null, storyEn: null, urgency: "normal" })));
    }
    const page1 = await (await serve(`/needs?org=${world.org.slug}&category=surgery&sort=closing`, { cookie: await lngCookie("en") })).text();
    expect(page1).toMatch(/<form method="get"/);
    expect(page1).toContain("21 needs");
    expect(page1).not.toContain(first.publicId);
    // "Next" is a keyset cursor (decision 059) that keeps the filters.
    const nextLink = page1.match(/<a[^>]*rel="next"[^>]*>/)?.[0] ?? "";
    const next = nextLink.match(/href="([^"]*cursor=[^"]*)"/)?.[1]?.replace(/&amp;/g, "&") ?? "";
    expect(next).toContain(`org=${world.org.slug}`);
    expect(next).toContain("category=surgery");
    expect(next).toContain("sort=closing");
    const page2 = await (await serve(next, { cookie: await lngCookie("en") })).text();
    const onPage = (html: string) => rows.filter((r) => html.includes(r.publicId)).length;
    expect(onPage(page1)).toBe(20);
    expect(onPage(page2)).toBe(1);

    const search = await (await serve(`/needs?org=${world.org.slug}&q=${encodeURIComponent("مدرسيه")}`)).text();
    expect(search).toContain(first.publicId);
    expect(onPage(search)).toBe(0);

    const bad = await serve(`/needs?org=${world.org.slug}&category=cars&sort=random`, { cookie: await lngCookie("en") });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Some filters were not understood");

    // The filters fold behind "Filters" (<details>, no JavaScript), open when one is in use.
    expect(page1).toMatch(/<details open=""[^>]*data-testid="need-filters-more"/);
    const plain = await (await serve(`/needs?org=`, { cookie: await lngCookie("en") })).text();
    expect(plain).toMatch(/<details class="[^"]*" data-testid="need-filters-more"><summary/);
    // An edited page link: the first page and a 400 with a translated reason, in both languages.
    for (const [lng, text] of [["en", "That page link is out of date"], ["ar", "رابط الصفحة قديم"]] as const) {
      const edited = await serve(`/needs?org=${world.org.slug}&category=surgery&sort=closing&cursor=${next.split("cursor=")[1]?.slice(0, 12)}x`, { cookie: await lngCookie(lng) });
      expect(edited.status).toBe(400);
      const html = await edited.text();
      expect(html).toContain(text);
      expect(onPage(html)).toBe(20);
    }
    expect((await serve(`/needs?org=${world.org.slug}&page=11`)).status).toBe(400);
  }, 240_000);
});

describe("HTTP caching", () => {
  it("anonymous visitors get a public, short cache with a weak ETag and 304 on If-None-Match; Vary covers the cookie and language", async () => {
    const world = await needsWorld();
    const need = await publishedNeed(world);
    for (const path of ["/", "/needs", `/needs/${need.publicId}`, `/orgs/${world.org.slug}`]) {
      const first = await serve(path, { cookie: await lngCookie("ar") });
      expect(first.status, path).toBe(200);
      expect(first.headers.get("cache-control"), path).toBe("public, max-age=60, stale-while-revalidate=300");
      expect(first.headers.get("vary"), path).toMatch(/Cookie/);
      const etag = first.headers.get("etag");
      expect(etag, path).toMatch(/^W\/"[\w-]+"$/);
      await first.text();

      const again = await serve(path, { cookie: await lngCookie("ar"), "if-none-match": etag! });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");

      const stale = await serve(path, { cookie: await lngCookie("ar"), "if-none-match": 'W/"something-else"' });
      expect(stale.status, path).toBe(200);

      const english = await serve(path, { cookie: await lngCookie("en") });
      expect(english.headers.get("etag"), path).not.toBe(etag);
    }
  });

  it("a signed-in visitor gets private, no-store and no ETag (the page is theirs)", async () => {
    const world = await needsWorld();
    const need = await publishedNeed(world);
    const { token } = await createSession(await getDb(), world.author.id);
    const cookie = (await sessionCookieHeader(token)).split(";")[0];
    expect(cookie.startsWith("tadamon_session=")).toBe(true);
    for (const path of ["/", "/needs", `/needs/${need.publicId}`, `/orgs/${world.org.slug}`]) {
      const response = await serve(path, { cookie });
      expect(response.status, path).toBe(200);
      expect(response.headers.get("cache-control"), path).toBe("private, no-store");
      expect(response.headers.get("etag"), path).toBeNull();
      const html = await response.text();
      expect(html).toContain(world.author.displayName);
      const conditional = await serve(path, { cookie, "if-none-match": "*" });
      expect(conditional.status, path).toBe(200);
    }
  });
});
