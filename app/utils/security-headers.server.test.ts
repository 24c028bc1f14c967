import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { weakEtag } from "./http-cache.server";
import {
  baselineHeaders,
  contentSecurityPolicy,
  createNonce,
  FALLBACK_HTML_CSP,
  isPrivatePath,
  lateHeaders,
  NONCE_PLACEHOLDER,
  privateCacheReason,
  withNonce,
} from "./security-headers.server";

/** The directives of a policy as a map (name → sources). */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((part) => {
      const [name, ...sources] = part.trim().split(/\s+/);
      return [name, sources] as const;
    }),
  );
}

describe("createNonce", () => {
  it("is 16 random bytes in base64, different every time", () => {
    const nonces = new Set(Array.from({ length: 200 }, createNonce));
    expect(nonces.size).toBe(200);
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    }
  });
});

describe("contentSecurityPolicy", () => {
  const nonce = "AAAAAAAAAAAAAAAAAAAAAA==";

  it("allows scripts only by the response's nonce (and what they load), never inline or eval", () => {
    const policy = directives(contentSecurityPolicy({ nonce }));
    expect(policy.get("script-src")).toEqual([`'nonce-${nonce}'`, "'strict-dynamic'", "'self'"]);
    expect(policy.get("script-src-attr")).toEqual(["'none'"]);
    expect(contentSecurityPolicy({ nonce })).not.toMatch(/unsafe-(inline|eval)/);
  });

  it("locks down everything else", () => {
    const policy = directives(contentSecurityPolicy({ nonce }));
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'", "https://checkout.stripe.com"]);
    expect(policy.get("img-src")).toEqual(["'self'", "data:"]);
    expect(policy.get("style-src")).toEqual(["'self'"]);
    expect(policy.get("font-src")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
  });

  it("opens the websocket and inline styles for the Vite dev server only, inline styles for the dev mailbox only", () => {
    const dev = directives(contentSecurityPolicy({ nonce, dev: true }));
    expect(dev.get("connect-src")).toEqual(["'self'", "ws:", "wss:"]);
    expect(dev.get("style-src")).toContain("'unsafe-inline'");
    expect(dev.get("script-src")).not.toContain("'unsafe-inline'");
    const mailbox = directives(contentSecurityPolicy({ nonce, pathname: "/dev/mailbox/abc" }));
    expect(mailbox.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(mailbox.get("connect-src")).toEqual(["'self'"]);
    for (const pathname of ["/", "/needs", "/staff/x", "/dev/mailboxes", "/needs/dev/mailbox"]) {
      expect(directives(contentSecurityPolicy({ nonce, pathname })).get("style-src"), pathname).toEqual(["'self'"]);
    }
  });

  it("refuses a nonce that could break out of the header", () => {
    for (const bad of ["", "short", `${nonce}'; script-src *`, "AAAAAAAAAAAAAAAAAAAAAA== x"]) {
      expect(() => contentSecurityPolicy({ nonce: bad }), bad).toThrow();
    }
  });

  it("the fallback for hand-built HTML allows no script at all", () => {
    const policy = directives(FALLBACK_HTML_CSP);
    expect(policy.get("script-src")).toEqual(["'none'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
  });
});

describe("withNonce (cached pages: ETag over the placeholder, real nonce in the bytes sent)", () => {
  const page = (nonce: string, text = "") =>
    `<!DOCTYPE html><html><body><p>${text}</p><script nonce="${nonce}">(function(){})()</script><script nonce="${nonce}">x()</script></body></html>`;
  const send = (html: string, nonce: string) => withNonce(Buffer.from(html), nonce).toString("utf8");

  it("puts the real nonce on every placeholder attribute (same length: in place; any length: spliced)", () => {
    const nonce = createNonce();
    expect(nonce).toHaveLength(NONCE_PLACEHOLDER.length);
    expect(send(page(NONCE_PLACEHOLDER, "عربي"), nonce)).toBe(page(nonce, "عربي"));
    expect(send(page(NONCE_PLACEHOLDER, "عربي"), "abc=")).toBe(page("abc=", "عربي"));
    expect(send("<p>no script</p>", nonce)).toBe("<p>no script</p>");
  });

  it("the ETag of a page does not depend on the nonce it is sent with; its bytes always carry their own", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.uint8Array({ minLength: 1, maxLength: 32 }), (text, bytes) => {
        const escaped = text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
        const rendered = page(NONCE_PLACEHOLDER, escaped);
        const etag = weakEtag(rendered);
        const nonce = Buffer.from(bytes).toString("base64");
        const sent = send(rendered, nonce);
        expect(weakEtag(page(NONCE_PLACEHOLDER, escaped))).toBe(etag);
        expect(sent).toBe(page(nonce, escaped));
        expect(sent).not.toContain(NONCE_PLACEHOLDER);
      }),
    );
  });

  it("leaves page text that merely mentions the placeholder alone (only attributes change)", () => {
    const html = `<p>${NONCE_PLACEHOLDER} nonce=&quot;${NONCE_PLACEHOLDER}&quot;</p>`;
    expect(send(html, createNonce())).toBe(html);
  });

  it("refuses a nonce that is not base64", () => {
    expect(() => send(page(NONCE_PLACEHOLDER), `"><script>`)).toThrow();
  });
});

describe("baselineHeaders", () => {
  it("always: nosniff, frame denial, referrer policy, permissions policy, COOP; HSTS only in production", () => {
    const dev = new Map(baselineHeaders(false));
    expect(dev.get("X-Content-Type-Options")).toBe("nosniff");
    expect(dev.get("X-Frame-Options")).toBe("DENY");
    expect(dev.get("Referrer-Policy")).toBe("same-origin");
    expect(dev.get("Cross-Origin-Opener-Policy")).toBe("same-origin");
    for (const feature of ["camera=()", "microphone=()", "geolocation=()", "payment=()", "interest-cohort=()"]) {
      expect(dev.get("Permissions-Policy")).toContain(feature);
    }
    expect(dev.has("Strict-Transport-Security")).toBe(false);
    expect(new Map(baselineHeaders(true)).get("Strict-Transport-Security")).toBe("max-age=31536000; includeSubDomains");
  });
});

describe("private caching", () => {
  const session = "tadamon_session=abc123";

  it("every private area is private whoever asks, with or without .data", () => {
    for (const path of [
      "/staff", "/staff/bayader-camps/households/1", "/finance/x", "/admin/organizations", "/account",
      "/account/pledges", "/dev/mailbox", "/login", "/signup", "/logout", "/verify-email", "/forgot-password",
      "/reset-password", "/invites/tok", "/pledges/ABCD-1234", "/receipts/1", "/locale", "/staff/x.data", "/account.data",
    ]) {
      expect(isPrivatePath(path), path).toBe(true);
      expect(privateCacheReason(path, undefined, "public, max-age=60"), path).toBe("area");
    }
    for (const path of ["/", "/needs", "/needs/abc", "/orgs/x", "/needs.data", "/staffing", "/accounts-info", "/healthz"]) {
      expect(isPrivatePath(path), path).toBe(false);
    }
  });

  it("anyone with a session cookie gets private whatever the route said; anonymous public pages keep public", () => {
    expect(privateCacheReason("/needs", `lng=ar; ${session}`, "public, max-age=60")).toBe("session");
    expect(privateCacheReason("/healthz", session, "no-cache")).toBe("session");
    expect(privateCacheReason("/needs", "lng=ar", "public, max-age=60")).toBeNull();
    expect(privateCacheReason("/needs", "tadamon_session=", "public, max-age=60")).toBeNull();
    expect(privateCacheReason("/needs", undefined, "public, max-age=60")).toBeNull();
  });

  it("a response that chose no caching is private by default", () => {
    expect(privateCacheReason("/healthz", undefined, undefined)).toBe("default");
    expect(privateCacheReason("/healthz", undefined, "no-store")).toBeNull();
  });

  it("lateHeaders: private caching where due, the script-less policy on hand-built HTML without one", () => {
    const base = { pathname: "/staff/x/documents/1", cookie: session, cacheControl: "no-store", contentType: "application/pdf", hasCsp: false };
    expect(lateHeaders(base)).toEqual([["Cache-Control", "private, no-store"]]);
    expect(lateHeaders({ ...base, contentType: "text/html; charset=utf-8" })).toEqual([
      ["Cache-Control", "private, no-store"],
      ["Content-Security-Policy", FALLBACK_HTML_CSP],
    ]);
    expect(lateHeaders({ ...base, contentType: "text/html", hasCsp: true })).toHaveLength(1);
    expect(lateHeaders({ ...base, pathname: "/needs", cookie: undefined, cacheControl: "public, max-age=60" })).toEqual([]);
  });
});
