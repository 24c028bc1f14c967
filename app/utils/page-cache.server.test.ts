// The anonymous page cache (decision 060) in front of a stand-in for the Remix handler that answers
// like app/entry.server.tsx does (a fresh nonce per render, its policy, a weak ETag over the
// placeholder bytes, `public` for anonymous visitors), served by Express with compression as
// server.js serves it. The real pages, pledges and jobs are in tests/integration/page-cache.test.ts.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import compression from "compression";
import express, { type Request, type Response } from "express";
import { afterEach, describe, expect, it } from "vitest";
import { getLocale, localeCookie } from "./i18next.server";
import { sessionCookie } from "./auth.server";
import { PUBLIC_CACHE_CONTROL, weakEtag } from "./http-cache.server";
import { contentSecurityPolicy, createNonce, NONCE_PLACEHOLDER, withNonce } from "./security-headers.server";
import { isCacheablePath, pageCacheConfig, pageCacheMiddleware, pageDataChanged, PageCache } from "./page-cache.server";

interface Rendered {
  status?: number;
  cacheControl?: string;
  setCookie?: string;
  contentType?: string;
}

/** What the stand-in renders next, per path (default: a public 200 HTML page). */
type Script = (req: Request) => Rendered;

let clock = 1_000_000;
const servers: Server[] = [];
const caches: PageCache[] = [];

afterEach(async () => {
  for (const cache of caches.splice(0)) cache.close();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function start(script: Script = () => ({}), env: Record<string, string> = {}) {
  const renders: string[] = [];
  const middleware = pageCacheMiddleware(pageCacheConfig({ PAGE_CACHE_TTL_MS: "3000", ...env }), { now: () => clock });
  const app = express();
  app.use(compression());
  if (middleware) {
    caches.push(middleware.cache);
    app.use(middleware);
  }
  let pending: (() => void) | null = null;
  const control = { hold: false };
  app.all("*", async (req: Request, res: Response) => {
    if (req.method !== "GET") {
      res.status(Number(req.query.status ?? 303)).set("Location", "/needs").end();
      return;
    }
    if (control.hold) {
      control.hold = false;
      await new Promise<void>((resolve) => (pending = resolve));
    }
    const spec = script(req);
    const n = renders.push(req.url);
    const nonce = createNonce();
    const lang = await getLocale(new Request(`http://x${req.url}`, { headers: { cookie: req.headers.cookie ?? "", "accept-language": req.headers["accept-language"] ?? "" } }));
    const html = Buffer.from(
      `<!DOCTYPE html><html lang="${lang}"><body><p>render ${n} of ${req.url}</p>` +
        `<script nonce="${NONCE_PLACEHOLDER}">1</script><script nonce="${NONCE_PLACEHOLDER}">2</script>` +
        `<p>${"A page long enough to be compressed. ".repeat(40)}</p></body></html>`,
    );
    res.status(spec.status ?? 200);
    res.set("Content-Type", spec.contentType ?? "text/html; charset=utf-8");
    res.set("Cache-Control", spec.cacheControl ?? PUBLIC_CACHE_CONTROL);
    res.set("Vary", "Cookie, Accept-Language");
    res.set("ETag", weakEtag(html));
    res.set("Content-Security-Policy", contentSecurityPolicy({ nonce }));
    res.set("X-Frame-Options", "DENY");
    if (spec.setCookie) res.set("Set-Cookie", spec.setCookie);
    // Written in two chunks, as a stream would.
    const body = withNonce(html, nonce);
    res.write(body.subarray(0, 40));
    res.end(body.subarray(40));
  });
  const server = app.listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(base + path, { headers: { "accept-encoding": "identity", ...headers } });
    return { status: res.status, headers: res.headers, html: await res.text(), cache: res.headers.get("x-page-cache") };
  };
  const post = (path: string) =>
    fetch(base + path, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "a=1" });
  return { base, get, post, renders, cache: middleware?.cache ?? null, control, release: () => pending?.() };
}

const policyNonce = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];
const scriptNonces = (html: string) => [...html.matchAll(/<script nonce="([^"]*)"/g)].map((m) => m[1]);
const session = async () => (await sessionCookie.serialize("a-session-token")).split(";")[0];
const lng = async (l: "ar" | "en") => (await localeCookie.serialize(l)).split(";")[0];

describe("the anonymous page cache", () => {
  it("renders a donor page once, then answers it from the cache with the same page, headers and a fresh nonce each time", async () => {
    const s = await start();
    const first = await s.get("/needs?page=2");
    const second = await s.get("/needs?page=2");
    const third = await s.get("/needs?page=2");
    expect([first.cache, second.cache, third.cache]).toEqual(["miss", "hit", "hit"]);
    expect(s.renders).toEqual(["/needs?page=2"]);
    const strip = (html: string) => html.replace(/ nonce="[^"]*"/g, "");
    expect(strip(second.html)).toBe(strip(first.html));
    const nonces = [first, second, third].map((r) => policyNonce(r.headers.get("content-security-policy")));
    expect(new Set(nonces).size).toBe(3);
    for (const [i, r] of [first, second, third].entries()) expect(scriptNonces(r.html)).toEqual([nonces[i], nonces[i]]);
    expect(second.headers.get("content-security-policy")).toBe(contentSecurityPolicy({ nonce: nonces[1]! }));
    for (const name of ["cache-control", "vary", "etag", "x-frame-options", "content-type"]) {
      expect(second.headers.get(name), name).toBe(first.headers.get(name));
    }
    expect(Number(second.headers.get("content-length"))).toBe(Buffer.byteLength(second.html));
  });

  it("answers 304 from the cache when the browser has the page (If-None-Match), without a body or policy", async () => {
    const s = await start();
    const first = await s.get("/needs/N-1");
    const again = await s.get("/needs/N-1", { "if-none-match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
    expect(again.cache).toBe("hit");
    expect(again.html).toBe("");
    expect(again.headers.get("content-security-policy")).toBeNull();
    expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(s.renders.length).toBe(1);
  });

  it("compresses a hit for a browser that asks for gzip, the same page", async () => {
    const s = await start();
    await s.get("/");
    const res = await fetch(s.base + "/", { headers: { "accept-encoding": "gzip" } });
    expect(res.headers.get("x-page-cache")).toBe("hit");
    // fetch decodes gzip itself: the page is whole, and its nonces match the policy.
    const html = await res.text();
    expect(html).toContain("render 1 of /");
    const nonce = policyNonce(res.headers.get("content-security-policy"));
    expect(scriptNonces(html)).toEqual([nonce, nonce]);
    expect(res.headers.get("content-encoding")).toBe("gzip");
  });

  it("keeps an entry no longer than the TTL", async () => {
    const s = await start();
    await s.get("/orgs/bayader");
    clock += 2_999;
    expect((await s.get("/orgs/bayader")).cache).toBe("hit");
    clock += 1;
    const later = await s.get("/orgs/bayader");
    expect(later.cache).toBe("miss");
    expect(later.html).toContain("render 2 of");
  });

  it("never serves a signed-in request from the cache nor stores its page", async () => {
    const s = await start();
    await s.get("/needs");
    const cookie = await session();
    const signedIn = await s.get("/needs", { cookie });
    expect(signedIn.cache).toBe("bypass");
    expect(signedIn.html).toContain("render 2 of /needs");
    // The signed-in render was not stored: anonymous visitors still get render 1…
    expect((await s.get("/needs")).html).toContain("render 1 of /needs");
    // …and a signed-in first visit stores nothing.
    const other = await s.get("/needs/N-9", { cookie: `${await lng("en")}; ${cookie}` });
    expect(other.cache).toBe("bypass");
    const anonymous = await s.get("/needs/N-9", { cookie: await lng("en") });
    expect(anonymous.cache).toBe("miss");
    expect(s.cache!.size).toBe(2);
  });

  it("keeps the languages apart: the lng cookie and Accept-Language choose the entry", async () => {
    const s = await start();
    const ar = await s.get("/needs", { cookie: await lng("ar") });
    const en = await s.get("/needs", { cookie: await lng("en") });
    expect([ar.cache, en.cache]).toEqual(["miss", "miss"]);
    expect(ar.html).toContain('lang="ar"');
    expect(en.html).toContain('lang="en"');
    // Accept-Language English without a cookie is the English entry; no header at all is Arabic (the default).
    const header = await s.get("/needs", { "accept-language": "en-US,en;q=0.9" });
    expect(header.cache).toBe("hit");
    expect(header.html).toContain('lang="en"');
    const none = await s.get("/needs");
    expect(none.cache).toBe("hit");
    expect(none.html).toContain('lang="ar"');
    expect(s.renders.length).toBe(2);
  });

  it("stores only a 200 HTML page the app marked public that sets no cookie", async () => {
    const answers: Record<string, Rendered> = {
      "/needs/cookie": { setCookie: "lng=x; Path=/" },
      "/needs/missing": { status: 404, cacheControl: "private, no-store" },
      "/needs/private": { cacheControl: "private, no-store" },
      "/needs/json": { contentType: "application/json" },
      "/needs/gone": { status: 410 },
    };
    const s = await start((req) => answers[req.path] ?? {});
    for (const path of Object.keys(answers)) {
      await s.get(path);
      const again = await s.get(path);
      expect(again.cache, path).toBe("miss");
    }
    expect(s.cache!.size).toBe(0);
  });

  it("leaves non-donor paths and data requests alone", async () => {
    const s = await start();
    for (const path of ["/staff/x", "/needs/N-1/pledge", "/needs.data", "/needs/N-1.data", "/needs?_data=routes%2Fneeds._index", "/bench/trivial", "/needs/"]) {
      await s.get(path);
      const again = await s.get(path);
      expect(again.cache, path).toBeNull();
    }
    expect(s.cache!.size).toBe(0);
    expect(isCacheablePath("/")).toBe(true);
    expect(isCacheablePath("/needs?category=food&_dataset=1")).toBe(true);
    expect(isCacheablePath("/orgs/a/b")).toBe(false);
  });

  it("is emptied by a successful non-GET request before its answer goes out, not by a refused one", async () => {
    const s = await start();
    await s.get("/needs");
    expect((await s.post("/needs/N-1/pledge?status=400")).status).toBe(400);
    expect((await s.get("/needs")).cache).toBe("hit");
    expect((await s.post("/needs/N-1/pledge")).status).toBe(303);
    const after = await s.get("/needs");
    expect(after.cache).toBe("miss");
    expect(after.html).toContain("render 2 of /needs");
  });

  it("is emptied by pageDataChanged (a finished job), and a render begun before that is not stored", async () => {
    const s = await start();
    await s.get("/");
    pageDataChanged();
    expect((await s.get("/")).cache).toBe("miss");
    // A render in flight while the data changes would store what it read before: dropped.
    s.control.hold = true;
    const slow = s.get("/needs");
    await new Promise((r) => setTimeout(r, 50));
    pageDataChanged();
    s.release();
    expect((await slow).cache).toBe("miss");
    expect((await s.get("/needs")).cache).toBe("miss");
    expect((await s.get("/needs")).cache).toBe("hit");
  });

  it("renders a page once when many ask for it at the same time: the others wait and get that render", async () => {
    const s = await start();
    s.control.hold = true;
    const first = s.get("/needs/N-7");
    await new Promise((r) => setTimeout(r, 50));
    const others = [s.get("/needs/N-7"), s.get("/needs/N-7"), s.get("/needs/N-7")];
    await new Promise((r) => setTimeout(r, 50));
    s.release();
    const answers = await Promise.all([first, ...others]);
    expect(answers.map((a) => a.cache)).toEqual(["miss", "hit", "hit", "hit"]);
    expect(s.renders).toEqual(["/needs/N-7"]);
    const nonces = answers.map((a) => policyNonce(a.headers.get("content-security-policy")));
    expect(new Set(nonces).size).toBe(4);
  });

  it("stays within its entry and byte bounds, least recently used out first", async () => {
    const s = await start(() => ({}), { PAGE_CACHE_MAX_ENTRIES: "2" });
    await s.get("/needs/a");
    await s.get("/needs/b");
    expect((await s.get("/needs/a")).cache).toBe("hit"); // a is now the most recent
    await s.get("/needs/c"); // b goes
    expect(s.cache!.size).toBe(2);
    expect((await s.get("/needs/a")).cache).toBe("hit");
    expect((await s.get("/needs/b")).cache).toBe("miss");

    const bytes = new PageCache({ ttlMs: 3_000, maxEntries: 100, maxBytes: 100_000 });
    caches.push(bytes);
    const page = (n: number) => ({
      status: 200,
      headers: [["Content-Type", "text/html"], ["Cache-Control", "public, max-age=60"]] as [string, string][],
      body: Buffer.alloc(n, "x"),
    });
    for (const key of ["1", "2", "3", "4", "5"]) expect(bytes.store(key, page(20_000), bytes.generation)).toBe(true);
    expect(bytes.totalBytes).toBeLessThanOrEqual(100_000);
    expect(bytes.size).toBe(4);
    expect(bytes.lookup("1")).toBeNull();
    expect(bytes.store("big", page(30_000), bytes.generation)).toBe(false); // more than a quarter of the budget
    expect(bytes.store("6", page(20_000), bytes.generation - 1)).toBe(false); // rendered before an invalidation
  });

  it("is off with PAGE_CACHE=off, and refuses a bad setting", async () => {
    expect(pageCacheMiddleware(pageCacheConfig({ PAGE_CACHE: "off" }))).toBeNull();
    const s = await start(() => ({}), { PAGE_CACHE: "off" });
    await s.get("/needs");
    const again = await s.get("/needs");
    expect(again.cache).toBeNull();
    expect(s.renders.length).toBe(2);
    expect(() => pageCacheConfig({ PAGE_CACHE_TTL_MS: "60000" })).toThrow(/PAGE_CACHE_TTL_MS/);
    expect(() => pageCacheConfig({ PAGE_CACHE: "maybe" })).toThrow(/PAGE_CACHE/);
    expect(pageCacheConfig({ PAGE_CACHE: "", PAGE_CACHE_TTL_MS: "" })).toMatchObject({ PAGE_CACHE: "on", PAGE_CACHE_TTL_MS: 3_000 });
  });
});
