/**
 * Security headers (docs/decisions/052-content-security-policy-and-private-caching.md):
 * - a Content-Security-Policy with a per-request nonce on every HTML page the app renders
 *   (`contentSecurityPolicy`, set by app/entry.server.tsx);
 * - a strict script-less policy for any other HTML a route answers by hand (`FALLBACK_HTML_CSP`);
 * - the headers every response carries (`baselineHeaders`, set by server.js);
 * - `Cache-Control: private, no-store` for anyone signed in and for every private area, whoever
 *   asks (`privateCacheReason`, applied by entry.server.tsx and, for redirects and resource
 *   routes that never reach it, by server.js).
 * Everything here is pure (no request state beyond its arguments) so it is unit-tested and shared
 * by the Remix entry and the plain-JavaScript server.
 */
import { randomBytes } from "node:crypto";
import { hasSessionCookie, PRIVATE_CACHE_CONTROL } from "./http-cache.server";

/** 16 random bytes in base64: a fresh nonce for one response. */
export function createNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * The nonce a cacheable page is rendered with, so its bytes (and ETag) do not change from one
 * request to the next; `withNonce` swaps it for the response's real nonce before sending. Letters
 * only (valid base64), and a string no page would write in a `nonce="…"` attribute of its own.
 */
export const NONCE_PLACEHOLDER = "TadamonNoncePlaceholder0";
const PLACEHOLDER_ATTRIBUTE = ` nonce="${NONCE_PLACEHOLDER}"`;

/**
 * Replaces every `nonce="<placeholder>"` attribute of rendered HTML with the real nonce, on the
 * bytes (no UTF-8 decoding): in place when the lengths match (a 16-byte nonce is 24 characters,
 * like the placeholder), else by splicing. Returns the buffer to send.
 */
export function withNonce(html: Buffer<ArrayBuffer>, nonce: string): Buffer<ArrayBuffer> {
  if (!/^[A-Za-z0-9+/=]+$/.test(nonce)) throw new Error("A nonce is base64");
  const needle = Buffer.from(PLACEHOLDER_ATTRIBUTE, "latin1");
  const replacement = Buffer.from(` nonce="${nonce}"`, "latin1");
  const positions: number[] = [];
  for (let at = html.indexOf(needle); at !== -1; at = html.indexOf(needle, at + needle.length)) positions.push(at);
  if (replacement.length === needle.length) {
    for (const at of positions) replacement.copy(html, at);
    return html;
  }
  const parts: Buffer<ArrayBuffer>[] = [];
  let from = 0;
  for (const at of positions) {
    parts.push(html.subarray(from, at), replacement);
    from = at + needle.length;
  }
  parts.push(html.subarray(from));
  return Buffer.concat(parts);
}

export interface CspOptions {
  nonce: string;
  /** The Vite dev server (`npm run dev`): its HMR websocket and Remix's inline critical CSS. */
  dev?: boolean;
  /** The page's path: the dev mailbox shows emails (inline styles) in a srcdoc frame. */
  pathname?: string;
}

/** Where a form may post, redirects included (Chrome checks form-action on the redirect chain). */
export const FORM_ACTION = ["'self'", "https://checkout.stripe.com"];

/** The Content-Security-Policy of an HTML page rendered by the app. */
export function contentSecurityPolicy({ nonce, dev = false, pathname = "/" }: CspOptions): string {
  if (!/^[A-Za-z0-9+/]{16,}={0,2}$/.test(nonce)) throw new Error("A CSP nonce is at least 16 base64 characters");
  // An email's HTML (React Email) is all inline styles; the dev mailbox never runs in production.
  const inlineStyles = dev || /^\/dev\/mailbox(\/|$)/.test(pathname);
  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    // The nonce'd inline scripts (Remix's context and module loader, scroll restoration, the donor
    // pages' enhancement) may load further scripts ('strict-dynamic'): the entry module, its
    // imports and route chunks. 'self' only serves browsers without CSP 3 (they ignore
    // 'strict-dynamic'); CSP 3 browsers ignore 'self' once 'strict-dynamic' is present.
    ["script-src", `'nonce-${nonce}'`, "'strict-dynamic'", "'self'"],
    ["script-src-attr", "'none'"],
    ["style-src", "'self'", ...(inlineStyles ? ["'unsafe-inline'"] : [])],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...(dev ? ["ws:", "wss:"] : [])],
    ["object-src", "'none'"],
    ["base-uri", "'none'"],
    ["frame-ancestors", "'none'"],
    ["form-action", ...FORM_ACTION],
  ];
  return directives.map((d) => d.join(" ")).join("; ");
}

/**
 * HTML that a route builds by hand (a refusal page, never through React) gets no nonce and so no
 * script at all; its few inline styles are harmless without scripts.
 */
export const FALLBACK_HTML_CSP = [
  "default-src 'self'",
  "script-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  `form-action ${FORM_ACTION.join(" ")}`,
].join("; ");

/**
 * Powerful browser features no page of ours uses. Card payments leave for Stripe Checkout's own
 * page (a redirect), so `payment` stays off here too.
 */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "usb=()",
  "browsing-topics=()",
  "interest-cohort=()",
].join(", ");

export const HSTS = "max-age=31536000; includeSubDomains";

/** The headers every response carries (HSTS only in production, where the site is on HTTPS). */
export function baselineHeaders(production: boolean): [string, string][] {
  return [
    ["X-Content-Type-Options", "nosniff"],
    ["X-Frame-Options", "DENY"],
    // Keeps emailed tokens in URLs from leaking to other sites.
    ["Referrer-Policy", "same-origin"],
    ["Permissions-Policy", PERMISSIONS_POLICY],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ...(production ? ([["Strict-Transport-Security", HSTS]] as [string, string][]) : []),
  ];
}

/** Areas that are private whoever asks: staff, finance, admin, account, sign-in, dev tools. */
const PRIVATE_PATH =
  /^\/(staff|finance|admin|account|dev|login|signup|logout|verify-email|forgot-password|reset-password|invites|pledges|receipts|locale)(\/|\.data$|$)/;

export function isPrivatePath(pathname: string): boolean {
  return PRIVATE_PATH.test(pathname);
}

/**
 * Why a response must say `private, no-store`, or null when the route's own choice stands:
 * "session" for anyone carrying a session cookie (valid or not: checking costs a query, and a
 * stale cookie loses nothing by not being cached), "area" for a private area, "default" for a
 * response that chose nothing (only a route that says `public` is ever cached).
 */
export function privateCacheReason(
  pathname: string,
  cookieHeader: string | null | undefined,
  cacheControl: string | null | undefined,
): "session" | "area" | "default" | null {
  if (cookieHeader && hasSessionCookie(new Request("http://x/", { headers: { cookie: cookieHeader } }))) return "session";
  if (isPrivatePath(pathname)) return "area";
  if (!cacheControl) return "default";
  return null;
}

/** Sets `private, no-store` on `headers` when `privateCacheReason` says so. */
export function enforcePrivateCaching(request: Request, headers: Headers): void {
  const reason = privateCacheReason(new URL(request.url).pathname, request.headers.get("cookie"), headers.get("Cache-Control"));
  if (reason) headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
  if (reason && reason !== "default") headers.delete("ETag");
}

/**
 * The headers server.js sets just before a response's head goes out (for responses that never
 * reach app/entry.server.tsx: redirects, resource routes, the refusals of server.js itself).
 * Static files (`/assets/*`, files of build/client) keep their own caching.
 */
export function lateHeaders(args: {
  pathname: string;
  cookie: string | undefined;
  cacheControl: string | undefined;
  contentType: string | undefined;
  hasCsp: boolean;
}): [string, string][] {
  const out: [string, string][] = [];
  if (privateCacheReason(args.pathname, args.cookie, args.cacheControl)) out.push(["Cache-Control", PRIVATE_CACHE_CONTROL]);
  if (!args.hasCsp && /^\s*text\/html\b/i.test(args.contentType ?? "")) out.push(["Content-Security-Policy", FALLBACK_HTML_CSP]);
  return out;
}
