/**
 * HTTP caching of the public pages (docs/decisions/030-public-http-caching.md). A visitor without
 * a session cookie sees exactly what every other anonymous visitor sees in their language, so the
 * page may be cached briefly by the browser and any shared cache; anyone signed in gets
 * `private, no-store`. The loader decides (only it sees the request); the route's `headers`
 * export passes the decision on; app/entry.server.tsx adds the ETag and answers 304.
 */
import { createHash } from "node:crypto";
import type { HeadersFunction } from "@remix-run/node";
import { sessionCookie } from "./auth.server";

export const PUBLIC_CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300";
export const PRIVATE_CACHE_CONTROL = "private, no-store";
/** The page differs by session and language cookie, and by Accept-Language when there is no cookie. */
export const PUBLIC_VARY = "Cookie, Accept-Language";

/** Whether the request carries a (non-empty) session cookie. */
export function hasSessionCookie(request: Request): boolean {
  const header = request.headers.get("cookie");
  if (!header) return false;
  return header.split(";").some((part) => {
    const [name, ...rest] = part.trim().split("=");
    return name === sessionCookie.name && rest.join("=").trim() !== "";
  });
}

/** The caching headers a public loader returns (read back by `publicHeaders`). */
export function publicCacheHeaders(request: Request): Headers {
  return new Headers({
    "Cache-Control": hasSessionCookie(request) ? PRIVATE_CACHE_CONTROL : PUBLIC_CACHE_CONTROL,
    Vary: PUBLIC_VARY,
  });
}

/** The `headers` export of a public route: the loader's decision; errors are never cached. */
export const publicHeaders: HeadersFunction = ({ loaderHeaders, errorHeaders }) => {
  if (errorHeaders) return { "Cache-Control": PRIVATE_CACHE_CONTROL, Vary: PUBLIC_VARY };
  return {
    "Cache-Control": loaderHeaders.get("Cache-Control") ?? PRIVATE_CACHE_CONTROL,
    Vary: loaderHeaders.get("Vary") ?? PUBLIC_VARY,
  };
};

/** Whether a response with these headers may be cached by shared caches (and so given an ETag). */
export function isPublicCacheable(method: string, status: number, headers: Headers): boolean {
  return (
    (method === "GET" || method === "HEAD") &&
    status === 200 &&
    /^\s*public\b/i.test(headers.get("Cache-Control") ?? "") &&
    !headers.has("Set-Cookie")
  );
}

/** A weak validator from the body's bytes. */
export function weakEtag(body: string | Uint8Array): string {
  return `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** If-None-Match matches (weak comparison, a list or `*`). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}
