/**
 * A crawl of every route for each kind of person (decision 052):
 * - every response to a signed-in person (pages, `.data` answers, redirects, errors, resource
 *   routes) says `Cache-Control: private, no-store`;
 * - every HTML page has a Content-Security-Policy whose nonce is the nonce of every <script> of
 *   the page (no inline script without it, no inline event handler);
 * - every page that answered 200 loads in Chromium with no CSP violation (and, for the staff app,
 *   hydrates: its module scripts were allowed);
 * - anonymous donor pages keep their public caching and load no script file.
 *
 * The routes are read from app/routes, so a new route is crawled without editing this file. Their
 * parameters come from links followed from each person's own pages; a parameter no link gave
 * (an invitation token, say) gets a made-up value, so the route is still crawled (its 404 page).
 */
import fs from "node:fs";
import type { APIRequestContext, APIResponse, Page } from "@playwright/test";
import { DEMO_PASSWORD, DEMO_USERS, expect, test } from "./fixtures";
import { signIn } from "./helpers";

// ----------------------------------------------------------------------------- the routes

interface Route {
  file: string;
  /** e.g. /staff/:orgSlug/households/:householdId */
  path: string;
  params: string[];
  /** A route with UI (a .tsx module): it also answers `<path>.data`. */
  ui: boolean;
  pattern: RegExp;
  /** Static segments: a static match beats a parameter (households/new vs households/:id). */
  staticCount: number;
}

/** Remix flat-routes file name → URL path. */
export function routePath(file: string): string {
  const name = file.replace(/\.(tsx|ts|jsx|js)$/, "");
  const segments = name.replace(/\[\.\]/g, "\u0000").split(".");
  const out: string[] = [];
  for (const raw of segments) {
    const segment = raw.replace(/\u0000/g, ".");
    if (segment === "_index" || segment.startsWith("_")) continue;
    const clean = segment.replace(/_$/, "");
    out.push(clean.startsWith("$") ? `:${clean.slice(1)}` : clean);
  }
  return `/${out.join("/")}`;
}

const ROUTES: Route[] = (() => {
  const byPath = new Map<string, Route>();
  for (const file of fs.readdirSync("app/routes").sort()) {
    if (!/\.(tsx|ts)$/.test(file) || /\.test\./.test(file)) continue;
    const path = routePath(file);
    const ui = file.endsWith(".tsx");
    const existing = byPath.get(path);
    if (existing) {
      existing.ui ||= ui;
      continue;
    }
    const parts = path.split("/").filter(Boolean);
    byPath.set(path, {
      file,
      path,
      params: parts.filter((p) => p.startsWith(":")).map((p) => p.slice(1)),
      ui,
      pattern: new RegExp(`^/${parts.map((p) => (p.startsWith(":") ? "([^/]+)" : p.replace(/[.]/g, "\\."))).join("/")}/?$`),
      staticCount: parts.filter((p) => !p.startsWith(":")).length,
    });
  }
  return [...byPath.values()];
})();

/** The route a pathname lands on, and its parameters. */
function matchRoute(pathname: string): { route: Route; values: Record<string, string> } | null {
  let best: { route: Route; values: Record<string, string> } | null = null;
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname);
    if (!m) continue;
    if (best && best.route.staticCount >= route.staticCount) continue;
    best = { route, values: Object.fromEntries(route.params.map((p, i) => [p, decodeURIComponent(m[i + 1])])) };
  }
  return best;
}

// ----------------------------------------------------------------------------- the checks

interface Visit {
  url: string;
  status: number;
  html: boolean;
  hydrates: boolean;
}

/** The nonce a policy names for scripts. */
function policyNonce(policy: string): string | undefined {
  return /(?:^|;)\s*script-src\s+[^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
}

/** Every <script> of the page carries the policy's nonce; no inline event handler either. */
function expectScriptsCarryTheNonce(url: string, policy: string, html: string) {
  const nonce = policyNonce(policy);
  const scripts = [...html.matchAll(/<script\b([^>]*)>/gi)].map((m) => /\snonce="([^"]*)"/.exec(m[1])?.[1] ?? "(none)");
  if (nonce) {
    expect(scripts.filter((n) => n !== nonce), `${url}: every <script> carries the policy's nonce`).toEqual([]);
  } else {
    expect(policy, `${url}: a page without a nonce allows no script`).toMatch(/script-src 'none'/);
    expect(scripts, `${url}: and has none`).toEqual([]);
  }
  expect(/script-src[^;]*/.exec(policy)?.[0] ?? "", `${url}: no unsafe script source`).not.toMatch(/unsafe-(inline|eval)/);
  expect(policy, url).toContain("frame-ancestors 'none'");
  expect(policy, url).toContain("object-src 'none'");
  expect(policy, url).toContain("base-uri 'none'");
  expect(html.match(/<[a-z][^>]*\son[a-z]+\s*=/gi) ?? [], `${url}: no inline event handler`).toEqual([]);
}

async function get(request: APIRequestContext, url: string): Promise<APIResponse> {
  return request.get(url, { maxRedirects: 0, failOnStatusCode: false });
}

/** Links of a page (same origin, path only: the crawl never follows a token in a query). */
function linksOf(html: string): string[] {
  const found = new Set<string>();
  for (const m of html.matchAll(/<a\b[^>]*\shref="([^"]*)"/gi)) {
    const href = m[1].replace(/&amp;/g, "&");
    if (!href.startsWith("/") || href.startsWith("//")) continue;
    found.add(new URL(href, "http://x").pathname);
  }
  return [...found];
}

// ----------------------------------------------------------------------------- the crawl

interface Person {
  role: string;
  email: string;
  /** Where the crawl starts (their own pages link onwards). */
  start: string[];
  orgSlug?: string;
}

const user = (prefix: string) => {
  const found = DEMO_USERS.find((u) => u.email.startsWith(`${prefix}@`));
  if (!found) throw new Error(`no demo user ${prefix}`);
  return found;
};
const bayader = "bayader-camps";
const staffStart = [`/staff/${bayader}`, `/finance/${bayader}`, "/account", "/account/pledges", "/dev/mailbox", "/"];
const PEOPLE: Person[] = [
  { role: "caseworker", email: user("bayader.caseworker").email, start: staffStart, orgSlug: bayader },
  { role: "verifier", email: user("bayader.verifier").email, start: staffStart, orgSlug: bayader },
  { role: "finance", email: user("bayader.finance").email, start: staffStart, orgSlug: bayader },
  { role: "org admin", email: user("bayader.admin").email, start: staffStart, orgSlug: bayader },
  { role: "platform admin", email: user("platform.admin").email, start: ["/admin/organizations", ...staffStart] },
  { role: "donor", email: user("donor.beirut").email, start: ["/account", "/account/pledges", "/needs", "/"] },
];

/** Finds one real URL per route by following links from the person's pages. */
async function discover(request: APIRequestContext, start: string[]): Promise<Map<string, string>> {
  const sample = new Map<string, string>(); // route path → a URL
  const queue = [...start];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < 250) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const match = matchRoute(url);
    if (!match) continue;
    if (!sample.has(match.route.path)) sample.set(match.route.path, url);
    const response = await get(request, url);
    if (!(response.headers()["content-type"] ?? "").includes("text/html")) continue;
    for (const link of linksOf(await response.text())) {
      const target = matchRoute(link);
      if (target && !sample.has(target.route.path) && !seen.has(link)) queue.push(link);
    }
  }
  return sample;
}

/** The URL crawled for each route: a discovered one, else the person's org slug and made-up values. */
function urlsFor(person: Person, sample: Map<string, string>) {
  const made: string[] = [];
  const urls = ROUTES.map((route) => {
    const found = sample.get(route.path);
    if (found) return { route, url: found };
    const url = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (name === "orgSlug") return person.orgSlug ?? bayader;
      made.push(`${route.path} (:${name})`);
      return `crawl-made-up-${name}`;
    });
    return { route, url };
  });
  return { urls, made };
}

async function crawlAs(page: Page, person: Person): Promise<{ visits: Visit[]; made: string[] }> {
  await signIn(page, person.email, DEMO_PASSWORD);
  const request = page.request; // the browser context's cookies: signed in
  const sample = await discover(request, person.start);
  const { urls, made } = urlsFor(person, sample);
  const visits: Visit[] = [];
  for (const { route, url } of urls) {
    const response = await get(request, url);
    const headers = response.headers();
    expect(response.status(), `${person.role} ${url}: no server error`).toBeLessThan(500);
    expect(headers["cache-control"], `${person.role} ${url} (${response.status()})`).toBe("private, no-store");
    const html = (headers["content-type"] ?? "").includes("text/html");
    let hydrates = false;
    if (html) {
      const policy = headers["content-security-policy"] ?? "";
      expect(policy, `${person.role} ${url}: an HTML page has a policy`).not.toBe("");
      const body = await response.text();
      expectScriptsCarryTheNonce(`${person.role} ${url}`, policy, body);
      hydrates = /<script[^>]*type="module"/.test(body);
    }
    visits.push({ url, status: response.status(), html, hydrates });
    if (route.ui) {
      const dataUrl = url === "/" ? "/_root.data" : `${url.replace(/\/$/, "")}.data`;
      const data = await get(request, dataUrl);
      expect(data.status(), `${person.role} ${dataUrl}: no server error`).toBeLessThan(500);
      expect(data.headers()["cache-control"], `${person.role} ${dataUrl} (${data.status()})`).toBe("private, no-store");
    }
  }
  return { visits, made };
}

/**
 * Loads each page that answered 200 in Chromium: no CSP violation (Chromium reports each on the
 * console; the fixture fails the test on any console error too); staff pages hydrate. (An init
 * script listening for `securitypolicyviolation` would itself be refused in the dev mailbox's
 * sandboxed srcdoc frame, so the console is the witness.)
 */
async function loadInBrowser(page: Page, visits: Visit[]) {
  let violations: string[] = [];
  page.on("console", (msg) => {
    if (/Content Security Policy/i.test(msg.text())) violations.push(msg.text());
  });
  for (const visit of visits.filter((v) => v.html && v.status === 200)) {
    violations = [];
    const response = await page.goto(visit.url, { waitUntil: "load" });
    expect(response?.status(), visit.url).toBe(200);
    if (visit.hydrates) {
      await page.waitForFunction(() => Boolean((window as unknown as { __remixRouter?: unknown }).__remixRouter), null, {
        timeout: 10_000,
      });
    }
    expect(violations, `${visit.url}: no CSP violation`).toEqual([]);
  }
}

const coverage: string[] = [];

test.describe("security headers crawl", () => {
  test.describe.configure({ timeout: 240_000 });

  for (const person of PEOPLE) {
    test(`signed in as ${person.role}: every route is private, no-store; every page's scripts carry its nonce; no CSP violation`, async ({
      page,
      consoleErrors,
    }) => {
      // Playwright's trace snapshotter injects a script into the dev mailbox's sandboxed srcdoc
      // frame; Chromium refuses it (with or without our CSP). Not the page's script, not a CSP report.
      consoleErrors.allow(/^console\.error: Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/);
      const { visits, made } = await crawlAs(page, person);
      // The crawl reached every route (a route missing here means the route list is wrong).
      expect(visits).toHaveLength(ROUTES.length);
      expect(visits.filter((v) => v.html && v.status === 200).length, "pages that answered 200").toBeGreaterThan(8);
      const ok = visits.filter((v) => v.status === 200).length;
      const line = `${person.role}: ${visits.length} routes (${ok} × 200, ${visits.length - ok} other: ${visits
        .filter((v) => v.status !== 200)
        .map((v) => `${v.url} ${v.status}`)
        .join(", ")}); made-up parameters: ${made.join(", ") || "none"}`;
      coverage.push(line);
      test.info().annotations.push({ type: "coverage", description: line });
      await loadInBrowser(page, visits);
    });
  }

  test("anonymous donor pages keep public caching and an ETag, load no script file, and only the nonce'd enhancement", async ({
    request,
    page,
  }) => {
    const listing = await (await get(request, "/needs")).text();
    const needUrl = linksOf(listing).find((l) => matchRoute(l)?.route.path === "/needs/:publicId");
    const orgUrl = linksOf(listing).find((l) => matchRoute(l)?.route.path === "/orgs/:slug") ?? `/orgs/${bayader}`;
    expect(needUrl, "the listing links to a need").toBeTruthy();
    for (const url of ["/", "/needs", needUrl!, orgUrl]) {
      const response = await get(request, url);
      const headers = response.headers();
      expect(response.status(), url).toBe(200);
      expect(headers["cache-control"], url).toBe("public, max-age=60, stale-while-revalidate=300");
      expect(headers["etag"], url).toMatch(/^W\//);
      const html = await response.text();
      const policy = headers["content-security-policy"] ?? "";
      expectScriptsCarryTheNonce(url, policy, html);
      expect(html.match(/<script\b/g) ?? [], `${url}: one inline script`).toHaveLength(1);
      expect(html, url).not.toMatch(/<script[^>]*\ssrc=|rel="modulepreload"/);
      // A revalidation: 304, same caching, no policy (the browser keeps the stored one).
      const again = await request.get(url, { headers: { "if-none-match": headers["etag"] }, failOnStatusCode: false });
      expect(again.status(), url).toBe(304);
      expect(again.headers()["content-security-policy"], url).toBeUndefined();
    }
    // Other anonymous pages: sign-in pages are private whoever asks; every page has the headers.
    for (const url of ["/login", "/signup", "/forgot-password", `${needUrl}/pledge`]) {
      const response = await get(request, url);
      expect(response.headers()["cache-control"], url).toBe("private, no-store");
      expectScriptsCarryTheNonce(url, response.headers()["content-security-policy"] ?? "", await response.text());
    }
    const baseline = (await get(request, "/needs")).headers();
    expect(baseline["permissions-policy"]).toContain("camera=()");
    expect(baseline["cross-origin-opener-policy"]).toBe("same-origin");
    expect(baseline["x-frame-options"]).toBe("DENY");
    expect(baseline["x-content-type-options"]).toBe("nosniff");
    const asset = /href="(\/assets\/[^"]+\.css)"/.exec(listing)?.[1];
    expect(asset, "the page links its stylesheet").toBeTruthy();
    expect((await get(request, asset!)).headers()["cache-control"]).toContain("immutable");

    // In Chromium: no script file requested, the enhancement runs (its buttons are shown), no violation.
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(r.url());
    });
    await loadInBrowser(page, [{ url: needUrl!, status: 200, html: true, hydrates: false }]);
    expect(scripts).toEqual([]);
    await expect(page.locator("[data-js-only]").first()).toBeVisible();
  });

  test.afterAll(() => {
    if (coverage.length) console.log(`headers crawl coverage (${ROUTES.length} routes from app/routes):\n${coverage.join("\n")}`);
  });
});
