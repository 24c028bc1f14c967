/**
 * The client's IP: server.js overwrites `x-tadamon-client-ip` with the address Express resolved
 * (honouring TRUST_PROXY), so a client cannot forge it. Under the Vite dev server it is absent.
 */
export function getClientIp(request: Request): string {
  return request.headers.get("x-tadamon-client-ip") ?? "127.0.0.1";
}

export function getUserAgent(request: Request): string | null {
  return request.headers.get("user-agent")?.slice(0, 400) ?? null;
}

const REDIRECT_BASE = "http://x.invalid";
/** Any C0/C1 control character or whitespace that browsers strip or fold inside URLs. */
const UNSAFE_RAW = /[\u0000-\u0020\u007F-\u009F\u00A0\u1680\u2000-\u200F\u2028\u2029\u202F\u205F\u3000\uFEFF\\]/;
/** The same, percent-encoded: C0 (%00–%1F), DEL, C1 in UTF-8 (%C2%80–%C2%9F) and backslash (%5C). */
const UNSAFE_ENCODED = /%(?:[01][0-9a-f]|7f|5c)|%c2%[89][0-9a-f]/i;
const MAX_REDIRECT_LENGTH = 2_048;

/**
 * The one judge of a redirect target taken from a request (`redirectTo`, `returnTo`, a form's
 * hidden field). Only a same-origin path is kept: it starts with exactly one "/" followed by a
 * character other than "/" and "\\" (or is exactly "/"), has no backslash and no control character
 * raw or percent-encoded, no encoded "/" or "\\" right after the leading slash, and still resolves
 * to the same origin when a browser would parse it. Anything else gives `fallback`.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (to.length > MAX_REDIRECT_LENGTH) return fallback;
  if (to === "/") return to;
  if (to[0] !== "/" || to[1] === "/" || to[1] === "\\") return fallback;
  if (UNSAFE_RAW.test(to) || UNSAFE_ENCODED.test(to)) return fallback;
  if (/^\/%(2f|5c)/i.test(to)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (resolved.origin !== REDIRECT_BASE) return fallback;
  // A decoded path that a later hop could read as scheme-relative is refused too.
  let decoded: string;
  try {
    decoded = decodeURIComponent(resolved.pathname);
  } catch {
    return fallback;
  }
  if (decoded.startsWith("//") || decoded.includes("\\")) return fallback;
  return to;
}

/** Origin for emailed links: APP_URL when set, else the request's own origin. */
export function appOrigin(request: Request, appUrl?: string): string {
  if (appUrl) return appUrl.replace(/\/$/, "");
  return new URL(request.url).origin;
}
