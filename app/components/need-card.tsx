import { useMemo } from "react";
import { Link } from "@remix-run/react";
import { createInstance } from "i18next";
import type { GuardHit } from "~/modules/anonymization/guard";
import type { PublicNeed } from "~/modules/anonymization/public-need";
import { HighlightedText } from "./guard-hits";
import { formatDate, formatNumber } from "~/utils/format";
import { tNodes, useFastT } from "~/utils/fast-t";
import { Bdi, Money } from "./bidi";
import type { Locale } from "~/utils/i18n";
import { NeedProgress } from "./need-progress";

/** A translation function fixed to one language (the card's), e.g. from i18next's getFixedT. */
export type CardT = (key: string, options?: Record<string, unknown>) => string;

/**
 * The public card of a need: exactly what donors see (it receives only the public projection).
 * Used by the staff editor's preview, the verifier's side-by-side view (one card per language,
 * with `t` of that language, `strict` and the guard's hits) and by the public pages. Light: no
 * images, no scripts.
 */
export function NeedCard({
  need,
  locale,
  headingLevel = 3,
  href,
  compact = false,
  t: fixedT,
  strict = false,
  hits,
  confirmed,
  plainLink = false,
}: {
  need: PublicNeed;
  locale: Locale;
  headingLevel?: 2 | 3;
  /** On public lists: the title links to the need's page. */
  href?: string;
  /** On public lists: the story is cut to a few lines. */
  compact?: boolean;
  /** Strings of the card's language when it is not the page's. */
  t?: CardT;
  /** The verifier's view: no falling back to the other language; a missing text says so. */
  strict?: boolean;
  /** The guard's findings to mark in the title and story (staff views only). */
  hits?: readonly GuardHit[];
  confirmed?: readonly string[];
  /** Rendered on its own, outside the router (public-need-card.tsx): the title links with a plain <a>. */
  plainLink?: boolean;
}) {
  // The page's strings through the cached server translator (app/utils/fast-t.tsx): a listing renders two dozen cards.
  const pageT = useFastT("needs");
  const t: CardT = fixedT ?? pageT;
  const other: Locale = locale === "ar" ? "en" : "ar";
  const pick = (ar: string | null, en: string | null) => (locale === "ar" ? ar || (strict ? null : en) : en || (strict ? null : ar));
  const suffix = locale === "ar" ? "Ar" : "En";
  const marked = (field: "title" | "story", text: string) => {
    const own = hits?.filter((h) => h.field === `${field}${suffix}`) ?? [];
    return own.length > 0 ? <HighlightedText text={text} hits={own} confirmed={confirmed} /> : text;
  };
  const title = pick(need.titleAr, need.titleEn);
  const titleLang = (locale === "ar" ? need.titleAr : need.titleEn) ? locale : other;
  const story = pick(need.storyAr, need.storyEn);
  const storyLang = (locale === "ar" ? need.storyAr : need.storyEn) ? locale : other;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const urgent = need.urgency === "critical" || need.urgency === "high";
  return (
    <article
      className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm"
      aria-labelledby={`need-${need.publicId}-${strict ? `${locale}-` : ""}title`}
      data-testid="need-card"
      lang={strict ? locale : undefined}
      dir={strict ? (locale === "ar" ? "rtl" : "ltr") : undefined}
    >
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <span className="rounded bg-brand-50 px-2 py-0.5 font-bold text-brand-800">{t(`categories.${need.category}`)}</span>
        {urgent && (
          <span className="rounded bg-red-50 px-2 py-0.5 font-bold text-red-800">{t(`urgency.${need.urgency}`)}</span>
        )}
        {need.kafala && (
          <span className="rounded bg-amber-50 px-2 py-0.5 font-bold text-amber-900" data-testid="need-kafala">
            {t(need.kafala.sponsored ? "card.kafalaSponsored" : "card.kafala")}
          </span>
        )}
        {need.verifiedAt && (
          <span className="rounded bg-emerald-50 px-2 py-0.5 font-bold text-emerald-900">
            {t("card.verifiedOn", { date: formatDate(need.verifiedAt, locale) })}
          </span>
        )}
      </div>
      <Heading
        id={`need-${need.publicId}-${strict ? `${locale}-` : ""}title`}
        className="mt-2 text-lg font-bold"
        lang={titleLang}
        dir={titleLang === "ar" ? "rtl" : "ltr"}
      >
        {href && plainLink ? (
          <a href={href} className="text-brand-800 underline-offset-4 hover:underline">
            {title || t("card.noTitle")}
          </a>
        ) : href ? (
          <Link to={href} className="text-brand-800 underline-offset-4 hover:underline">
            {title || t("card.noTitle")}
          </Link>
        ) : title ? (
          marked("title", title)
        ) : (
          t(strict ? "card.missingTitle" : "card.noTitle")
        )}
      </Heading>
      {strict && !story && (
        <p className="mt-2 rounded bg-red-50 p-2 text-sm font-bold text-red-900" data-testid="need-card-missing-story">
          {need.onlyLanguage && need.onlyLanguage !== locale ? t("card.onlyLanguageStaff") : t("card.missingStory")}
        </p>
      )}
      {story && (
        <p
          className={`mt-2 whitespace-pre-line leading-relaxed ${compact ? "line-clamp-3" : ""}`}
          lang={storyLang}
          dir={storyLang === "ar" ? "rtl" : "ltr"}
        >
          {marked("story", story)}
        </p>
      )}
      {need.items.length > 0 && (
        <ul className="mt-3 list-inside list-disc text-sm" aria-label={t("card.items")}>
          {need.items.map((item, i) => (
            <li key={i}>
              {tNodes(
                t,
                "card.itemLine",
                { cost: <Money minor={item.unitCostMinor} currency={need.currency} locale={locale} /> },
                { label: pick(item.labelAr, item.labelEn) ?? "", quantity: formatNumber(item.quantity, locale) },
              )}
            </li>
          ))}
        </ul>
      )}
      {need.progress && (
        <div className="mt-3">
          <NeedProgress need={need} progress={need.progress} locale={locale} />
        </div>
      )}
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
        <dt className="font-bold">{t("card.target")}</dt>
        <dd className="tabular-nums" data-testid="need-card-target">
          <Money minor={need.targetMinor} currency={need.currency} locale={locale} />
        </dd>
        <dt className="font-bold">{t("card.deadline")}</dt>
        <dd>{formatDate(`${need.deadline}T12:00:00Z`, locale)}</dd>
        {need.governorate && (
          <>
            <dt className="font-bold">{t("card.region")}</dt>
            <dd>{locale === "ar" ? need.governorate.nameAr : need.governorate.nameEn}</dd>
          </>
        )}
        {(need.ageBand || need.gender) && (
          <>
            <dt className="font-bold">{t("card.beneficiary")}</dt>
            <dd>
              {[need.gender ? t(`genders.${need.gender}`) : null, need.ageBand ? t(`ageBands.${need.ageBand}`) : null]
                .filter(Boolean)
                .join(t("card.separator"))}
            </dd>
          </>
        )}
        <dt className="font-bold">{t("card.org")}</dt>
        <dd>
          <Bdi>{locale === "ar" ? need.org.nameAr : need.org.nameEn}</Bdi>
        </dd>
      </dl>
    </article>
  );
}

/**
 * A card translation function for a language the page was not sent (the verifier's side-by-side
 * view): built from the strings the loader sent for that language, the same on the server and in
 * the browser. Undefined: use the page's own strings.
 */
export function useCardT(locale: Locale, bundle: Record<string, unknown> | null | undefined): CardT | undefined {
  return useMemo(() => {
    if (!bundle) return undefined;
    const instance = createInstance();
    void instance.init({
      lng: locale,
      fallbackLng: false,
      resources: { [locale]: { needs: bundle } },
      ns: ["needs"],
      defaultNS: "needs",
      initImmediate: false,
      interpolation: { escapeValue: false },
    });
    return instance.getFixedT(locale, "needs") as unknown as CardT;
  }, [locale, bundle]);
}

/** The parts of the needs strings a card uses (what the loader sends for the other language). */
export const CARD_STRING_KEYS = ["categories", "urgency", "card", "genders", "ageBands"] as const;
