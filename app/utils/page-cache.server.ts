/**
 * A few-second in-process cache of rendered donor pages for anonymous visitors
 * (docs/decisions/060-anonymous-page-cache.md). server.js puts `pageCacheMiddleware` in front of
 * the Remix handler, so a hit costs a map lookup and a copy of the bytes instead of a render.
 *
 * - Only a GET of a donor page (`/`, `/needs`, `/needs/:publicId`, `/orgs/:slug`; no `.data` or
 *   `_data` request) from someone without a session cookie is looked up or stored; a signed-in
 *   request passes through untouched (`X-Page-Cache: bypass`).
 * - The key is the locale the app would choose (`?lng=`, the `lng` cookie, Accept-Language: its own
 *   `getLocale`) and the path with its query, as sent.
 * - Only a 200 HTML answer that the app itself marked `public` (http-cache.server.ts: the same page
 *   for every anonymous visitor in that language) and that sets no cookie is stored.
 * - An entry lives `PAGE_CACHE_TTL_MS` (default 3 s); every successful non-GET request of this
 *   process (a pledge, a staff change, a Stripe webhook) and every finished pg-boss job
 *   (`pageDataChanged`, called by jobs.server.ts) empties the cache before its answer leaves, and a
 *   render that began before an emptying is not stored.
 * - Bounded by entries and bytes, least recently used out first.
 * - Every hit gets a fresh CSP nonce: the page is kept with the placeholder nonce it was rendered
 *   with (the bytes its ETag names), and the nonce is written in again per answer, policy too.
 * - `PAGE_CACHE=off` leaves it out; `npm run dev` (Vite) never runs server.js, so never has it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { etagMatches, hasSessionCookie } from "./http-cache.server";
import { getLocale } from "./i18next.server";
import { createNonce, NONCE_PLACEHOLDER, withNonce } from "./security-headers.server";

// ——— Configuration ————————————————————————————————————————————————————————————————————————

const blankIsUnset = (v: unknown) => (v === "" ? undefined : v);

export const PageCacheConfigSchema = z.object({
  /** `off`: no cache at all (no lookups, no stores, no X-Page-Cache header). */
  PAGE_CACHE: z.preprocess(blankIsUnset, z.enum(["on", "off"]).default("on")),
  /** How long a page may be served from the cache; "a few seconds" at most. */
  PAGE_CACHE_TTL_MS: z.preprocess(blankIsUnset, z.coerce.number().int().min(100).max(10_000).default(3_000)),
  PAGE_CACHE_MAX_ENTRIES: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(100_000).default(1_000)),
  PAGE_CACHE_MAX_BYTES: z.preprocess(blankIsUnset, z.coerce.number().int().min(65_536).default(64 * 1024 * 1024)),
});
export type PageCacheConfig = z.infer<typeof PageCacheConfigSchema>;

/** The configuration in `env`, or an error naming the variable. */
export function pageCacheConfig(env: Record<string, string | undefined>): PageCacheConfig {
  const parsed = PageCacheConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment: ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}

// ——— Which requests and answers qualify ————————————————————————————————————————————————

/** The donor pages: home, the listing, a need, an organisation. The pledge form is not one (a per-form idempotency key). */
const DONOR_PATH = /^\/(?:needs(?:\/[^/]+)?|orgs\/[^/]+)?$/;

/** Whether a GET of this URL (path and query, as sent) may be answered from the cache. */
export function isCacheablePath(url: string): boolean {
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  if (!DONOR_PATH.test(path) || path.endsWith(".data")) return false;
  // Remix data requests (single fetch uses `.data`; the older `?_data=`) are not pages: skipped.
  return q === -1 || !/[?&]_data(?:[=&]|$)/.test(url.slice(q));
}

export interface StoredAnswer {
  status: number;
  /** Header pairs as the app sent them (names as set). */
  headers: [string, string | string[]][];
  body: Buffer;
}

/** Whether an answer may be kept for every anonymous visitor: 200, HTML, marked public by the app, no cookie set. */
export function isStorable(answer: StoredAnswer): boolean {
  if (answer.status !== 200) return false;
  const get = (name: string) => answer.headers.find(([n]) => n.toLowerCase() === name)?.[1];
  if (get("set-cookie") !== undefined) return false;
  if (!/^\s*text\/html\b/i.test(String(get("content-type") ?? ""))) return false;
  return /^\s*public\b/i.test(String(get("cache-control") ?? ""));
}

// ——— The cache ——————————————————————————————————————————————————————————————————————————

/** Headers that belong to one transfer, not to the page; the policy is kept apart (its nonce). */
const NOT_KEPT = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive", "date", "x-page-cache", "content-security-policy"]);

interface Entry {
  storedAt: number;
  bytes: number;
  headers: [string, string | string[]][];
  etag: string | null;
  /** The body with the placeholder nonce in every `nonce="…"` attribute (the bytes its ETag names). */
  body: Buffer<ArrayBuffer>;
  /** The page's policy split around its nonce (`[before, after]`), or the whole policy when it names none, or null. */
  csp: [string, string] | string | null;
}

/** What a hit answers: a fresh nonce in the body and the policy, or a 304 when the browser has it. */
export interface Hit {
  status: 200 | 304;
  headers: [string, string | string[]][];
  body: Buffer | null;
}

export interface PageCacheOptions {
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  /** The clock (tests move it). */
  now?: () => number;
}

const live = new Set<PageCache>();

/**
 * Something donor pages show may have changed (a job finished, data written outside a request):
 * every page cache of this process starts over.
 */
export function pageDataChanged(): void {
  for (const cache of live) cache.invalidate();
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private gen = 0;
  private readonly now: () => number;

  constructor(private readonly options: PageCacheOptions) {
    this.now = options.now ?? Date.now;
    live.add(this);
  }

  /** Stops `pageDataChanged` from reaching it (tests). */
  close(): void {
    live.delete(this);
    this.invalidate();
  }

  /** Bumped by every invalidation: a render that began under an older generation is not stored. */
  get generation(): number {
    return this.gen;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  invalidate(): void {
    this.entries.clear();
    this.bytes = 0;
    this.gen++;
  }

  /** The answer for `key`, or null when there is none or it is older than the TTL. */
  lookup(key: string, ifNoneMatch?: string | null): Hit | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (this.now() - entry.storedAt >= this.options.ttlMs) {
      this.remove(key, entry);
      return null;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (entry.etag && ifNoneMatch && etagMatches(ifNoneMatch, entry.etag)) {
      // As app/entry.server.tsx answers a revalidation: no body, no type, no policy.
      return { status: 304, headers: entry.headers.filter(([n]) => n.toLowerCase() !== "content-type"), body: null };
    }
    if (entry.csp === null || typeof entry.csp === "string") {
      const headers: [string, string | string[]][] = entry.csp ? [...entry.headers, ["Content-Security-Policy", entry.csp]] : entry.headers;
      return { status: 200, headers, body: entry.body };
    }
    const nonce = createNonce();
    const body = withNonce(Buffer.from(entry.body), nonce);
    return { status: 200, headers: [...entry.headers, ["Content-Security-Policy", `${entry.csp[0]}${nonce}${entry.csp[1]}`]], body };
  }

  /**
   * Keeps an answer under `key` when it qualifies (`isStorable`) and no invalidation happened since
   * `generation` (read when its request came in). Returns whether it was stored.
   */
  store(key: string, answer: StoredAnswer, generation: number): boolean {
    if (generation !== this.gen || !isStorable(answer)) return false;
    const entry = toEntry(answer, this.now());
    if (!entry || entry.bytes > this.options.maxBytes / 4) return false;
    const old = this.entries.get(key);
    if (old) this.remove(key, old);
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.entries.size <= this.options.maxEntries && this.bytes <= this.options.maxBytes) break;
      this.remove(oldestKey, oldest);
    }
    return true;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}

/** The entry for an answer: its nonce (named by its policy) back to the placeholder. Null when that cannot be done safely. */
function toEntry(answer: StoredAnswer, storedAt: number): Entry | null {
  const headers: [string, string | string[]][] = [];
  let policy: string | null = null;
  let etag: string | null = null;
  for (const [name, value] of answer.headers) {
    const lower = name.toLowerCase();
    if (lower === "content-security-policy") policy = Array.isArray(value) ? value.join(", ") : value;
    if (lower === "etag") etag = String(value);
    if (!NOT_KEPT.has(lower)) headers.push([name, value]);
  }
  let csp: Entry["csp"] = policy;
  let body = Buffer.from(answer.body);
  const nonces = policy ? [...policy.matchAll(/'nonce-([A-Za-z0-9+/=]+)'/g)].map((m) => m[1]) : [];
  if (policy && nonces.length > 0) {
    if (new Set(nonces).size !== 1 || !/^[A-Za-z0-9+/]{16,}={0,2}$/.test(nonces[0])) return null;
    const nonce = nonces[0];
    const parts = policy.split(`'nonce-${nonce}'`);
    if (parts.length !== 2) return null;
    csp = [`${parts[0]}'nonce-`, `'${parts[1]}`];
    body = swapNonce(body, nonce, NONCE_PLACEHOLDER);
  }
  const headerBytes = headers.reduce((sum, [name, value]) => sum + name.length + String(value).length, 0);
  return { storedAt, bytes: body.length + headerBytes + 256, headers, etag, body, csp };
}

/** Every ` nonce="from"` attribute of the bytes becomes ` nonce="to"`. */
function swapNonce(html: Buffer<ArrayBuffer>, from: string, to: string): Buffer<ArrayBuffer> {
  const needle = Buffer.from(` nonce="${from}"`, "latin1");
  const replacement = Buffer.from(` nonce="${to}"`, "latin1");
  const parts: Buffer<ArrayBuffer>[] = [];
  let last = 0;
  for (let at = html.indexOf(needle); at !== -1; at = html.indexOf(needle, at + needle.length)) {
    parts.push(html.subarray(last, at), replacement);
    last = at + needle.length;
  }
  if (parts.length === 0) return html;
  parts.push(html.subarray(last));
  return Buffer.concat(parts);
}

// ——— The locale part of the key ——————————————————————————————————————————————————————————

const locales = new Map<string, Promise<string>>();

/** The locale the app renders this request in (its own `getLocale`), remembered per cookie and Accept-Language. */
function localeOf(url: string, cookie: string | undefined, acceptLanguage: string | undefined): Promise<string> {
  // `?lng=` is a redirect (root loader) whose URL is part of the key anyway: the memo sees only the headers.
  const memo = `${cookie ?? ""}\u0000${acceptLanguage ?? ""}`;
  let locale = locales.get(memo);
  if (!locale) {
    if (locales.size >= 512) locales.clear();
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (acceptLanguage) headers["accept-language"] = acceptLanguage;
    locale = getLocale(new Request(new URL(url, "http://page-cache.invalid"), { headers }));
    locales.set(memo, locale);
    locale.catch(() => locales.delete(memo));
  }
  return locale;
}

/** The cache key of a GET: locale, then path and query as sent. */
export async function cacheKey(url: string, cookie: string | undefined, acceptLanguage: string | undefined): Promise<string> {
  return `${await localeOf(url, cookie, acceptLanguage)} ${url}`;
}

/** Whether the request carries a session cookie (valid or not): then it is never served from or stored in the cache. */
export function isSignedIn(cookie: string | undefined): boolean {
  return Boolean(cookie) && hasSessionCookie(new Request("http://page-cache.invalid/", { headers: { cookie: cookie as string } }));
}

// ——— The Express middleware ——————————————————————————————————————————————————————————————

type Next = (error?: unknown) => void;
type Middleware = ((req: IncomingMessage, res: ServerResponse, next: Next) => void) & { cache: PageCache };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** How long a request waits for the same page's render in flight before rendering it itself. */
const WAIT_FOR_RENDER_MS = 5_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/**
 * The middleware server.js installs before the Remix handler (nothing when `PAGE_CACHE=off`).
 * `X-Page-Cache` says `hit`, `miss` (rendered; stored if it qualifies) or `bypass` (a donor page
 * asked by someone signed in). Requests for a page whose render is in flight wait for it (at most
 * 5 s) rather than render it again: when an entry expires under load, one render refills it.
 */
export function pageCacheMiddleware(config: PageCacheConfig, options: Pick<PageCacheOptions, "now"> = {}): Middleware | null {
  if (config.PAGE_CACHE === "off") return null;
  const cache = new PageCache({ ttlMs: config.PAGE_CACHE_TTL_MS, maxEntries: config.PAGE_CACHE_MAX_ENTRIES, maxBytes: config.PAGE_CACHE_MAX_BYTES, ...options });
  const limit = config.PAGE_CACHE_MAX_BYTES / 4;
  const inFlight = new Map<string, Promise<void>>();

  const middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => {
    const method = req.method ?? "GET";
    if (!SAFE_METHODS.has(method)) {
      invalidateOnSuccess(cache, res);
      return next();
    }
    const url = req.url ?? "/";
    if (method !== "GET" || !isCacheablePath(url)) return next();
    const cookie = req.headers.cookie;
    if (isSignedIn(cookie)) {
      res.setHeader("X-Page-Cache", "bypass");
      return next();
    }
    const generation = cache.generation;
    const serveHit = (key: string): boolean => {
      const hit = cache.lookup(key, header(req.headers["if-none-match"]));
      if (!hit) return false;
      res.statusCode = hit.status;
      for (const [name, value] of hit.headers) res.setHeader(name, value);
      res.setHeader("X-Page-Cache", "hit");
      if (hit.body) res.setHeader("Content-Length", hit.body.length);
      res.end(hit.body ?? undefined);
      return true;
    };
    const render = (key: string) => {
      res.setHeader("X-Page-Cache", "miss");
      // Requests for the same page that come meanwhile wait for this render instead of repeating it.
      let settle!: () => void;
      const rendering = new Promise<void>((resolve) => (settle = resolve));
      if (!inFlight.has(key)) inFlight.set(key, rendering);
      res.once("close", () => {
        if (inFlight.get(key) === rendering) inFlight.delete(key);
        settle();
      });
      capture(res, limit, (body) => {
        const headers = res.getHeaderNames().map((name): [string, string | string[]] => {
          const value = res.getHeader(name);
          return [name, Array.isArray(value) ? value : String(value)];
        });
        cache.store(key, { status: res.statusCode, headers, body }, generation);
      });
      next();
    };
    cacheKey(url, cookie, header(req.headers["accept-language"])).then(
      (key) => {
        if (serveHit(key)) return;
        const rendering = inFlight.get(key);
        if (!rendering) return render(key);
        // Served from what that render stored; when it stored nothing (not storable, data changed
        // meanwhile, too slow), rendered here.
        void Promise.race([rendering, sleep(WAIT_FOR_RENDER_MS)]).then(() => {
          if (!serveHit(key)) render(key);
        });
      },
      (error: unknown) => next(error),
    );
  };
  return Object.assign(middleware, { cache });
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/**
 * A non-GET request that succeeds (status < 400) empties the cache just before its answer's head
 * goes out: its changes are committed by then, and the redirect it answers cannot reach the browser
 * before the cache has forgotten the old page.
 */
function invalidateOnSuccess(cache: PageCache, res: ServerResponse): void {
  const writeHead = res.writeHead;
  let done = false;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    const status = typeof args[0] === "number" ? args[0] : res.statusCode;
    if (!done && status < 400) cache.invalidate();
    done = true;
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
}

/** Collects the body as written (before compression) and hands it over once the answer has gone out whole. */
function capture(res: ServerResponse, limit: number, onFinish: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooBig = false;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (tooBig || chunk === undefined || chunk === null || typeof chunk === "function") return;
    const buffer = typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    if (size > limit) {
      tooBig = true;
      chunks.length = 0;
      return;
    }
    chunks.push(buffer);
  };
  const write = res.write;
  const end = res.end;
  res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (write as (...a: unknown[]) => boolean).apply(this, [chunk, ...rest]);
  } as ServerResponse["write"];
  res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
    keep(chunk, rest[0]);
    return (end as (...a: unknown[]) => ServerResponse).apply(this, [chunk, ...rest]);
  } as ServerResponse["end"];
  res.once("finish", () => {
    if (!tooBig) onFinish(Buffer.concat(chunks));
  });
}
