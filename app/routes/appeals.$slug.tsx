import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Bdi, Money } from "~/components/bidi";
import { PublicNeedCardList } from "~/components/public-need-card";
import { linkClass } from "~/components/staff";
import { appealBySlug, appealProgress, platformAppealTimeZone } from "~/modules/giving/appeals.server";
import { getPublicNeed } from "~/modules/marketplace/listing.server";
import { getDb } from "~/utils/db.server";
import { formatDate, formatMoney } from "~/utils/format";
import { getFixedT, getLocale } from "~/utils/i18next.server";
import { publicCards } from "~/utils/card-html.server";

/**
 * /appeals/:slug — an appeal's page (issue 12, decision 068): its story, window and progress
 * (raised on its needs against their targets, matched so far), the matching sponsor's offer
 * ("every gift doubled, up to …") with how much is left to match, and its needs' public cards.
 * Public text only; works without JavaScript.
 */

const SHOWN = 12;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const db = await getDb();
  const found = await appealBySlug(db, params.slug ?? "");
  if (!found) throw new Response("Not Found", { status: 404 });
  const [locale, t] = await Promise.all([getLocale(request), getFixedT(request, ["giving", "common"])]);
  const { appeal, org } = found;
  const zone = org?.timeZone ?? platformAppealTimeZone(appeal.country);
  const progress = await appealProgress(db, appeal);
  const cards = (await Promise.all(progress.publicIds.slice(0, SHOWN).map((id) => getPublicNeed(db, id)))).filter((n) => n !== null);
  const fmt = (minor: number) => formatMoney(minor, appeal.currency, locale);
  const pick = (ar: string | null, en: string | null) => (locale === "ar" ? ar || en : en || ar) ?? "";
  const leftToMatch = appeal.matchCapMinor === null ? 0 : Math.max(0, Math.min(appeal.matchCapMinor - progress.matchedMinor, progress.sponsorPoolMinor));
  return data(
    {
      title: `${pick(appeal.titleAr, appeal.titleEn)} — ${t("common:appName")}`,
      heading: pick(appeal.titleAr, appeal.titleEn),
      story: pick(appeal.storyAr, appeal.storyEn),
      kind: appeal.kind,
      slug: appeal.slug,
      // A platform appeal (decision 072) has no organisation: its needs are several organisations'.
      org: org ? { slug: org.slug, name: locale === "ar" ? org.nameAr : org.nameEn } : null,
      from: formatDate(appeal.startsAt, locale, zone),
      until: formatDate(appeal.endsAt, locale, zone),
      state: progress.state,
      raised: fmt(progress.raisedMinor),
      target: fmt(progress.targetMinor),
      percent: progress.targetMinor > 0 ? Math.min(100, Math.floor((progress.raisedMinor * 100) / progress.targetMinor)) : 0,
      needCount: progress.needCount,
      match:
        appeal.matchPercent === null
          ? null
          : { percent: appeal.matchPercent, cap: fmt(appeal.matchCapMinor!), matched: fmt(progress.matchedMinor), gifts: progress.matchedGifts, left: fmt(leftToMatch), hasLeft: leftToMatch > 0, needsSponsor: progress.sponsorPoolMinor + progress.matchedMinor < appeal.matchCapMinor! },
      cards: await publicCards(request, cards),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "Tadamon" }];

export default function AppealPage() {
  const page = useLoaderData<typeof loader>();
  const { t } = useTranslation("giving");
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p>
        {page.org ? (
          <Link to={`/orgs/${page.org.slug}`} className={linkClass}>
            <Bdi>{page.org.name}</Bdi>
          </Link>
        ) : (
          <span className="font-bold" data-testid="appeal-platform">
            {t("appeals.platformBy")}
          </span>
        )}
      </p>
      <h1 className="text-3xl font-bold text-brand-800">{page.heading}</h1>
      {page.kind === "emergency" && <p className="inline-block rounded bg-red-100 px-2 py-1 font-bold text-red-900">{t("appeals.emergency")}</p>}
      {page.story && <p className="leading-relaxed">{page.story}</p>}
      <p className="text-sm text-stone-700" data-testid="appeal-window">
        {t(`appeals.window.${page.state}`, { from: page.from, until: page.until })}
      </p>
      <section aria-labelledby="appeal-progress" className="rounded-lg border border-stone-200 bg-white p-4">
        <h2 id="appeal-progress" className="text-xl font-bold">
          {t("appeals.progress")}
        </h2>
        <p className="mt-2" data-testid="appeal-raised">
          <Money text={page.raised} /> {t("appeals.of")} <Money text={page.target} /> · {t("appeals.needs", { count: page.needCount })}
        </p>
        <svg className="mt-2 h-3 w-full rtl:-scale-x-100" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={page.percent} aria-label={t("appeals.progress")}>
          <rect width="100%" height="100%" rx="5" className="fill-stone-200" />
          <rect width={`${page.percent}%`} height="100%" rx="5" className="fill-brand-700" />
        </svg>
        {page.match && (
          <div className="mt-4 rounded border border-amber-300 bg-amber-50 p-3" data-testid="appeal-match">
            <p className="font-bold">{t("appeals.matchOffer", { percent: page.match.percent, cap: page.match.cap })}</p>
            <p className="text-sm">
              {t("appeals.matchedSoFar", { count: page.match.gifts })} <Money text={page.match.matched} /> · {t("appeals.leftToMatch")} <Money text={page.match.left} />
            </p>
            {page.state !== "ended" && page.match.needsSponsor && page.org && (
              <p className="mt-2 text-sm">
                <Link to={`/orgs/${page.org.slug}/give?appeal=${page.slug}`} className={linkClass} data-testid="appeal-sponsor">
                  {t("appeals.becomeSponsor")}
                </Link>
              </p>
            )}
          </div>
        )}
      </section>
      <section aria-labelledby="appeal-needs">
        <h2 id="appeal-needs" className="text-2xl font-bold">
          {t("appeals.needsTitle")}
        </h2>
        {page.cards.length === 0 ? (
          <p className="mt-2">{t("appeals.noNeeds")}</p>
        ) : (
          <PublicNeedCardList cards={page.cards} className="mt-4 grid gap-4 md:grid-cols-2" testId="appeal-need-list" />
        )}
      </section>
    </div>
  );
}
