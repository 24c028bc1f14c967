import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { PublicNeedCardList } from "~/components/public-need-card";
import { linkClass, useLocale } from "~/components/staff";
import { listPublicOrgs, mostUrgentNeeds, platformTotals } from "~/modules/marketplace/listing.server";
import { getDb } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { Bdi, Money } from "~/components/bidi";
import { useFastT } from "~/utils/fast-t";
import { publicCacheHeaders, publicHeaders } from "~/utils/http-cache.server";
import { getFixedT } from "~/utils/i18next.server";
import { publicCards } from "~/utils/card-html.server";

export const headers = publicHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb();
  const t = await getFixedT(request);
  const [urgentNeeds, totals, orgs] = await Promise.all([mostUrgentNeeds(db, 6), platformTotals(db), listPublicOrgs(db)]);
  const urgent = await publicCards(request, urgentNeeds);
  return data(
    { urgent, totals, orgs, title: `${t("common:appName")} — ${t("common:tagline")}`, description: t("common:home.lead") },
    { headers: publicCacheHeaders(request) },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.title ?? "Tadamon" },
  { name: "description", content: data?.description ?? "" },
];

export default function Home() {
  const { urgent, totals, orgs } = useLoaderData<typeof loader>();
  const t = useFastT("public");
  const locale = useLocale();
  const orgName = (o: { nameAr: string; nameEn: string }) => (locale === "ar" ? o.nameAr : o.nameEn);
  return (
    <div className="space-y-10">
      <section className="rounded-lg bg-white p-6 shadow-sm">
        <h1 className="text-3xl font-bold text-brand-800">{t("common:home.title")}</h1>
        <p className="mt-3 max-w-3xl text-lg leading-relaxed">{t("common:home.lead")}</p>
        <p className="mt-4">
          <Link to="/needs" className="inline-block rounded bg-brand-700 px-4 py-2 font-bold text-white hover:bg-brand-800">
            {t("home.seeAll")}
          </Link>{" "}
          <Link to="/give" className="ms-2 inline-block rounded border-2 border-brand-700 px-4 py-2 font-bold text-brand-800 hover:bg-brand-50" data-testid="home-give-anywhere">
            {t("home.giveAnywhere")}
          </Link>
        </p>
      </section>

      <section aria-labelledby="urgent">
        <h2 id="urgent" className="text-2xl font-bold">
          {t("home.urgentTitle")}
        </h2>
        {urgent.length === 0 ? (
          <p className="mt-4">{t("home.urgentEmpty")}</p>
        ) : (
          <PublicNeedCardList cards={urgent} className="mt-4 grid gap-4 md:grid-cols-2 lg:grid-cols-3" testId="urgent-needs" />
        )}
        {urgent.length > 0 && (
          <p className="mt-4">
            <Link to="/needs" className={linkClass}>
              {t("home.seeAll")}
            </Link>
          </p>
        )}
      </section>

      <section aria-labelledby="totals">
        <h2 id="totals" className="text-2xl font-bold">
          {t("home.totalsTitle")}
        </h2>
        <dl className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="platform-totals">
          {totals.raised.length === 0 ? (
            <div className="rounded-lg border border-stone-200 bg-white p-4">
              <dt className="text-sm text-stone-700">{t("home.totalsTitle")}</dt>
              <dd className="mt-1">{t("home.nothingRaised")}</dd>
            </div>
          ) : (
            totals.raised.map((r) => (
              <div key={r.currency} className="rounded-lg border border-stone-200 bg-white p-4">
                <dt className="text-sm text-stone-700">{t("home.raisedIn", { currency: r.currency })}</dt>
                <dd className="mt-1 text-2xl font-bold tabular-nums">
                  <Money minor={r.raisedMinor} currency={r.currency} locale={locale} />
                </dd>
              </div>
            ))
          )}
          <div className="rounded-lg border border-stone-200 bg-white p-4">
            <dt className="text-sm text-stone-700">{t("home.openNeeds")}</dt>
            <dd className="mt-1 text-2xl font-bold tabular-nums">{formatNumber(totals.published, locale)}</dd>
          </div>
          <div className="rounded-lg border border-stone-200 bg-white p-4">
            <dt className="text-sm text-stone-700">{t("home.fundedNeeds")}</dt>
            <dd className="mt-1 text-2xl font-bold tabular-nums">{formatNumber(totals.funded, locale)}</dd>
          </div>
        </dl>
      </section>

      <section aria-labelledby="how">
        <h2 id="how" className="text-2xl font-bold">
          {t("common:home.howTitle")}
        </h2>
        <ol className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          {(["how1", "how2", "how3", "how4"] as const).map((key, i) => (
            <li key={key} className="rounded-lg border border-stone-200 bg-white p-4">
              <span className="block text-2xl font-bold text-brand-700">{formatNumber(i + 1, locale)}</span>
              <span className="mt-2 block">{t(`common:home.${key}`)}</span>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="orgs">
        <h2 id="orgs" className="text-2xl font-bold">
          {t("common:home.orgsTitle")}
        </h2>
        {orgs.length === 0 ? (
          <p className="mt-4">{t("common:home.orgsEmpty")}</p>
        ) : (
          <ul className="mt-4 grid gap-4 sm:grid-cols-3" data-testid="org-list">
            {orgs.map((org) => (
              <li key={org.slug} className="rounded-lg border border-stone-200 bg-white p-4">
                <p className="font-bold">
                  <Link to={`/orgs/${org.slug}`} className={linkClass} aria-label={t("home.orgLink", { name: orgName(org) })}>
                    <Bdi>{orgName(org)}</Bdi>
                  </Link>
                </p>
                <p className="mt-1 text-sm text-stone-700">
                  {t(`common:home.country.${org.country}`, { defaultValue: org.country })} ·{" "}
                  {t("common:home.currency", { currency: org.defaultCurrency })}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
