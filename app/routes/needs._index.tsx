import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useFastT } from "~/utils/fast-t";
import { PublicNeedCardList } from "~/components/public-need-card";
import { KeysetPagination } from "~/components/pagination";
import { useDigits } from "~/components/bidi";
import { RawHtml } from "~/components/html-fragment";
import { linkClass, useLocale } from "~/components/staff";
import { parsePublicFilters } from "~/modules/marketplace/filters";
import { listPublicNeeds, publicFilterChoices } from "~/modules/marketplace/listing.server";
import { getDb } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { publicCacheHeaders, publicHeaders } from "~/utils/http-cache.server";
import { getFixedT } from "~/utils/i18next.server";
import { publicCards } from "~/utils/card-html.server";
import { needFiltersHtml } from "~/utils/filters-html.server";
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
  const [listing, choices] = await Promise.all([listPublicNeeds(db, { ...filters, prefs }), publicFilterChoices(db)]);
  const { needs, ...counts } = listing;
  const currencies = [...new Set(choices.orgs.map((o) => o.defaultCurrency))].sort();
  const [cards, filtersHtml] = await Promise.all([
    publicCards(request, needs),
    // The search and filters, rendered on their own and remembered (decision 082).
    needFiltersHtml(request, { ...filters, q: filters.q ?? "" }, choices, currencies),
  ]);
  const body = {
    ...counts,
    cards,
    filtersHtml,
    bad,
    badCursor,
    match,
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
  const { cards, filtersHtml, total, capped, page, pages, next, prev, bad, badCursor, match } = useLoaderData<typeof loader>();
  // The page's strings through the cached server translator (app/utils/fast-t.tsx).
  const t = useFastT("public");
  const locale = useLocale();
  const digits = useDigits();
  return (
    <div className="space-y-4 sm:space-y-6">
      <header>
        <h1 className="text-2xl font-bold text-brand-800 sm:text-3xl">{t("listing.title")}</h1>
        <p className="mt-2 max-w-3xl text-sm leading-relaxed sm:text-base">{t("listing.intro")}</p>
      </header>
      <RawHtml as="div" html={filtersHtml} />
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
