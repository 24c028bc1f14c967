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

/** Only same-site relative paths may be redirected to (no open redirects). */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (!to || typeof to !== "string") return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

/** Origin for emailed links: APP_URL when set, else the request's own origin. */
export function appOrigin(request: Request, appUrl?: string): string {
  if (appUrl) return appUrl.replace(/\/$/, "");
  return new URL(request.url).origin;
}
