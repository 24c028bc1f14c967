// Content-Security-Policy and caching through the real app/entry.server.tsx (decision 052):
// every page names a fresh nonce that its inline scripts carry; a cacheable page keeps one ETag
// whatever the nonce, and a 304 sends no policy (the browser keeps the one stored with its body).
import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { sessionCookieHeader } from "~/utils/auth.server";
import { localeCookie } from "~/utils/i18next.server";
import { createSession } from "~/modules/identity/session.server";
import { NONCE_PLACEHOLDER } from "~/utils/security-headers.server";
import { needsWorld } from "../fixtures/needs";
import { serve } from "../fixtures/public-app";

const lngCookie = async (lng: "ar" | "en") => (await localeCookie.serialize(lng)).split(";")[0];

/** The nonce a policy names, and the nonce attribute of every <script> of the page. */
function nonces(response: Response, html: string) {
  const policy = response.headers.get("content-security-policy") ?? "";
  const named = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(policy)?.[1];
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => /\bnonce="([^"]*)"/.exec(m[1])?.[1] ?? null);
  return { policy, named, scripts };
}

describe("Content-Security-Policy with a per-request nonce", () => {
  it("a cacheable donor page: a new nonce on every response, the same ETag, a 304 without a policy", async () => {
    for (const path of ["/", "/needs"]) {
      const cookie = await lngCookie("ar");
      const first = await serve(path, { cookie });
      const firstHtml = await first.text();
      const a = nonces(first, firstHtml);
      expect(first.status, path).toBe(200);
      expect(first.headers.get("cache-control"), path).toMatch(/^public/);
      expect(a.named, path).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(/script-src[^;]*/.exec(a.policy)?.[0]).not.toMatch(/unsafe-(inline|eval)/);
      expect(a.policy).toContain("frame-ancestors 'none'");
      // The donor page's only script is the inline enhancement, and it carries the nonce.
      expect(a.scripts, path).toEqual([a.named]);
      expect(firstHtml).not.toContain(NONCE_PLACEHOLDER);

      const second = await serve(path, { cookie });
      const secondHtml = await second.text();
      const b = nonces(second, secondHtml);
      expect(b.named).not.toBe(a.named);
      expect(b.scripts).toEqual([b.named]);
      expect(second.headers.get("etag")).toBe(first.headers.get("etag"));
      expect(secondHtml.replaceAll(b.named!, "N")).toBe(firstHtml.replaceAll(a.named!, "N"));

      const revalidated = await serve(path, { cookie, "if-none-match": first.headers.get("etag")! });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get("content-security-policy")).toBeNull();
      expect(revalidated.headers.get("cache-control")).toMatch(/^public/);
    }
  });

  it("a signed-in visitor: private, no-store, and a policy whose nonce every script carries", async () => {
    const world = await needsWorld();
    const { token } = await createSession(await getDb(), world.author.id);
    const cookie = (await sessionCookieHeader(token)).split(";")[0];
    const response = await serve("/needs", { cookie });
    const html = await response.text();
    const { named, scripts } = nonces(response, html);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(named).toBeTruthy();
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((n) => n === named)).toBe(true);
  });

  it("an error page (unknown address) has the policy too, and is never cached", async () => {
    const response = await serve("/no-such-page");
    const html = await response.text();
    const { named, scripts } = nonces(response, html);
    expect(response.status).toBe(404);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(named).toBeTruthy();
    expect(scripts).toEqual([named]);
  });
});
