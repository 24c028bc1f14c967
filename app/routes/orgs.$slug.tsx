import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { NeedCard } from "~/components/need-card";
import { Pagination, pageFrom } from "~/components/pagination";
import { linkClass, useLocale } from "~/components/staff";
import { getPublicOrg, listPublicNeeds } from "~/modules/marketplace/listing.server";
import { getDb } from "~/utils/db.server";
import { formatNumber } from "~/utils/format";
import { publicCacheHeaders, publicHeaders } from "~/utils/http-cache.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";

export const headers = publicHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const org = await getPublicOrg(db, params.slug ?? "");
  if (!org) throw new Response("Not found", { status: 404 });
  const [listing, locale, t] = await Promise.all([
    listPublicNeeds(db, { org: org.slug, sort: "urgent", page: pageFrom(new URL(request.url)) }),
    getLocale(request),
    getFixedT(request, "public"),
  ]);
  const name = locale === "ar" ? org.nameAr : org.nameEn;
  return data({ org, ...listing, title: t("org.metaTitle", { name }) }, { headers: publicCacheHeaders(request) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function OrgPage() {
  const { org, needs, total, page, pages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("public");
  const locale = useLocale();
  const other = locale === "ar" ? "en" : "ar";
  return (
    <div className="space-y-6">
      <header className="rounded-lg bg-white p-6 shadow-sm">
        <h1 className="text-3xl font-bold text-brand-800">{locale === "ar" ? org.nameAr : org.nameEn}</h1>
        <p className="mt-1 text-lg text-stone-700" lang={other} dir={other === "ar" ? "rtl" : "ltr"}>
          {other === "ar" ? org.nameAr : org.nameEn}
        </p>
        <dl className="mt-4 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt className="font-bold">{t("org.country")}</dt>
          <dd>{t(`common:home.country.${org.country}`, { defaultValue: org.country })}</dd>
          <dt className="font-bold">{t("org.currency")}</dt>
          <dd>{org.defaultCurrency}</dd>
        </dl>
      </header>
      <section aria-labelledby="org-needs">
        <h2 id="org-needs" className="text-2xl font-bold">
          {t("org.needsTitle")}{" "}
          <span className="text-base font-normal text-stone-700">({formatNumber(total, locale)})</span>
        </h2>
        {needs.length === 0 ? (
          <p className="mt-4">{t("org.empty")}</p>
        ) : (
          <ul className="mt-4 grid gap-4 md:grid-cols-2" data-testid="public-need-list">
            {needs.map((need) => (
              <li key={need.publicId}>
                <NeedCard need={need} locale={locale} href={`/needs/${need.publicId}`} compact />
              </li>
            ))}
          </ul>
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
