import { resources } from "~/locales";
/**
 * A screen every request passes before any loader or action (server.js calls it through the
 * build's exports; readForm calls it too). Pure and cheap: it looks at the method, the URL and
 * the headers only, never the body. Returns null (pass) or the status and a short reason.
 * See docs/decisions/051-one-form-parser-and-request-screening.md.
 */
export interface Refusal {
  status: number;
  message: string;
}

export const MAX_URL_LENGTH = 8_192;
export const MAX_QUERY_PARAMS = 100;
export const MAX_QUERY_VALUE_LENGTH = 2_048;

/** C0 controls (TAB, LF and CR included: none belongs in a URL), DEL, C1 controls, lone surrogates. */
const URL_FORBIDDEN =
  /[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** In a query value: the same, except TAB, LF and CR. */
const VALUE_FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Decodes one percent-encoded URL component; null when the escapes are not valid UTF-8. */
export function decodeComponent(raw: string): string | null {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " "));
  } catch {
    return null;
  }
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return Array.isArray(value) ? value.join(", ") : (value ?? null);
}

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const FORM_TYPE = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i;

/**
 * `headers` may be a fetch Headers or Node's lower-cased header object (server.js).
 * A POST/PUT/PATCH/DELETE outside /webhooks/ must carry a form body: Content-Length 0 → 400,
 * any other content type → 415 (the webhook verifies its own JSON body and signature).
 */
export function screenRequest(method: string, url: string, headers: HeaderBag): Refusal | null {
  if (url.length > MAX_URL_LENGTH) return { status: 414, message: "URI Too Long" };
  let pathname: string;
  let search: string;
  try {
    const parsed = new URL(url, "http://x.invalid");
    pathname = parsed.pathname;
    search = parsed.search.slice(1);
  } catch {
    return { status: 400, message: "Bad Request: malformed URL" };
  }
  const path = decodeComponent(pathname.replace(/\+/g, "%2B"));
  if (path === null || URL_FORBIDDEN.test(path)) return { status: 400, message: "Bad Request: malformed path" };
  if (MUTATIONS.has(method.toUpperCase()) && !pathname.startsWith("/webhooks/")) {
    const length = header(headers, "content-length");
    const type = header(headers, "content-type");
    if (type && !FORM_TYPE.test(type)) return { status: 415, message: "Unsupported Media Type: send a form" };
    if (length !== null && length.trim() === "0") return { status: 400, message: "Bad Request: empty body" };
    if (!type && length !== null) return { status: 415, message: "Unsupported Media Type: send a form" };
  }
  if (search === "") return null;
  const pairs = search.split("&");
  if (pairs.length > MAX_QUERY_PARAMS) return { status: 400, message: "Bad Request: too many query parameters" };
  for (const pair of pairs) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    if (rawValue.length > MAX_QUERY_VALUE_LENGTH * 3 || rawName.length > 200 * 3) {
      return { status: 414, message: "URI Too Long: query parameter too long" };
    }
    const name = decodeComponent(rawName);
    const value = decodeComponent(rawValue);
    if (name === null || value === null) return { status: 400, message: "Bad Request: malformed query string" };
    if (value.length > MAX_QUERY_VALUE_LENGTH || name.length > 200) {
      return { status: 414, message: "URI Too Long: query parameter too long" };
    }
    // A value may hold TAB/LF/CR as a form field may (a loader judges it, e.g. safeRedirect); a name may not.
    if (URL_FORBIDDEN.test(name) || VALUE_FORBIDDEN.test(value)) {
      return { status: 400, message: "Bad Request: control character in query string" };
    }
  }
  return null;
}

/**
 * A query parameter as a loader may pass it on (to SQL, to a page): the first value, without
 * control characters or lone surrogates, at most `maxLength` characters; null when absent.
 * Behind server.js such values are already refused; this keeps the loader safe on its own.
 */
export function queryParam(url: URL, name: string, maxLength = 200): string | null {
  const value = url.searchParams.get(name);
  if (value === null) return null;
  return value.replace(new RegExp(URL_FORBIDDEN.source, "g"), "").slice(0, maxLength);
}

/**
 * The text of a refusal server.js answers itself (before Remix, so before the locale is known):
 * the title and body of the matching error page in the visitor's language first — the `lng`
 * cookie, else Accept-Language, else Arabic — then in the other, then the technical reason.
 */
export function refusalText(status: number, detail: string, headers: HeaderBag): string {
  const key =
    status === 403 ? "forbidden" : status === 413 || status === 414 || status === 411 ? "tooLarge" : status === 415 ? "unsupportedMediaType" : "badRequest";
  const cookie = header(headers, "cookie") ?? "";
  const fromCookie = /(?:^|;\s*)lng=(?:%22)?"?(ar|en)\b/.exec(cookie)?.[1];
  const fromHeader = /^\s*en\b/i.test(header(headers, "accept-language") ?? "") ? "en" : undefined;
  const first = (fromCookie ?? fromHeader ?? "ar") as "ar" | "en";
  const order = first === "ar" ? (["ar", "en"] as const) : (["en", "ar"] as const);
  const parts = order.map((locale) => {
    const page = resources[locale].common.errorPage[key];
    return `${page.title}\n${page.body}`;
  });
  return `${parts.join("\n\n")}\n\n(${status} ${detail})\n`;
}
