/**
 * The public listing's query string (`/needs?category=…&region=…&urgency=…&org=…&currency=…&q=…
 * &sort=…&page=…`), read leniently: a value that means nothing is dropped (and reported, so the
 * route can answer 400 while still showing the page). Pure; shared by the loader and the form.
 */
import { NEED_CATEGORIES, URGENCIES, type NeedCategory } from "~/modules/needs/schemas";

export const SORTS = ["urgent", "closing", "nearly_funded", "newest"] as const;
export type PublicSort = (typeof SORTS)[number];
export type Urgency = (typeof URGENCIES)[number];

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
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const CURRENCY = /^[A-Z]{3}$/;

function pick<T extends string>(values: readonly T[], raw: string): T | null {
  return (values as readonly string[]).includes(raw) ? (raw as T) : null;
}

export function parsePublicFilters(params: URLSearchParams): { filters: PublicFilters; bad: boolean } {
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
  const pageRaw = raw("page");
  const n = Number(pageRaw);
  const page = pageRaw === "" ? 1 : Number.isInteger(n) && n > 0 && n < 100_000 ? n : ((bad = true), 1);
  return { filters: { category, region, urgency, org, currency, q, sort, page }, bad };
}
