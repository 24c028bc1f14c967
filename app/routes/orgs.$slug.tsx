import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useFastT } from "~/utils/fast-t";
import { Bdi, Ltr, Money, Num, useDigits } from "~/components/bidi";
import { PublicNeedCardList } from "~/components/public-need-card";
import { Pagination, pageFrom } from "~/components/pagination";
import { linkClass, useLocale } from "~/components/staff";
import { listPublicNeeds } from "~/modules/marketplace/listing.server";
import { getPublicOrgPage } from "~/modules/organizations/public-profile.server";
import { getDb } from "~/utils/db.server";
import { publicCacheHeaders, publicHeaders } from "~/utils/http-cache.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { publicCards } from "~/utils/card-html.server";

export const headers = publicHeaders;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (slug.length > 80 || !SLUG.test(slug)) throw new Response("Not found", { status: 404 });
  const db = await getDb();
  const [page, listing, locale, t] = await Promise.all([
    getPublicOrgPage(db, slug),
    listPublicNeeds(db, { org: slug, sort: "urgent", page: pageFrom(new URL(request.url)) }),
    getLocale(request),
    getFixedT(request, "public"),
  ]);
  if (!page) throw new Response("Not found", { status: 404 });
  const { profile, record } = page;
  const name = locale === "ar" ? profile.nameAr : profile.nameEn;
  const { needs, ...counts } = listing;
  return data(
    { org: profile, record, ...counts, cards: await publicCards(request, needs), year: new Date().getUTCFullYear(), title: t("org.metaTitle", { name }) },
    { headers: publicCacheHeaders(request) },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

/** A text in the page's language, else the other one (marked with its language and direction). */
function InLanguage({ ar, en, locale, className }: { ar: string | null; en: string | null; locale: "ar" | "en"; className?: string }) {
  const own = locale === "ar" ? ar : en;
  const other = locale === "ar" ? en : ar;
  if (own) return <p className={className}>{own}</p>;
  if (!other) return null;
  const lang = locale === "ar" ? "en" : "ar";
  return (
    <p className={className} lang={lang} dir={lang === "ar" ? "rtl" : "ltr"}>
      {other}
    </p>
  );
}

export default function OrgPage() {
  const { org, record, cards, total, page, pages, year } = useLoaderData<typeof loader>();
  // The page's strings through the cached server translator (app/utils/fast-t.tsx).
  const t = useFastT("public");
  const locale = useLocale();
  const digits = useDigits();
  const other = locale === "ar" ? "en" : "ar";
  const registeredWith = locale === "ar" ? (org.registeredWithAr ?? org.registeredWithEn) : (org.registeredWithEn ?? org.registeredWithAr);
  const hasRegistration = Boolean(org.legalName || org.registrationNumber || registeredWith);
  const since = org.foundedYear ?? org.joinedYear;
  const years = Math.max(0, year - since);
  const medianDays = record.medianDaysToFund;
  return (
    <div className="space-y-6">
      <header className="rounded-lg bg-white p-6 shadow-sm">
        <h1 className="text-3xl font-bold text-brand-800">{locale === "ar" ? org.nameAr : org.nameEn}</h1>
        <p className="mt-1 text-lg text-stone-700" lang={other} dir={other === "ar" ? "rtl" : "ltr"}>
          {other === "ar" ? org.nameAr : org.nameEn}
        </p>
        <InLanguage ar={org.missionAr} en={org.missionEn} locale={locale} className="mt-4 max-w-3xl whitespace-pre-line leading-relaxed" />
        <p className="mt-4">
          <Link to={`/orgs/${org.slug}/give`} className="inline-block rounded bg-brand-700 px-4 py-2 font-bold text-white" data-testid="org-give-fund">
            {t("org.giveToFund")}
          </Link>
        </p>
      </header>

      <section aria-labelledby="org-about" className="rounded-lg bg-white p-6 shadow-sm">
        <h2 id="org-about" className="text-2xl font-bold">
          {t("org.about")}
        </h2>
        <dl className="mt-4 grid gap-x-4 gap-y-2 sm:grid-cols-[auto_1fr]">
          <dt className="font-bold">{t("org.yearsActive")}</dt>
          <dd data-testid="org-years">
            {digits(
              org.foundedYear !== null
                ? t("org.foundedIn", { year: org.foundedYear, count: years })
                : t("org.joinedIn", { year: org.joinedYear, count: years }),
            )}
          </dd>
          <dt className="font-bold">{t("org.regions")}</dt>
          <dd data-testid="org-regions">
            {org.regions.length === 0 ? (
              t("org.notGiven")
            ) : (
              <ul className="flex flex-wrap gap-2">
                {org.regions.map((r) => (
                  <li key={`${r.nameEn}-${r.nameAr}`} className="rounded bg-stone-100 px-2 py-0.5">
                    {locale === "ar" ? r.nameAr : r.nameEn}
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt className="font-bold">{t("org.country")}</dt>
          <dd>{t(`common:home.country.${org.country}`, { defaultValue: org.country })}</dd>
          <dt className="font-bold">{t("org.registration")}</dt>
          <dd data-testid="org-registration">
            {hasRegistration ? (
              <dl className="grid grid-cols-[auto_1fr] gap-x-3">
                {org.legalName && (
                  <>
                    <dt className="text-stone-700">{t("org.legalName")}</dt>
                    <dd>
                      <Bdi>{org.legalName}</Bdi>
                    </dd>
                  </>
                )}
                {org.registrationNumber && (
                  <>
                    <dt className="text-stone-700">{t("org.registrationNumber")}</dt>
                    <dd>
                      <Ltr>{org.registrationNumber}</Ltr>
                    </dd>
                  </>
                )}
                {registeredWith && (
                  <>
                    <dt className="text-stone-700">{t("org.registeredWith")}</dt>
                    <dd>
                      <Bdi>{registeredWith}</Bdi>
                    </dd>
                  </>
                )}
              </dl>
            ) : (
              t("org.notGiven")
            )}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="org-record" className="rounded-lg bg-white p-6 shadow-sm">
        <h2 id="org-record" className="text-2xl font-bold">
          {t("org.record")}
        </h2>
        <dl className="mt-4 grid gap-4 sm:grid-cols-3">
          <div className="rounded border border-stone-200 p-3">
            <dt className="text-stone-700">{t("org.published")}</dt>
            <dd className="text-2xl font-bold" data-testid="org-published">
              <Num value={record.published} locale={locale} />
            </dd>
          </div>
          <div className="rounded border border-stone-200 p-3">
            <dt className="text-stone-700">{t("org.funded")}</dt>
            <dd className="text-2xl font-bold" data-testid="org-funded">
              <Num value={record.funded} locale={locale} />
            </dd>
          </div>
          <div className="rounded border border-stone-200 p-3">
            <dt className="text-stone-700">{t("org.medianDays")}</dt>
            <dd className="text-2xl font-bold" data-testid="org-median">
              {medianDays === null
                ? t("org.noneFunded")
                : medianDays < 1
                  ? t("org.lessThanDay")
                  : digits(t("org.days", { count: Math.round(medianDays) }))}
            </dd>
          </div>
        </dl>
        <h3 className="mt-6 text-lg font-bold">{t("org.money")}</h3>
        {record.money.length === 0 ? (
          <p className="mt-2">{t("org.nothingRaised")}</p>
        ) : (
          <ul className="mt-2 grid gap-3 sm:grid-cols-2" data-testid="org-money">
            {record.money.map((m) => (
              <li key={m.currency} className="rounded border border-stone-200 p-3">
                <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                  <dt className="text-stone-700">{t("org.raised")}</dt>
                  <dd className="font-bold">
                    <Money minor={m.raisedMinor} currency={m.currency} locale={locale} />
                  </dd>
                  <dt className="text-stone-700">{t("org.disbursed")}</dt>
                  <dd>
                    <Money minor={m.disbursedMinor} currency={m.currency} locale={locale} />
                  </dd>
                  <dt className="text-stone-700">{t("org.share")}</dt>
                  <dd>
                    <Ltr>{digits(`${Math.round((m.disbursedShare ?? 0) * 100)}%`)}</Ltr>
                  </dd>
                </dl>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-4 text-sm text-stone-700">{t("org.recordNote")}</p>
      </section>

      <section aria-labelledby="org-needs">
        <h2 id="org-needs" className="text-2xl font-bold">
          {t("org.needsTitle")}{" "}
          <span className="text-base font-normal text-stone-700">
            (<Num value={total} locale={locale} />)
          </span>
        </h2>
        {cards.length === 0 ? (
          <p className="mt-4">{t("org.empty")}</p>
        ) : (
          <PublicNeedCardList cards={cards} className="mt-4 grid gap-4 md:grid-cols-2" testId="public-need-list" />
        )}
        <Pagination page={page} pages={pages} />
        <p className="mt-4">
          <Link to={`/needs?org=${org.slug}`} className={linkClass}>
            {t("org.seeAll")}
          </Link>
        </p>
      </section>
    </div>
  );
}
