/**
 * The public listing's query string (`/needs?category=…&region=…&urgency=…&org=…&currency=…&q=…
 * &sort=…&cursor=…`), read leniently: a value that means nothing is dropped (and reported, so the
 * route can answer 400 while still showing the page). Pure; shared by the loader and the form.
 *
 * Pages (decision 059): "next" and "previous" are keyset cursors — an opaque token holding the sort
 * it belongs to, the direction, the page number it leads to (a label only) and the sort key of the
 * row it starts after (or before). `page=` (offset) still works for the first MAX_OFFSET_PAGE pages
 * (old links); deeper pages are only reached by cursor, so no query ever skips more than
 * (MAX_OFFSET_PAGE - 1) × 20 rows.
 */
import { NEED_CATEGORIES, URGENCIES, type NeedCategory } from "~/modules/needs/schemas";
import { UUID_PATTERN } from "~/utils/uuid";

export const SORTS = ["urgent", "closing", "nearly_funded", "newest"] as const;
export type PublicSort = (typeof SORTS)[number];
export type Urgency = (typeof URGENCIES)[number];

/** `page=N` (OFFSET) is honoured up to this page; beyond, the first page and a 400. */
export const MAX_OFFSET_PAGE = 10;

/**
 * Where a keyset page starts: after (next) or before (previous) the row whose sort key is `key`.
 * Key per sort (as text, exactly as the database wrote it):
 *   urgent:        [urgency, deadline, id]
 *   closing:       [deadline, urgency, id]
 *   nearly_funded: [-(paid + reserved) / target as float8 text, deadline, id]
 *   newest:        [coalesce(published_at, created_at) in microseconds since 1970, id]
 */
export interface ListingCursor {
  sort: PublicSort;
  dir: "after" | "before";
  /** The page number this cursor leads to (shown as "page N"; never used to skip rows). */
  page: number;
  key: string[];
}

export interface PublicFilters {
  category: NeedCategory | null;
  /** A governorate's id. */
  region: string | null;
  urgency: Urgency | null;
  /** An organisation's slug. */
  org: string | null;
  currency: string | null;
  q: string | null;
  sort: PublicSort;
  page: number;
  cursor: ListingCursor | null;
  /** "mine": only needs matching the signed-in donor's giving preferences (the loader reads them). */
  match: "mine" | null;
}

const UUID = UUID_PATTERN;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CURRENCY = /^[A-Z]{3}$/;
const FLOAT = /^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;
const MICROS = /^-?\d{1,17}$/;

function pick<T extends string>(values: readonly T[], raw: string): T | null {
  return (values as readonly string[]).includes(raw) ? (raw as T) : null;
}

/** A real calendar date, YYYY-MM-DD (what PostgreSQL's ::date accepts without error). */
function isDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const isUrgency = (v: string) => pick(URGENCIES, v) !== null;
const isRatio = (v: string) => FLOAT.test(v) && Number.isFinite(Number(v)) && Math.abs(Number(v)) <= 1e6;
const isMicros = (v: string) => MICROS.test(v);
const isUuid = (v: string) => UUID.test(v);

/** Each sort's key shape: the checks every cursor value must pass before it is bound to SQL. */
export const CURSOR_KEYS: Record<PublicSort, ((v: string) => boolean)[]> = {
  urgent: [isUrgency, isDate, isUuid],
  closing: [isDate, isUrgency, isUuid],
  nearly_funded: [isRatio, isDate, isUuid],
  newest: [isMicros, isUuid],
};

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(token: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(token)) return null;
  try {
    const bin = atob(token.replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** The opaque token of a cursor (URL-safe base64 of a small JSON array). */
export function encodeCursor(cursor: ListingCursor): string {
  return toBase64Url(JSON.stringify([1, cursor.sort, cursor.dir === "after" ? "a" : "b", cursor.page, ...cursor.key]));
}

/** A token back into a cursor for `sort`, or null if it is not one of ours, or for another sort. */
export function decodeCursor(token: string, sort: PublicSort): ListingCursor | null {
  const text = fromBase64Url(token);
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value[0] !== 1 || value[1] !== sort) return null;
  const [, , dir, page, ...key] = value as unknown[];
  if (dir !== "a" && dir !== "b") return null;
  if (typeof page !== "number" || !Number.isInteger(page) || page < 1 || page > 1_000_000) return null;
  const checks = CURSOR_KEYS[sort];
  if (key.length !== checks.length || !key.every((k, i) => typeof k === "string" && checks[i](k))) return null;
  return { sort, dir: dir === "a" ? "after" : "before", page, key: key as string[] };
}

export function parsePublicFilters(params: URLSearchParams): { filters: PublicFilters; bad: boolean; badCursor: boolean } {
  const raw = (name: string) => (params.get(name) ?? "").trim();
  let bad = false;
  const read = <T>(name: string, parse: (v: string) => T | null): T | null => {
    const value = raw(name);
    if (!value) return null;
    const parsed = parse(value);
    if (parsed === null) bad = true;
    return parsed;
  };
  const category = read("category", (v) => pick(NEED_CATEGORIES, v));
  const region = read("region", (v) => (UUID.test(v) ? v.toLowerCase() : null));
  const urgency = read("urgency", (v) => pick(URGENCIES, v));
  const org = read("org", (v) => (v.length <= 80 && SLUG.test(v) ? v : null));
  const currency = read("currency", (v) => (CURRENCY.test(v.toUpperCase()) ? v.toUpperCase() : null));
  const sort = read("sort", (v) => pick(SORTS, v)) ?? "urgent";
  const q = raw("q").slice(0, 200) || null;
  const match = read("match", (v) => (v === "mine" ? ("mine" as const) : null));
  // A cursor that is not ours (edited, truncated, from another sort) or a page past the offset
  // limit: the first page, and the route says why (400, translated).
  let badCursor = false;
  const token = raw("cursor");
  const cursor = token ? decodeCursor(token, sort) : null;
  if (token && !cursor) badCursor = true;
  const pageRaw = raw("page");
  const n = Number(pageRaw);
  let page = 1;
  if (pageRaw !== "" && !cursor) {
    if (!Number.isInteger(n) || n <= 0 || n >= 100_000) bad = true;
    else if (n > MAX_OFFSET_PAGE) badCursor = true;
    else page = n;
  }
  return { filters: { category, region, urgency, org, currency, q, sort, page, cursor, match }, bad: bad || badCursor, badCursor };
}
