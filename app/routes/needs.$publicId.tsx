import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { NeedCard } from "~/components/need-card";
import { linkClass, useLocale } from "~/components/staff";
import { getPublicNeed } from "~/modules/marketplace/listing.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { publicCacheHeaders, publicHeaders } from "~/utils/http-cache.server";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { JsButton } from "~/components/enhance";
import { Bdi, Money } from "~/components/bidi";
import { useFastT } from "~/utils/fast-t";
import { publishedUpdateViews } from "~/modules/needs/updates.server";
import { NeedUpdatesList } from "~/components/needs/need-updates-list";

/** The breadcrumb's separator: points in reading direction, so it is mirrored on right-to-left pages. */
function Chevron() {
  return (
    <svg aria-hidden="true" focusable="false" viewBox="0 0 16 16" className="h-3 w-3 rtl:rotate-180" data-testid="breadcrumb-chevron">
      <path d="M6 3l5 5-5 5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export const headers = publicHeaders;

/** The first ~150 characters of a text, cut at a word, for og:description. */
function excerpt(text: string | null, max = 150): string {
  const flat = (text ?? "").replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trim()}…`;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const need = await getPublicNeed(db, params.publicId ?? "");
  if (!need) throw new Response("Not found", { status: 404 });
  const locale = await getLocale(request);
  const [t, updates] = await Promise.all([getFixedT(request, "public"), publishedUpdateViews(db, need.publicId, locale)]);
  const pick = (ar: string | null, en: string | null) => (locale === "ar" ? ar || en : en || ar) ?? "";
  const title = pick(need.titleAr, need.titleEn);
  const url = `${new URL(request.url).origin}/needs/${need.publicId}`;
  return data(
    {
      need,
      url,
      // Written by the organisation, checked by the privacy guard, published by a second person (decision 070).
      updates,
      meta: { title: t("need.metaTitle", { title }), ogTitle: title, description: excerpt(pick(need.storyAr, need.storyEn)) || title },
    },
    { headers: publicCacheHeaders(request) },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  return [
    { title: data.meta.title },
    { name: "description", content: data.meta.description },
    { property: "og:title", content: data.meta.ogTitle },
    { property: "og:description", content: data.meta.description },
    { property: "og:url", content: data.url },
    { property: "og:type", content: "website" },
    { property: "og:site_name", content: "Tadamon — تضامن" },
    { tagName: "link", rel: "canonical", href: data.url },
  ];
};

export default function NeedPage() {
  const { need, url, updates } = useLoaderData<typeof loader>();
  const t = useFastT("public");
  const tn = useFastT("needs");
  const locale = useLocale();
  const orgName = locale === "ar" ? need.org.nameAr : need.org.nameEn;
  const open = !need.progress || need.progress.status === "open";
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <nav aria-label={t("need.breadcrumb")}>
        <ol className="flex flex-wrap items-center gap-2 text-sm" data-testid="need-breadcrumb">
          <li>
            <Link to="/needs" className={linkClass}>
              {t("need.allNeeds")}
            </Link>
          </li>
          {need.governorate && (
            <>
              <li aria-hidden="true" className="text-stone-500">
                <Chevron />
              </li>
              <li>
                <Bdi>{locale === "ar" ? need.governorate.nameAr : need.governorate.nameEn}</Bdi>
              </li>
            </>
          )}
        </ol>
      </nav>

      <NeedCard need={need} locale={locale} headingLevel={2} />
      {need.onlyLanguage && need.onlyLanguage !== locale && (
        <p lang={locale} data-testid="need-only-language">
          {tn(`card.onlyIn.${need.onlyLanguage}`)}
        </p>
      )}

      {need.verifiedAt && (
        <p className="font-bold text-emerald-900" data-testid="need-verified-by">
          {t("need.verifiedBy", { date: formatDate(need.verifiedAt, locale), org: orgName })}
        </p>
      )}
      <p>
        <Link to={`/orgs/${need.org.slug}`} className={linkClass}>
          {t("need.org")}: <Bdi>{orgName}</Bdi>
        </Link>
      </p>

      <section aria-labelledby="pledge-title" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="pledge-title" className="text-xl font-bold">
          {t("need.pledgeTitle")}
        </h2>
        {open ? (
          // The form lives on its own private page: this page stays publicly cacheable, and every
          // form gets its own idempotency key (decision 030).
          <div id="pledge" data-testid="pledge-slot" className="mt-3 space-y-2">
            <p>{t("need.pledgeLead")}</p>
            <Link
              to={`/needs/${need.publicId}/pledge`}
              className="inline-block rounded bg-brand-700 px-5 py-3 text-lg font-bold text-white hover:bg-brand-800"
              data-testid="pledge-start"
            >
              {t("need.pledgeStart")}
            </Link>
          </div>
        ) : (
          <p className="mt-2" data-testid="need-funded-notice">
            {t("need.fundedNotice")}{" "}
            <Link to="/needs" className={linkClass}>
              {t("home.seeAll")}
            </Link>
          </p>
        )}
      </section>

      {need.kafala && open && (
        <section aria-labelledby="kafala-title" className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="kafala-slot">
          <h2 id="kafala-title" className="text-xl font-bold">
            {t("need.kafalaTitle")}
          </h2>
          <p className="mt-1">
            {t("need.kafalaTerms", { count: need.kafala.months })} <Money text={formatMoney(need.kafala.monthlyMinor, need.currency, locale)} />
          </p>
          {need.kafala.sponsored ? (
            <p className="mt-2 font-bold" data-testid="kafala-taken">
              {t("need.kafalaTaken")}
            </p>
          ) : (
            <Link to={`/needs/${need.publicId}/sponsor`} className="mt-3 inline-block rounded border-2 border-brand-700 px-4 py-2 font-bold text-brand-800" data-testid="kafala-start">
              {t("need.kafalaStart")}
            </Link>
          )}
        </section>
      )}

      <NeedUpdatesList updates={updates} title={tn("updates.publicTitle")} testId="need-updates" />

      <section aria-labelledby="share-title" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="share-title" className="text-xl font-bold">
          {t("need.share")}
        </h2>
        <p id="share-hint" className="mt-1 text-sm text-stone-700">
          {t("need.shareHint")}
        </p>
        <label htmlFor="share-url" className="mt-3 block text-sm font-bold">
          {t("need.shareLink")}
        </label>
        <input
          id="share-url"
          readOnly
          value={url}
          dir="ltr"
          aria-describedby="share-hint"
          className="mt-1 block w-full rounded border border-stone-400 bg-stone-50 px-3 py-2 text-start"
          data-testid="share-url"
        />
        <p className="mt-3 flex flex-wrap items-center gap-3">
          <JsButton
            action="share"
            value={url}
            label={t("need.shareButton")}
            done={t("need.shareCopied")}
            className="rounded border border-brand-700 px-3 py-1 text-sm text-brand-700"
            testId="share-button"
          />
          <a href={`https://wa.me/?text=${encodeURIComponent(url)}`} className={linkClass} rel="noopener noreferrer" target="_blank">
            {t("need.shareWhatsApp")}
          </a>
        </p>
      </section>
    </div>
  );
}
