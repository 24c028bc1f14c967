import { useFastT } from "~/utils/fast-t";
import { useDigits } from "~/components/bidi";
import { buttonClass, inputClass, linkClass, useLocale } from "~/components/staff";
import { SORTS, type PublicFilters } from "~/modules/marketplace/filters";
import type { PublicGovernorate, PublicOrg } from "~/modules/marketplace/listing.server";
import { NEED_CATEGORIES, URGENCIES } from "~/modules/needs/schemas";
import { formatNumber } from "~/utils/format";

export interface NeedFiltersProps {
  filters: Pick<PublicFilters, "category" | "region" | "urgency" | "org" | "currency" | "match" | "sort"> & { q: string };
  orgs: readonly PublicOrg[];
  governorates: readonly PublicGovernorate[];
  currencies: readonly string[];
}

/**
 * The needs listing's search and filters (`/needs`). A plain GET form: it works without
 * JavaScript, and the listing is never hydrated (decision 032), so it needs no router. The server
 * renders it on its own and remembers its HTML (app/utils/filters-html.server.tsx, decision 082).
 */
export function NeedFilters({ filters, orgs, governorates, currencies }: NeedFiltersProps) {
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
    <section aria-labelledby="need-filters-title" className="rounded-lg border border-stone-200 bg-white p-3 sm:p-4">
      <h2 id="need-filters-title" className="sr-only sm:not-sr-only sm:text-lg sm:font-bold">
        {t("listing.filters")}
      </h2>
      <form method="get" action="/needs" className="space-y-3 sm:mt-3" data-testid="public-need-filters">
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
              <a href="/needs" className={linkClass}>
                {t("listing.reset")}
              </a>
            </div>
          </div>
        </details>
      </form>
    </section>
  );
}
