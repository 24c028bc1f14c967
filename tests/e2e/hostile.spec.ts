import { test, expect, DEMO_PASSWORD, DEMO_USERS } from "./fixtures";

/**
 * Hostile requests against the real server.js (decision 051): wrong origins are refused (403),
 * bodies that are not forms or are empty get 415/400, a huge list index is refused quickly (400),
 * a NUL in a field is refused (400), and a redirect target never leaves the site.
 */
const FORM = { "content-type": "application/x-www-form-urlencoded" };

async function publicNeedPath(request: import("@playwright/test").APIRequestContext) {
  const html = await (await request.get("/needs")).text();
  const id = /href="\/needs\/([A-Za-z0-9_-]+)"/.exec(html)?.[1];
  expect(id, "a published demo need").toBeTruthy();
  return `/needs/${id}/pledge`;
}

test.describe("hostile requests", () => {
  test("an Origin other than ours is refused with 403; no Origin is let through", async ({ request, baseURL }) => {
    const own = new URL(baseURL!);
    const wrongScheme = `https://${own.host}`;
    const wrongPort = `${own.protocol}//${own.hostname}:${Number(own.port || 80) + 1}`;
    for (const origin of ["null", wrongScheme, wrongPort, "https://evil.example"]) {
      const res = await request.post("/login", { headers: { ...FORM, origin }, data: "email=a%40b.c&password=x" });
      expect(res.status(), origin).toBe(403);
    }
    const crossSite = await request.post("/login", { headers: { ...FORM, "sec-fetch-site": "cross-site" }, data: "email=a%40b.c&password=x" });
    expect(crossSite.status()).toBe(403);
    const noOrigin = await request.post("/login", { headers: FORM, data: "email=a%40b.c&password=x", maxRedirects: 0 });
    expect(noOrigin.status()).toBe(400); // the form's own answer: wrong credentials
    const sameOrigin = await request.post("/login", { headers: { ...FORM, origin: own.origin }, data: "email=a%40b.c&password=x" });
    expect(sameOrigin.status()).toBe(400);
  });

  test("a body that is not a form is 415, an empty one 400", async ({ request }) => {
    const json = await request.post("/login", { headers: { "content-type": "application/json" }, data: '{"email":"a@b.c"}' });
    expect(json.status()).toBe(415);
    const text = await request.post("/signup", { headers: { "content-type": "text/plain" }, data: "email=a@b.c" });
    expect(text.status()).toBe(415);
    const empty = await request.post("/login", { headers: FORM, data: "" });
    expect(empty.status()).toBe(400);
  });

  test("a huge list index is refused with 400 well under a second, on login, signup and a pledge form", async ({ request }) => {
    for (const path of ["/login", "/signup", await publicNeedPath(request)]) {
      const started = Date.now();
      const res = await request.post(path, { headers: FORM, data: "junk[10000000]=1&a[0][99999]=2" });
      const took = Date.now() - started;
      expect(res.status(), path).toBe(400);
      expect(took, `${path} answered in ${took} ms`).toBeLessThan(500);
    }
  });

  test("a NUL in a field is refused with 400 and a localized page saying why", async ({ request }) => {
    const res = await request.post("/login", { headers: { ...FORM, cookie: "lng=en" }, data: "email=a%00%40b.c&password=x" });
    expect(res.status()).toBe(400);
    const html = await res.text();
    expect(html).toContain("refusal-reason");
  });

  test("redirectTo never leaves the site, and CR/LF never makes a header", async ({ request }) => {
    const user = DEMO_USERS.find((u) => !u.isPlatformAdmin)!;
    const login = await request.post("/login", { headers: FORM, form: { email: user.email, password: DEMO_PASSWORD }, maxRedirects: 0 });
    expect(login.status()).toBe(302);
    for (const target of ["%2F%09%2Fevil.example", "%2F%2Fevil.example", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example"]) {
      const res = await request.get(`/login?redirectTo=${target}`, { maxRedirects: 0 });
      expect(res.status(), target).toBe(302);
      expect(res.headers()["location"], target).toBe("/");
    }
    const crlf = await request.get("/login?redirectTo=%2Fx%0D%0ASet-Cookie:%20owned=1", { maxRedirects: 0 });
    expect(crlf.status()).toBeLessThan(500);
    expect(crlf.headers()["location"]).toBe("/");
    expect(crlf.headersArray().filter((h) => h.name.toLowerCase() === "set-cookie").map((h) => h.value).join("\n")).not.toContain("owned");
    const kept = await request.get("/login?redirectTo=%2Faccount", { maxRedirects: 0 });
    expect(kept.headers()["location"]).toBe("/account");
  });
});
