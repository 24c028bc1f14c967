// Issue 11, item 1 (the cache): the anonymous page cache (decision 060) in front of the real donor
// pages (tests/fixtures/donor-app.ts: root, routes, app/entry.server.tsx) on Express, as server.js
// serves them. A pledge makes the next anonymous /needs show the new total; a signed-in request
// is never served from or stored in the cache; a finished job empties it.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { formatMoney } from "~/utils/format";
import { localeCookie } from "~/utils/i18next.server";
import { pageCacheConfig, pageCacheMiddleware, pageDataChanged, type PageCache } from "~/utils/page-cache.server";
import { needs } from "#db/schema";
import { eq } from "drizzle-orm";
import { serveDonor } from "../fixtures/donor-app";
import { idemKey, pledgeWorld } from "../fixtures/pledging";
import { createUser, unique } from "../fixtures/db";
import { signIn } from "../fixtures/routes";

let server: Server;
let base = "";
let cache: PageCache;

beforeAll(async () => {
  await getDb(); // migrated before the first test's clock starts
  const middleware = pageCacheMiddleware(pageCacheConfig({}))!;
  cache = middleware.cache;
  const app = express();
  app.use(middleware);
  // The Remix handler, through the donor fixture's hand-made build.
  app.all("*", async (req, res, next) => {
    try {
      let form: Record<string, string[]> | undefined;
      if (req.method === "POST") {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        form = {};
        for (const [key, value] of new URLSearchParams(Buffer.concat(chunks).toString())) (form[key] ??= []).push(value);
      }
      const answer = await serveDonor(req.url, { cookie: req.headers.cookie, form });
      res.status(answer.status);
      answer.headers.forEach((value, name) => {
        if (name !== "set-cookie") res.setHeader(name, value);
      });
      const cookies = answer.headers.getSetCookie();
      if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
      res.end(Buffer.from(await answer.arrayBuffer()));
    } catch (error) {
      next(error);
    }
  });
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  cache.close();
  await new Promise((resolve) => server.close(resolve));
});

const lngCookie = async (lng: "ar" | "en") => (await localeCookie.serialize(lng)).split(";")[0];

async function get(path: string, cookie?: string) {
  const res = await fetch(base + path, { headers: cookie ? { cookie } : {} });
  return { status: res.status, cache: res.headers.get("x-page-cache"), html: await res.text(), headers: res.headers };
}

/** The pledged figure of the one card on an organisation's listing. */
const pledgedIn = (html: string) =>
  [...html.matchAll(/data-testid="need-figure-pledged">(.*?)<\/dd>/g)].map((m) => m[1].replace(/<[^>]*>/g, "").replace(/[\u200e\u200f\u2066-\u2069]/g, ""));

describe("the anonymous page cache in front of the donor pages", () => {
  it("a pledge makes the next anonymous /needs show the new total", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const cookie = await lngCookie("en");
    const listing = `/needs?org=${w.org.slug}`;
    const first = await get(listing, cookie);
    expect(first.status).toBe(200);
    expect(first.cache).toBe("miss");
    expect(pledgedIn(first.html)).toEqual([formatMoney(0, "USD", "en")]);
    const cached = await get(listing, cookie);
    expect(cached.cache).toBe("hit");
    expect(pledgedIn(cached.html)).toEqual([formatMoney(0, "USD", "en")]);

    const posted = await fetch(`${base}/needs/${w.need.publicId}/pledge`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ amount: "20.00", currency: "USD", method: "bank_transfer", email: `${unique("cache")}@example.test`, idempotencyKey: idemKey() }),
    });
    expect(posted.status).toBe(302);

    const after = await get(listing, cookie);
    expect(after.cache).toBe("miss");
    expect(pledgedIn(after.html)).toEqual([formatMoney(2_000, "USD", "en")]);
    // And the need's own page, which the redirect leads to, is fresh too.
    expect((await get(`/needs/${w.need.publicId}`, cookie)).html).toContain(formatMoney(2_000, "USD", "en"));
  });

  it("a signed-in request is never served from the cache nor stored in it", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const donor = await createUser({ displayName: `Cache Donor ${unique("n")}` });
    const session = await signIn(donor.id);
    const en = await lngCookie("en");
    const page = `/needs/${w.need.publicId}`;

    // Signed in first: rendered for them (their name in the header), nothing stored.
    const mine = await get(page, `${en}; ${session}`);
    expect(mine.cache).toBe("bypass");
    expect(mine.html).toContain(donor.displayName);
    expect(mine.headers.get("cache-control")).toMatch(/private/);
    const anonymous = await get(page, en);
    expect(anonymous.cache).toBe("miss");
    expect(anonymous.html).not.toContain(donor.displayName);

    // An anonymous entry exists now; the signed-in person still gets their own render.
    expect((await get(page, en)).cache).toBe("hit");
    const again = await get(page, `${en}; ${session}`);
    expect(again.cache).toBe("bypass");
    expect(again.html).toContain(donor.displayName);
    // A stale or forged session cookie counts as signed in too.
    expect((await get(page, `${en}; tadamon_session=bm9wZQ%3D%3D`)).cache).toBe("bypass");
  });

  it("keeps the Arabic and English pages apart", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const page = `/needs/${w.need.publicId}`;
    const ar = await get(page, await lngCookie("ar"));
    const en = await get(page, await lngCookie("en"));
    expect([ar.cache, en.cache]).toEqual(["miss", "miss"]);
    const arAgain = await get(page, await lngCookie("ar"));
    const enAgain = await get(page, await lngCookie("en"));
    expect([arAgain.cache, enAgain.cache]).toEqual(["hit", "hit"]);
    expect(arAgain.html).toMatch(/<html lang="ar" dir="rtl"/);
    expect(enAgain.html).toMatch(/<html lang="en" dir="ltr"/);
    // No cookie: the app's default (Arabic) entry.
    const none = await get(page);
    expect(none.cache).toBe("hit");
    expect(none.html).toMatch(/<html lang="ar"/);
  });

  it("a finished job (or anything calling pageDataChanged) empties it: a need's new state shows at once", async () => {
    const w = await pledgeWorld({ targetMinor: 10_000 });
    const page = `/needs/${w.need.publicId}`;
    const cookie = await lngCookie("en");
    const before = await get(page, cookie);
    expect(before.html).toContain('data-testid="pledge-start"');
    expect((await get(page, cookie)).cache).toBe("hit");
    // What the need-expiry job does, outside any request of this server.
    await (await getDb()).update(needs).set({ state: "expired" }).where(eq(needs.id, w.need.id));
    expect((await get(page, cookie)).cache).toBe("hit"); // stale for at most the TTL…
    pageDataChanged(); // …or until the job finishes
    const after = await get(page, cookie);
    expect(after.cache).not.toBe("hit");
    expect(after.html).not.toContain('data-testid="pledge-start"');
  });
});
