import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useFastT } from "~/utils/fast-t";
import { PublicNeedCardList } from "~/components/public-need-card";
import { KeysetPagination } from "~/components/pagination";
import { useDigits } from "~/components/bidi";
import { buttonClass, inputClass, linkClass, useLocale } from "~/components/staff";
import { parsePublicFilters, SORTS } from "~/modules/marketplace/filters";
import { listPublicNeeds, publicFilterChoices } from "~/modules/marketplace/listing.server";
import { NEED_CATEGORIES, URGENCIES } from "~/modules/needs/schemas";
import { getDb } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { publicCacheHeaders, publicHeaders } from "~/utils/http-cache.server";
import { getFixedT } from "~/utils/i18next.server";
import { publicCards } from "~/utils/card-html.server";
import { getUser } from "~/utils/auth.server";
import { getPreferences, hasMatchCriteria } from "~/modules/giving/preferences.server";

export const headers = publicHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const { filters, bad, badCursor } = parsePublicFilters(new URL(request.url).searchParams);
  const db = await getDb();
  const t = await getFixedT(request, "public");
  // "Needs that match my preferences": the signed-in donor's giving preferences become filters
  // (never cached: the page cache serves anonymous visitors only, and they get a notice instead).
  let match: "on" | "none" | "anonymous" | null = null;
  let prefs = null;
  if (filters.match === "mine") {
    const user = await getUser(request);
    const mine = user ? await getPreferences(db, user.id) : null;
    match = !user ? "anonymous" : mine && hasMatchCriteria(mine) ? "on" : "none";
    if (match === "on") prefs = mine;
  }
  const [listing, { orgs, governorates }] = await Promise.all([listPublicNeeds(db, { ...filters, prefs }), publicFilterChoices(db)]);
  const { needs, ...counts } = listing;
  const body = {
    ...counts,
    cards: await publicCards(request, needs),
    // The cursor is the loader's business (validated above); the page only needs the filters.
    filters: { ...filters, q: filters.q ?? "", cursor: null },
    bad,
    badCursor,
    match,
    orgs,
    governorates,
    currencies: [...new Set(orgs.map((o) => o.defaultCurrency))].sort(),
    title: t("listing.metaTitle"),
    description: t("listing.metaDescription"),
  };
  // A hand-edited filter or page link that means nothing is a bad request; the page still shows
  // what it can (a bad cursor: the first page).
  return data(body, { status: bad ? 400 : 200, headers: publicCacheHeaders(request) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Tadamon" },
  { name: "description", content: data?.description ?? "" },
];

export default function NeedsIndex() {
  const { cards, total, capped, page, pages, next, prev, filters, bad, badCursor, match, orgs, governorates, currencies } =
    useLoaderData<typeof loader>();
  // The page's strings through the cached server translator (app/utils/fast-t.tsx).
  const t = useFastT("public");
  const locale = useLocale();
  const digits = useDigits();
  const name = (o: { nameAr: string; nameEn: string }) => (locale === "ar" ? o.nameAr : o.nameEn);
  const orgBySlug = new Map(orgs.map((o) => [o.slug, o]));
  // The folded filters open by themselves when one of them is in use (so it can be seen and changed).
  const active = [filters.category, filters.region, filters.urgency, filters.org, filters.currency, filters.match].filter(Boolean).length +
    (filters.sort !== "urgent" ? 1 : 0);
  const select = (id: string, label: string, field: string, value: string, options: [string, string][], withAny = true) => (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-bold">
        {label}
      </label>
      <select id={id} name={field} defaultValue={value} className={inputClass}>
        {withAny && <option value="">{t("listing.any")}</option>}
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <div className="space-y-4 sm:space-y-6">
      <header>
        <h1 className="text-2xl font-bold text-brand-800 sm:text-3xl">{t("listing.title")}</h1>
        <p className="mt-2 max-w-3xl text-sm leading-relaxed sm:text-base">{t("listing.intro")}</p>
      </header>

      <section aria-labelledby="need-filters-title" className="rounded-lg border border-stone-200 bg-white p-3 sm:p-4">
        <h2 id="need-filters-title" className="sr-only sm:not-sr-only sm:text-lg sm:font-bold">
          {t("listing.filters")}
        </h2>
        <Form method="get" className="space-y-3 sm:mt-3" data-testid="public-need-filters">
          <div className="space-y-1">
            <label htmlFor="q" className="block text-sm font-bold">
              {t("listing.search")}
            </label>
            <div className="flex gap-2">
              <input
                id="q"
                type="search"
                name="q"
                defaultValue={filters.q}
                maxLength={200}
                aria-describedby="q-hint"
                className={`${inputClass} min-w-0 flex-1`}
              />
              <button type="submit" className={`${buttonClass} shrink-0`}>
                {t("listing.search")}
              </button>
            </div>
            <p id="q-hint" className="sr-only text-sm text-stone-700 sm:not-sr-only">
              {t("listing.searchHint")}
            </p>
          </div>
          {/* Six selects would fill a phone's first screen: they fold behind "Filters" (no JavaScript needed). */}
          <details open={active > 0} className="group rounded border border-stone-200" data-testid="need-filters-more">
            <summary className="flex min-h-11 cursor-pointer items-center gap-2 px-3 py-2 font-bold">
              <span aria-hidden="true" className="inline-block transition-transform group-open:rotate-90 rtl:-scale-x-100">
                ▸
              </span>
              {active > 0 ? t("listing.filtersCount", { n: digits(formatNumber(active, locale)) }) : t("listing.filtersToggle")}
            </summary>
            <div className="grid gap-4 p-3 sm:grid-cols-2 lg:grid-cols-3">
              {select(
                "category",
                t("listing.category"),
                "category",
                filters.category ?? "",
                NEED_CATEGORIES.map((c) => [c, t(`needs:categories.${c}`)]),
              )}
              {select(
                "region",
                t("listing.region"),
                "region",
                filters.region ?? "",
                governorates.map((g) => {
                  const org = orgBySlug.get(g.orgSlug);
                  return [g.id, org ? t("listing.regionOf", { region: name(g), org: name(org) }) : name(g)];
                }),
              )}
              {select("urgency", t("listing.urgency"), "urgency", filters.urgency ?? "", URGENCIES.map((u) => [u, t(`needs:urgency.${u}`)]))}
              {select("org", t("listing.org"), "org", filters.org ?? "", orgs.map((o) => [o.slug, name(o)]))}
              {select("currency", t("listing.currency"), "currency", filters.currency ?? "", currencies.map((c) => [c, c]))}
              {select("sort", t("listing.sort"), "sort", filters.sort, SORTS.map((s) => [s, t(`listing.sorts.${s}`)]), false)}
              <label className="flex items-center gap-2 self-end py-2 font-bold">
                <input type="checkbox" name="match" value="mine" defaultChecked={filters.match === "mine"} className="h-4 w-4" data-testid="match-mine" />
                {t("giving:matches.filterLabel")}
              </label>
              <div className="flex flex-wrap items-end gap-3 sm:col-span-2 lg:col-span-3">
                <button type="submit" className={buttonClass}>
                  {t("listing.apply")}
                </button>
                <Link to="/needs" className={linkClass}>
                  {t("listing.reset")}
                </Link>
              </div>
            </div>
          </details>
        </Form>
      </section>

      {bad && (
        <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3" data-testid="listing-bad-request">
          {badCursor ? t("listing.badCursor") : t("listing.badFilter")}
        </p>
      )}

      {match && (
        <p role="status" className="rounded border border-sky-300 bg-sky-50 p-3" data-testid="listing-match-notice">
          {match === "on" ? t("giving:matches.active") : t("giving:matches.noPreferences")}{" "}
          <Link to={match === "anonymous" ? "/login?redirectTo=%2Faccount%2Fgiving" : match === "on" ? "/needs" : "/account/giving"} className={linkClass}>
            {match === "on" ? t("giving:matches.clear") : t("giving:matches.setPreferences")}
          </Link>
        </p>
      )}

      <section aria-labelledby="results-title">
        <h2 id="results-title" className="text-lg font-bold" aria-live="polite" data-testid="need-results-count">
          {capped
            ? t("listing.resultsMore", { n: digits(formatNumber(total, locale)) })
            : t("listing.results", { count: total, n: digits(formatNumber(total, locale)) })}
        </h2>
        {cards.length === 0 ? (
          <p className="mt-4">{t("listing.empty")}</p>
        ) : (
          <PublicNeedCardList cards={cards} className="mt-4 grid gap-4 md:grid-cols-2" testId="public-need-list" />
        )}
        <KeysetPagination page={page} pages={pages} capped={capped} next={next} prev={prev} />
      </section>
    </div>
  );
}
